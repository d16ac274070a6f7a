"""Reference solution of the 8-state CHO-like fed-batch TEST model used by the kinetic core's tests and benchmarks.

This is NOT a validated model: it has the structure of published unstructured CHO fed-batch models (Monod growth on
glucose and glutamine with lactate and ammonia inhibition, ammonia-dependent death, lysis, maintenance, spontaneous
glutamine decomposition, growth-associated antibody production; e.g. Xing et al., Biotechnol. Bioeng. 107:725, 2010,
and Kontoravdi et al., Biotechnol. Prog. 21:1128, 2005) with round parameter values that give a typical 14-day
profile. Its only purpose is a realistic cost and accuracy test. The validated CHO model lives in its own bundle.

Units: Xv, Xd 1e9 cells/L; Glc, Gln, Lac, Amm mmol/L; mAb mg/L; V L; t h; F L/h.
Schedule: daily boluses at 24, 48, ..., 312 h of 0.025 L with 300 mM glucose and 60 mM glutamine; no continuous feed;
t in [0, 336] h; hourly output.

Reference: DOP853 at rtol 1e-13, atol 1e-14 per segment; cross-checked with Radau.
"""
import numpy as np

from common import append_nfev, write_csv
from segmented import simulate

P = dict(mu_max=0.045, K_glc=0.75, K_gln=0.3, K_Ilac=60.0, K_Iamm=8.0, kd0=0.001, kd_amm=0.02, K_damm=15.0,
         k_lys=0.01, Y_xglc=1.6, m_glc=0.01, K_mglc=1.0, Y_xgln=4.5, m_gln=0.002, K_mgln=0.3, k_dgln=0.0025,
         Y_lacglc=1.2, Y_ammgln=0.7, q_mab=0.9, Glc_f=400.0, Gln_f=40.0)
Y0 = [0.3, 0.0, 35.0, 6.0, 0.0, 0.3, 0.0, 1.0]
KINDS = ["C", "C", "C", "C", "C", "C", "C", "V"]
EVENTS = [(24.0 * k, "bolus", 0.025, {2: 300.0, 3: 60.0}) for k in range(1, 14)]
T_OUT = [float(k) for k in range(337)]
# Absolute tolerances the Java test model declares, per state.
ATOL_JAVA = np.array([1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-4, 1e-8])


def rhs(t, y, F):
    p = P
    xv, xd, glc, gln, lac, amm, mab, v = y
    mu = (p["mu_max"] * glc / (p["K_glc"] + glc) * gln / (p["K_gln"] + gln)
          * p["K_Ilac"] / (p["K_Ilac"] + lac) * p["K_Iamm"] / (p["K_Iamm"] + amm))
    mu_d = p["kd0"] + p["kd_amm"] * amm / (p["K_damm"] + amm)
    d = F / v
    q_glc = mu / p["Y_xglc"] + p["m_glc"] * glc / (p["K_mglc"] + glc)
    q_gln = mu / p["Y_xgln"] + p["m_gln"] * gln / (p["K_mgln"] + gln)
    return [(mu - mu_d - d) * xv,
            mu_d * xv - (p["k_lys"] + d) * xd,
            -q_glc * xv + d * (p["Glc_f"] - glc),
            -q_gln * xv - p["k_dgln"] * gln + d * (p["Gln_f"] - gln),
            p["Y_lacglc"] * q_glc * xv - d * lac,
            p["Y_ammgln"] * q_gln * xv + p["k_dgln"] * gln - d * amm,
            p["q_mab"] * xv - d * mab,
            F]


def main():
    ref, *_ = simulate(rhs, Y0, 0.0, 336.0, [(0.0, 0.0)], EVENTS, KINDS, T_OUT, "DOP853", 1e-13, 1e-14)
    chk, *_ = simulate(rhs, Y0, 0.0, 336.0, [(0.0, 0.0)], EVENTS, KINDS, T_OUT, "Radau", 1e-13, 1e-16)
    dis = np.max(np.abs(ref - chk) / np.maximum(np.abs(ref), 1e-9))
    print("DOP853 vs Radau max relative disagreement (floor 1e-9):", dis)
    print("final state:", ref[-1])
    rows = [[t, *ref[k]] for k, t in enumerate(T_OUT)]
    write_csv("cho-like.csv", ["t", "Xv", "Xd", "Glc", "Gln", "Lac", "Amm", "mAb", "V"], rows,
              "8-state CHO-like fed-batch TEST model (not validated), 14 days, daily boluses\n"
              "SciPy solve_ivp DOP853 rtol 1e-13 atol 1e-14 per segment; DOP853 vs Radau(rtol 1e-13) max rel. "
              "disagreement (floor 1e-9) %.3g" % dis)
    counts = []
    for rtol in (1e-6, 1e-8, 1e-9):
        for m in ("DOP853", "RK45", "Radau", "LSODA"):
            _, calls, nfev, njev, nlu = simulate(rhs, Y0, 0.0, 336.0, [(0.0, 0.0)], EVENTS, KINDS, T_OUT, m, rtol,
                                                 ATOL_JAVA)
            counts.append(["cho-like", m, rtol, nfev, calls, njev, nlu])
    append_nfev(counts)


if __name__ == "__main__":
    main()
