#!/usr/bin/python3
"""SciPy's side of the exact drift pass on two CSV files, for docs/PERFORMANCE-drift.md: read the numeric columns,
then per column ks_2samp (method='auto'), PSI on the reference deciles, normed Wasserstein and Evidently's numeric
Jensen-Shannon, computed as make_golden.py defines them. Prints the read time, the compute time, and each column's
D and p-value so they can be set beside the Java report.

    /usr/bin/python3 functions/drift/src/test/python/bench_csv.py REFERENCE.csv CURRENT.csv date,delay,distance
"""
import sys
import time
from pathlib import Path

import numpy as np
import scipy
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_golden import js_numeric, psi, wasserstein_normed  # noqa: E402


def read(path, names):
    header = Path(path).open().readline().strip().split(",")
    cols = [header.index(n) for n in names]
    data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols, dtype=np.float64, ndmin=2)
    return [data[:, i].copy() for i in range(len(names))]


def main():
    reference, current, columns = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    start = time.perf_counter()
    ref = read(reference, columns)
    cur = read(current, columns)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    results = []
    for name, a, b in zip(columns, ref, cur):
        ks = stats.ks_2samp(a, b)
        results.append((name, ks.statistic, ks.pvalue, psi(a, b), wasserstein_normed(a, b), js_numeric(a, b)))
    compute_s = time.perf_counter() - start
    print(f"SciPy {scipy.__version__}, numpy {np.__version__}: {len(ref[0])} vs {len(cur[0])} rows, "
          f"{len(columns)} columns: read {read_s:.2f} s, compute {compute_s:.2f} s")
    for name, d, p, ps, w, js in results:
        print(f"  {name}: ks D {d!r} p {p!r}, psi {ps!r}, wasserstein {w!r}, jensenshannon {js!r}")


if __name__ == "__main__":
    main()
