#!/usr/bin/python3
"""Golden fixtures for capstan-drift, computed with Debian's SciPy (apt-get install -y python3-scipy).

    /usr/bin/python3 functions/drift/src/test/python/make_golden.py            # writes the fixtures
    /usr/bin/python3 functions/drift/src/test/python/make_golden.py --bench    # times the 3M x 3 exact pass
    /usr/bin/python3 functions/drift/src/test/python/make_golden.py --large-n  # writes kstwo.sf at n = 1e4..3e6, smirnov

Samples are stored as integers with a scale (value = int / scale), so Java and Python read identical doubles.
Every statistic is computed here the way the Java code documents it:
  ks            scipy.stats.ks_2samp(a, b) (method='auto', alternative='two-sided')
  wasserstein   scipy.stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)           (Evidently)
  psi           bins cut at np.unique(np.quantile(a, deciles)), right-closed, open ends;
                an empty bin's share becomes 1e-4; sum((q - p) * ln(q / p))
  jensenshannon Evidently's get_binned_data (30 equal-width bins over both samples when the reference has more
                than 20 distinct values, else one bin per value; zero shares filled) then
                scipy.spatial.distance.jensenshannon(p, q) (natural log)
  chisquare     Evidently: scipy.stats.chisquare(current counts, reference counts * n_cur / n_ref)
  z             Evidently's two-proportion z-test, p = 2 * (1 - norm.cdf(|z|))
"""
import json
import sys
import time
from math import gcd
from pathlib import Path

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance
from scipy.stats._stats_py import _attempt_exact_2kssamp

DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
OUT = Path(__file__).resolve().parents[1] / "resources" / "golden"


def psi(a, b):
    a = np.sort(a)
    b = np.sort(b)
    edges = np.unique(np.quantile(a, DECILES))
    def shares(x):
        upto = np.searchsorted(x, edges, side="right")
        counts = np.diff(np.concatenate([[0], upto, [len(x)]]))
        return counts / len(x)
    p = shares(a)
    q = shares(b)
    p = np.where(p == 0, 1e-4, p)
    q = np.where(q == 0, 1e-4, q)
    return float(np.sum((q - p) * np.log(q / p)))


def fill_zeroes(x):
    nz = x[x != 0]
    fill = nz.min() / 10 ** 6 if nz.min() <= 0.0001 else 0.0001
    return np.where(x == 0, fill, x)


def js_numeric(a, b):
    if len(np.unique(a)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([a, b]), bins=30)
        p = np.histogram(a, bins)[0] / len(a)
        q = np.histogram(b, bins)[0] / len(b)
    else:
        keys = np.unique(np.concatenate([a, b]))
        p = np.array([np.sum(a == k) for k in keys]) / len(a)
        q = np.array([np.sum(b == k) for k in keys]) / len(b)
    return float(distance.jensenshannon(fill_zeroes(p), fill_zeroes(q)))


def wasserstein_normed(a, b):
    return float(stats.wasserstein_distance(a, b) / max(np.std(a), 0.001))


def categorical(ref, cur):
    keys = sorted(set(ref) | set(cur))
    rc = np.array([ref.count(k) for k in keys], dtype=float)
    cc = np.array([cur.count(k) for k in keys], dtype=float)
    p, q = rc / len(ref), cc / len(cur)
    with np.errstate(divide="ignore"):
        chi = stats.chisquare(cc, rc * (len(cur) / len(ref)))
    out = {
        "reference": ref, "current": cur,
        "chisquare": float(chi.statistic), "chisquare_p": float(chi.pvalue),
        "psi": float(np.sum((np.where(q == 0, 1e-4, q) - np.where(p == 0, 1e-4, p))
                            * np.log(np.where(q == 0, 1e-4, q) / np.where(p == 0, 1e-4, p)))),
        "jensenshannon": float(distance.jensenshannon(fill_zeroes(p), fill_zeroes(q))),
    }
    if len(keys) == 2:
        first = ref[0]
        p1 = ref.count(first) / len(ref)
        p2 = cur.count(first) / len(cur)
        pooled = (p1 * len(ref) + p2 * len(cur)) / (len(ref) + len(cur))
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / len(ref) + 1.0 / len(cur)))
        out["z"] = float(z)
        out["z_p"] = float(2 * (1 - stats.norm.cdf(np.abs(z))))
    return out


