"""Reference solution of Robertson's stiff chemical kinetics problem.

Source: H. H. Robertson, "The solution of a set of reaction rate equations", in J. Walsh (ed.), Numerical Analysis:
an Introduction, Academic Press 1966, pp. 178-182; used as test problem ROBER in E. Hairer and G. Wanner, Solving
Ordinary Differential Equations II, 2nd ed., Springer 1996, §IV.1 and §IV.10, and in the IVP test set of
F. Mazzia et al. (Bari).

    y1' = -0.04 y1 + 1e4 y2 y3
    y2' =  0.04 y1 - 1e4 y2 y3 - 3e7 y2^2
    y3' =  3e7 y2^2,              y(0) = (1, 0, 0),  t in [0, 1e5]

Reference: solve_ivp Radau (order 5, implicit) with rtol 1e-12 and the analytic Jacobian; cross-checked against
LSODA at the same tolerance, and the largest relative disagreement is printed and recorded in the CSV header.
"""
import numpy as np
from scipy.integrate import solve_ivp

from common import Counted, append_nfev, write_csv

K1, K2, K3 = 0.04, 3e7, 1e4
T_END = 1e5
T_OUT = np.concatenate(([0.0], np.logspace(-5, 5, 41)))
ATOL = np.array([1e-16, 1e-20, 1e-16])


def f(t, y):
    y1, y2, y3 = y
    return [-K1 * y1 + K3 * y2 * y3, K1 * y1 - K3 * y2 * y3 - K2 * y2 * y2, K2 * y2 * y2]


def jac(t, y):
    y1, y2, y3 = y
    return [[-K1, K3 * y3, K3 * y2], [K1, -K3 * y3 - 2 * K2 * y2, -K3 * y2], [0.0, 2 * K2 * y2, 0.0]]


def solve(method, rtol, atol, with_jac=True):
    kw = dict(jac=jac) if with_jac and method in ("Radau", "BDF", "LSODA") else {}
    fun = Counted(f)
    r = solve_ivp(fun, (0.0, T_END), [1.0, 0.0, 0.0], method=method, t_eval=T_OUT, rtol=rtol, atol=atol,
                  dense_output=False, **kw)
    r.calls = fun.calls
    return r


def main():
    ref = solve("Radau", 1e-12, ATOL)
    assert ref.success, ref.message
    chk = solve("LSODA", 1e-12, ATOL)
    assert chk.success, chk.message
    scale = np.maximum(np.abs(ref.y), np.array([[1e-12], [1e-18], [1e-12]]))
    dis = np.max(np.abs(ref.y - chk.y) / scale)
    print("Radau vs LSODA max relative disagreement (floor 1e-12/1e-18/1e-12):", dis)
    rows = [[t, *ref.y[:, k]] for k, t in enumerate(ref.t)]
    write_csv("robertson.csv", ["t", "y1", "y2", "y3"], rows,
              "Robertson (1966) stiff kinetics, Hairer & Wanner (1996) ROBER; SciPy solve_ivp Radau rtol 1e-12 atol "
              "(1e-16, 1e-20, 1e-16), analytic Jacobian\nRadau vs LSODA max relative disagreement: %.3g" % dis)
    # Cost at the tolerances the Java tests and benchmarks use (atol as the Java test model declares).
    counts = []
    for rtol in (1e-6, 1e-8, 1e-9):
        atol = np.array([1e-12, 1e-16, 1e-12])
        for m in ("Radau", "BDF", "LSODA"):
            for with_jac in (True, False):
                r = solve(m, rtol, atol, with_jac)
                counts.append(["robertson", m + ("+jac" if with_jac else "+fd"), rtol, r.nfev, r.calls, r.njev, r.nlu])
    append_nfev(counts)


if __name__ == "__main__":
    main()
