"""Shared helpers for the reference-solution scripts of the BioTwin kinetic core.

The references are computed with SciPy's solve_ivp, independently of the Java code under test, and written as CSV
with 17 significant digits. Run from this directory with any Python 3 that has NumPy and SciPy, for example Debian's
(`apt-get install -y python3-scipy`, then `/usr/bin/python3 robertson.py`). CI does not need Python: the CSV files
are committed under src/test/resources/reference/.
"""
import csv
import os

import scipy

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "reference")


def write_csv(name, header, rows, comment):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, "w", newline="") as fh:
        for line in comment.strip().splitlines():
            fh.write("# " + line + "\n")
        fh.write("# generated with SciPy " + scipy.__version__ + "\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([repr(float(v)) if not isinstance(v, str) else v for v in r])
    print("wrote", os.path.relpath(path))


def append_nfev(rows):
    """Appends (case, method, rtol, nfev, calls, njev, nlu) rows to scipy-nfev.csv, replacing rows of that case."""
    path = os.path.join(OUT, "scipy-nfev.csv")
    keep = []
    cases = {r[0] for r in rows}
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                if line.startswith("#") or line.startswith("case,"):
                    continue
                if line.split(",")[0] not in cases:
                    keep.append(line.rstrip("\n").split(","))
    with open(path, "w", newline="") as fh:
        fh.write("# Cost of SciPy solve_ivp. nfev: SciPy's own count; calls: right-hand-side calls counted by a wrapper,"
                 " including those of finite-difference Jacobians (which SciPy's nfev omits for Radau and BDF);"
                 " njev: Jacobian evaluations; nlu: LU decompositions\n")
        fh.write("# generated with SciPy " + scipy.__version__ + "\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "method", "rtol", "nfev", "calls", "njev", "nlu"])
        for r in keep + [list(map(str, r)) for r in rows]:
            w.writerow(r)
    print("wrote", os.path.relpath(path))


class Counted:
    """Wraps a right-hand side and counts its calls (one per state vector)."""

    def __init__(self, fun):
        self.fun = fun
        self.calls = 0

    def __call__(self, t, y):
        self.calls += 1
        return self.fun(t, y)