def numeric_case(name, a_int, b_int, scale):
    a = np.asarray(a_int, dtype=np.int64) / scale
    b = np.asarray(b_int, dtype=np.int64) / scale
    ks = stats.ks_2samp(a, b)
    return {
        "name": name, "scale": scale, "a": [int(v) for v in a_int], "b": [int(v) for v in b_int],
        "ks": float(ks.statistic), "ks_p": float(ks.pvalue),
        "wasserstein": wasserstein_normed(a, b), "psi": psi(a, b), "jensenshannon": js_numeric(a, b),
    }


def numeric_cases(rng):
    def normal(n, loc=0.0, sd=1.0, scale=1000):
        return np.rint(rng.normal(loc, sd, n) * scale).astype(np.int64)
    cases = [
        ("tiny", [1, 2, 3], [4, 5, 6, 7], 1),
        ("tiny_overlap", [10, 30, 20, 50, 40], [15, 35, 25], 10),
        ("ties_small", rng.integers(0, 5, 40), rng.integers(0, 6, 55), 1),
        ("ties_many", rng.integers(0, 30, 700), rng.integers(2, 33, 800), 1),
        ("equal_n_shift", normal(300), normal(300, 0.3), 1000),
        ("unequal_n", normal(250), normal(410, 0.1, 1.2), 1000),
        ("same_distribution", normal(1000), normal(1200), 1000),
        ("coprime_sizes", normal(997), normal(1009, 0.05), 1000),
        ("multiple_sizes", normal(500), normal(1500, 0.2), 1000),
        ("switch_exact_equal", normal(10000), normal(10000, 0.02), 1000),
        ("switch_exact_unequal", normal(10000), normal(9000, 0.03), 1000),
        ("switch_asymp_above", normal(10001), normal(9000, 0.03), 1000),
        ("asymp_small_en", normal(7), normal(12000, 0.5), 1000),
        ("asymp_medium_en", normal(120), normal(11000, 0.2), 1000),
        ("asymp_strong_shift", normal(3000), normal(10500, 0.4), 1000),
        ("few_thousand", normal(4000, 5, 2), normal(3500, 5.1, 2), 1000),
        ("discrete_numeric", rng.integers(0, 3, 600), rng.integers(0, 3, 900), 1),
    ]
    return [numeric_case(n, a, b, s) for n, a, b, s in cases]


def distribution_cases():
    """kstwo.sf and the exact two-sample probability on the branches the samples above do not reach."""
    kstwo = []
    for n in [3, 10, 50, 140, 141, 1000, 20000, 100000, 100001, 400000, 1500000]:
        for d in [0.3 / n, 0.7 / n, 1.5 / n, 0.6 / np.sqrt(n), 1.0 / np.sqrt(n), 1.6 / np.sqrt(n),
                  3.0 / np.sqrt(n), 10.0 / np.sqrt(n), 0.55, 1 - 0.5 / n]:
            if 0 < d < 1:
                kstwo.append({"n": n, "d": float(d), "sf": float(stats.kstwo.sf(d, n))})
    limiting = [{"y": y, "sf": float(stats.kstwobign.sf(y))} for y in [0.01, 0.05, 0.2, 0.5, 0.8, 0.82, 0.83, 1.0,
                                                                       1.36, 2.0, 4.0, 8.0, 20.0]]
    exact = []
    for n1, n2, d in [(60, 60, 0.2), (200, 200, 0.11), (5000, 5000, 0.03), (30, 45, 0.3), (999, 1000, 0.061),
                      (2500, 7500, 0.025), (10000, 9999, 0.02), (8000, 10000, 0.5)]:
        ok, dd, p = _attempt_exact_2kssamp(n1, n2, gcd(n1, n2), d, "two-sided")
        exact.append({"n1": n1, "n2": n2, "d": d, "ok": bool(ok), "d_rounded": float(dd), "p": float(p)})
    return kstwo, exact, limiting


