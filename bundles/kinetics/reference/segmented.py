"""Segmented integration with volume events, written independently of the Java simulator from its documented semantics:
piecewise-constant inputs restart the integration at every breakpoint; a bolus of volume Vb mixes CONCENTRATION states
(c V + c_b Vb)/(V + Vb), adds to AMOUNT states and to the volume; a withdrawal of Vw reduces the volume and scales
AMOUNT states by (V - Vw)/V; the output at an event time is the state after the event."""
import numpy as np
from scipy.integrate import solve_ivp

from common import Counted


def simulate(rhs, y0, t0, t1, profile, events, kinds, t_out, method, rtol, atol, jac=None):
    """profile: list of (time, u) breakpoints (u holds from its time on); events: list of (time, kind, volume, {index:
    content}); kinds: per-state 'C', 'A', 'V' or 'I'. Returns (outputs array, calls, nfev, njev, nlu)."""
    cuts = sorted({t0, t1} | {t for t, _ in profile if t0 < t < t1} | {e[0] for e in events if t0 < e[0] < t1})
    y = np.array(y0, dtype=float)
    out = np.full((len(t_out), len(y0)), np.nan)
    calls = nfev = njev = nlu = 0
    vol = kinds.index("V") if "V" in kinds else None

    def u_at(t):
        u = 0.0
        for tb, ub in profile:
            if tb <= t:
                u = ub
        return u

    def apply_events(t):
        nonlocal y
        for te, kind, v_ev, content in events:
            if te != t:
                continue
            v = y[vol]
            if kind == "bolus":
                vn = v + v_ev
                for i, k in enumerate(kinds):
                    if k == "V":
                        y[i] = vn
                    elif k == "C":
                        y[i] = (y[i] * v + content.get(i, 0.0) * v_ev) / vn
                    elif k == "A":
                        y[i] += content.get(i, 0.0)
            else:
                keep = (v - v_ev) / v
                for i, k in enumerate(kinds):
                    if k == "V":
                        y[i] = v - v_ev
                    elif k == "A":
                        y[i] *= keep

    apply_events(t0)
    for a, b in zip(cuts[:-1], cuts[1:]):
        u = u_at(a)
        for k, t in enumerate(t_out):
            if t == a:
                out[k] = y
        inside = [t for t in t_out if a < t < b]
        fun = Counted(lambda t, yy: rhs(t, yy, u))
        kw = {}
        if jac is not None and method in ("Radau", "BDF", "LSODA"):
            kw["jac"] = lambda t, yy: jac(t, yy, u)
        r = solve_ivp(fun, (a, b), y, method=method, rtol=rtol, atol=atol, t_eval=inside + [b], **kw)
        assert r.success, r.message
        for j, t in enumerate(inside):
            out[list(t_out).index(t)] = r.y[:, j]
        y = r.y[:, -1].copy()
        calls += fun.calls
        nfev += r.nfev
        njev += r.njev
        nlu += r.nlu
        apply_events(b)
    for k, t in enumerate(t_out):
        if t == t1:
            out[k] = y
    assert not np.isnan(out).any()
    return out, calls, nfev, njev, nlu
