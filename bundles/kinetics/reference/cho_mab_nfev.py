"""SciPy cost for the CHO mAb model bundle (cho.mab.fedbatch 1.0.0, bundles/models.cho) at the tolerances of the
kinetic core's benchmark, for the right-hand-side count comparison in the README.

The equations, parameters and reference schedule are imported from that bundle's own script
(bundles/models.cho/reference/cho_mab_fedbatch_reference.py: Xing et al. 2010, daily 0.5 L samples at 24d+1 h,
30 L boluses of 300 mM glucose / 40 mM glutamine at 24d+2 h from day 3, 14 days); the absolute tolerances are those
the Java model declares per state. Integration restarts at every event, as in the Java simulator.
"""
import os
import sys

import numpy as np

from common import append_nfev
from segmented import simulate

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models.cho", "reference"))
import cho_mab_fedbatch_reference as cho  # noqa: E402

ATOL_JAVA = np.array([1e-6, 1e-6, 1e-5, 1e-5, 1e-5, 1e-5, 1e-4, 1e-4])
KINDS = ["C"] * 7 + ["V"]


def main():
    p = cho.XING_2010
    gi, qi = cho.STATES.index("GLC"), cho.STATES.index("GLN")
    events = ([(t, "bolus", v, {gi: cho.BOLUS_CONTENT["GLC"], qi: cho.BOLUS_CONTENT["GLN"]}) for t, v in cho.BOLUSES]
              + [(t, "withdrawal", v, {}) for t, v in cho.SAMPLES])
    events.sort(key=lambda e: e[0])
    t_out = list(cho.OUTPUT)
    counts = []
    for rtol in (1e-6, 1e-8, 1e-9):
        for m in ("DOP853", "RK45", "Radau", "LSODA"):
            _, calls, nfev, njev, nlu = simulate(lambda t, y, u: cho.rhs(t, y, p), cho.Y0, 0.0, cho.END, [(0.0, 0.0)],
                                                 events, KINDS, t_out, m, rtol, ATOL_JAVA)
            counts.append(["cho-mab-1.0.0", m, rtol, nfev, calls, njev, nlu])
    append_nfev(counts)


if __name__ == "__main__":
    main()