def categorical_cases(rng):
    colors = ["red", "green", "blue", "black"]
    def draw(n, probs, values):
        return [values[i] for i in rng.choice(len(values), size=n, p=probs)]
    return [
        dict(name="four_shifted", **categorical(draw(800, [0.4, 0.3, 0.2, 0.1], colors),
                                                draw(600, [0.3, 0.3, 0.25, 0.15], colors))),
        dict(name="four_same", **categorical(draw(900, [0.25] * 4, colors), draw(1100, [0.25] * 4, colors))),
        dict(name="new_category", **categorical(draw(500, [0.5, 0.5, 0, 0], colors),
                                                draw(400, [0.45, 0.45, 0.1, 0], colors))),
        dict(name="binary", **categorical(draw(700, [0.7, 0.3], ["yes", "no"]), draw(650, [0.62, 0.38], ["yes", "no"]))),
    ]


def write():
    rng = np.random.default_rng(20261122)
    kstwo, exact, limiting = distribution_cases()
    fixture = {
        "generator": "functions/drift/src/test/python/make_golden.py",
        "scipy_version": scipy.__version__, "numpy_version": np.__version__,
        "numeric": numeric_cases(rng), "categorical": categorical_cases(rng),
        "kstwo_sf": kstwo, "exact_two_sample": exact, "kstwobign_sf": limiting,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "scipy-drift.json"
    path.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes) with SciPy {scipy.__version__}")


def write_large_n():
    """kstwo.sf where the Smirnov sum is long: n from 1e4 to 3e6 (above 1e6 SciPy's smirnov approximates), D from
    p ~ 1 (Durbin, Pelz-Good) through 2 * smirnov (n D^2 >= 2.2) down to p ~ 1e-300 (n D^2 near 370); and
    scipy.special.smirnov itself at n = 1e4 to 999,999 for p from about 0.9 to 1e-300 (x from exp(-2 n x^2) = p,
    as smirnovi takes a minute at n = 1e6), and on both sides of
    SmirnovLowerSum's switch between its term-by-term and Euler-Maclaurin sums (windows just above and below 2048
    terms)."""
    points = []
    for n in [10000, 100000, 250000, 500000, 750000, 999999, 1000000, 1000001, 3000000]:
        for c in [0.3, 0.8, 1.2, 1.49, 1.5, 2.0, 2.7, 4.0, 6.0, 9.0, 13.0, 16.0, 18.6, 19.2]:
            d = c / np.sqrt(n) * (1 + 1e-3 * np.pi)
            points.append({"n": n, "d": float(d), "sf": float(stats.kstwo.sf(d, n))})
    smirnov = []
    for n in [10000, 100000, 500000, 750000, 999999]:
        for p in [0.9, 0.5, 0.2, 0.05, 1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-15, 1e-30, 1e-60, 1e-100, 1e-200, 1e-300]:
            x = float(np.sqrt(-np.log(p) / (2 * n)) * (1 + 1e-3 * np.pi))  # smirnov ~ exp(-2 n x^2) ~ p
            smirnov.append({"n": n, "x": x, "sf": float(special.smirnov(n, x))})
    switch = []
    for n, xs in [(2500, [0.0626, 0.0656]), (4000, [0.1206, 0.1217]), (6000, [0.1621, 0.1628]),
                  (8000, [0.1952, 0.1956])]:
        for x in xs:
            switch.append({"n": n, "x": x, "sf": float(special.smirnov(n, x))})
    fixture = {"generator": "functions/drift/src/test/python/make_golden.py --large-n",
               "scipy_version": scipy.__version__, "numpy_version": np.__version__, "kstwo_sf": points,
               "smirnov_sf": smirnov, "smirnov_switch": switch}
    path = OUT / "scipy-kstwo-large-n.json"
    path.write_text(json.dumps(fixture, indent=0) + "\n")
    print(f"wrote {path} ({len(points)} + {len(smirnov)} + {len(switch)} points) with SciPy {scipy.__version__}")


def bench():
    rng = np.random.default_rng(7)
    n = 3_000_000
    cols = [(rng.normal(0, 1, n), rng.normal(0.05, 1, n)) for _ in range(3)]
    start = time.perf_counter()
    for a, b in cols:
        stats.ks_2samp(a, b)
        psi(a, b)
        wasserstein_normed(a, b)
        js_numeric(a, b)
    print(f"SciPy {scipy.__version__}, numpy {np.__version__}: 3 columns x 3M vs 3M rows "
          f"(KS, PSI, normed Wasserstein, JS): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    if "--bench" in sys.argv:
        bench()
    elif "--large-n" in sys.argv:
        write_large_n()
    else:
        write()
