"""Reference solution of the Park & Ramirez fed-batch protein secretion model with a fixed feed profile and events.

Source: S. Park and W. F. Ramirez, "Optimal production of secreted protein in fed-batch reactors", AIChE Journal
34(9):1550-1558, 1988, doi:10.1002/aic.690340917; in the form used as an optimal-control benchmark by R. Luus,
"Optimization of fed-batch fermentors by iterative dynamic programming", Biotechnol. Bioeng. 41:599-602, 1993, and
J. R. Banga et al., J. Biotechnol. 117:407-419, 2005:

    x1' = g1 (x2 - x1) - u/x5 x1             secreted protein, units/L
    x2' = g2 x3 - u/x5 x2                    total protein, units/L
    x3' = g3 x3 - u/x5 x3                    cell density, g/L
    x4' = -7.3 g3 x3 + u/x5 (20 - x4)        glucose, g/L (feed 20 g/L)
    x5' = u                                  volume, L
    g1 = 4.75 g3 / (0.12 + g3)
    g2 = x4 / (0.1 + x4) exp(-5 x4)
    g3 = 21.87 x4 / ((x4 + 0.4)(x4 + 62.5)),  x(0) = (0, 0, 1, 5, 1), t in [0, 15] h

Operating schedule of this test (not from the paper): feed u = 0, 0.4, 1.0, 0.6, 0.1 L/h from t = 0, 2, 5, 9, 12 h;
a bolus of 0.5 L of 20 g/L glucose at 7 h; a 0.25 L sample at 10.5 h; a bolus of 0.2 L of 40 g/L glucose at 12 h (on a
feed breakpoint). Output every 0.25 h; at an event time, after the event.

Reference: DOP853 at rtol 1e-13, atol 1e-15 per segment; cross-checked with Radau at rtol 1e-13, atol 1e-20.
"""
import numpy as np

from common import append_nfev, write_csv
from segmented import simulate

PROFILE = [(0.0, 0.0), (2.0, 0.4), (5.0, 1.0), (9.0, 0.6), (12.0, 0.1)]
EVENTS = [(7.0, "bolus", 0.5, {3: 20.0}), (10.5, "withdrawal", 0.25, {}), (12.0, "bolus", 0.2, {3: 40.0})]
KINDS = ["C", "C", "C", "C", "V"]
Y0 = [0.0, 0.0, 1.0, 5.0, 1.0]
T_OUT = [0.25 * k for k in range(61)]
ATOL_JAVA = 1e-10  # the absolute tolerance the Java test model declares for every state


def rhs(t, x, u):
    x1, x2, x3, x4, x5 = x
    g3 = 21.87 * x4 / ((x4 + 0.4) * (x4 + 62.5))
    g1 = 4.75 * g3 / (0.12 + g3)
    g2 = x4 / (0.1 + x4) * np.exp(-5.0 * x4)
    d = u / x5
    return [g1 * (x2 - x1) - d * x1, g2 * x3 - d * x2, g3 * x3 - d * x3, -7.3 * g3 * x3 + d * (20.0 - x4), u]


def main():
    ref, *_ = simulate(rhs, Y0, 0.0, 15.0, PROFILE, EVENTS, KINDS, T_OUT, "DOP853", 1e-13, 1e-15)
    chk, *_ = simulate(rhs, Y0, 0.0, 15.0, PROFILE, EVENTS, KINDS, T_OUT, "Radau", 1e-13, 1e-20)
    # Relative disagreement with a floor of 1e-9 (the early protein values are ~1e-11 and agree to ~1e-15 absolute).
    dis = np.max(np.abs(ref - chk) / np.maximum(np.abs(ref), 1e-9))
    print("DOP853 vs Radau max relative disagreement (floor 1e-9):", dis)
    rows = [[t, *ref[k]] for k, t in enumerate(T_OUT)]
    write_csv("park-ramirez.csv", ["t", "x1", "x2", "x3", "x4", "x5"], rows,
              "Park & Ramirez (1988) AIChE J 34:1550 fed-batch protein secretion, fixed feed profile and events\n"
              "SciPy solve_ivp DOP853 rtol 1e-13 atol 1e-15 per segment; DOP853 vs Radau(rtol 1e-13) max rel. "
              "disagreement (floor 1e-9) %.3g" % dis)
    counts = []
    for rtol in (1e-6, 1e-8, 1e-9):
        for m in ("DOP853", "RK45", "Radau", "LSODA"):
            _, calls, nfev, njev, nlu = simulate(rhs, Y0, 0.0, 15.0, PROFILE, EVENTS, KINDS, T_OUT, m, rtol,
                                                 ATOL_JAVA)
            counts.append(["park-ramirez", m, rtol, nfev, calls, njev, nlu])
    append_nfev(counts)


if __name__ == "__main__":
    main()
