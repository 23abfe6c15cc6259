#!/usr/bin/python3
"""Golden fixtures for capstan-quality, computed with Debian's scikit-learn, NumPy and SciPy
(apt-get install -y python3-sklearn python3-scipy). Run with Debian's interpreter, not the `python3` on PATH:

    /usr/bin/python3 scripts/quality/make_fixtures.py

It writes functions/quality/src/test/resources/quality-fixtures/:
  binary/rows.csv, binary/expected.json           2,000 rows from a LogisticRegression on synthetic features;
                                                   classes [stay, churn] (churn positive), a few probabilities
                                                   exactly 0 or 1 (log-loss clipping)
  multiclass/rows.csv, multiclass/expected.json   900 rows, classes [red, green, blue]; blue is never predicted
                                                   (zero division), probabilities rounded to 3 decimals (rows
                                                   that do not sum to 1) and sometimes exactly 0
  regression/rows.csv, regression/expected.json   1,500 house prices and predictions
  two-proportions.json                             pooled z-test, Wald interval and sample size by hand with
                                                   scipy.stats.norm (no statsmodels)

Every number is written with repr(), so Java parses the identical double. The seed is fixed: rerunning gives the
same files. The figures follow what ClassificationMetrics and RegressionMetrics document:
  accuracy_score; precision_recall_fscore_support(labels=classes, zero_division=0) per class, 'macro', 'weighted';
  confusion_matrix(labels=classes); log_loss(labels=classes) (columns put in sorted-label order, as sklearn
  expects; eps='auto' is float64 eps in sklearn 1.2); brier_score_loss(pos_label=classes[1]) for binary;
  calibration_curve(n_bins=10, strategy='uniform') on (actual == classes[1], p(classes[1])) for binary and on
  (predicted == actual, max probability) for multiclass; mean_absolute_error, sqrt(mean_squared_error),
  r2_score, numpy.percentile (linear) of actual - predicted at 5/25/50/75/95, numpy.histogram(bins=20).
"""
import csv
import json
import math
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy.stats import norm
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, brier_score_loss, confusion_matrix, log_loss, mean_absolute_error,
                             mean_squared_error, precision_recall_fscore_support, r2_score)

SEED = 20240611
OUT = Path(__file__).resolve().parents[2] / "functions" / "quality" / "src" / "test" / "resources" / "quality-fixtures"
QUANTILES = {"p5": 5, "p25": 25, "p50": 50, "p75": 75, "p95": 95}


def versions():
    return {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([repr(float(v)) if isinstance(v, (float, np.floating)) else v for v in r])


def write_json(path, doc):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n")


def scores(p, r, f):
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def classification_expected(classes, actual, predicted, probs):
    """probs: rows x classes, columns in the order of `classes`."""
    actual = np.asarray(actual, dtype=object)
    predicted = np.asarray(predicted, dtype=object)
    p, r, f, s = precision_recall_fscore_support(actual, predicted, labels=classes, zero_division=0)
    macro = precision_recall_fscore_support(actual, predicted, labels=classes, zero_division=0, average="macro")
    weighted = precision_recall_fscore_support(actual, predicted, labels=classes, zero_division=0,
                                               average="weighted")
    order = np.argsort(np.asarray(classes, dtype=object))  # sklearn reads y_pred columns in sorted-label order
    doc = {
        "versions": versions(),
        "classes": classes,
        "rows": len(actual),
        "accuracy": float(accuracy_score(actual, predicted)),
        "per_class": {c: dict(scores(p[i], r[i], f[i]), support=int(s[i])) for i, c in enumerate(classes)},
        "macro": scores(*macro[:3]),
        "weighted": scores(*weighted[:3]),
        "confusion": confusion_matrix(actual, predicted, labels=classes).tolist(),
        "log_loss": float(log_loss(actual, probs[:, order], labels=classes)),
        "brier": None,
    }
    if len(classes) == 2:
        y_true = actual == classes[1]
        y_prob = probs[:, 1]
        doc["brier"] = float(brier_score_loss(actual, y_prob, pos_label=classes[1]))
        doc["calibration_of"] = "positive class " + classes[1]
    else:
        y_true = predicted == actual
        y_prob = probs.max(axis=1)
        doc["calibration_of"] = "top-label confidence"
    y_true = y_true.astype(int)
    prob_true, prob_pred = calibration_curve(y_true, y_prob, n_bins=10, strategy="uniform")
    # sklearn returns neither the counts nor the edges of the bins it keeps: the same binning, by hand
    edges = np.linspace(0.0, 1.0, 11)
    binids = np.searchsorted(edges[1:-1], y_prob)
    counts = np.bincount(binids, minlength=len(edges))
    kept = np.nonzero(counts)[0]
    assert len(kept) == len(prob_true)
    doc["calibration"] = {
        "lower": [float(edges[i]) for i in kept],
        "upper": [float(edges[i + 1]) for i in kept],
        "counts": [int(counts[i]) for i in kept],
        "prob_true": [float(x) for x in prob_true],
        "prob_pred": [float(x) for x in prob_pred],
    }
    return doc


def binary(rng):
    def features(n):
        return rng.normal(size=(n, 3))

    def labels(x):
        logit = 0.3 + 1.2 * x[:, 0] - 0.8 * x[:, 1] + 0.5 * x[:, 2] + 0.4 * x[:, 0] * x[:, 1]
        return (rng.random(len(x)) < 1 / (1 + np.exp(-logit))).astype(int)

    x_train, x = features(2000), features(2000)
    model = LogisticRegression().fit(x_train, labels(x_train))
    y = labels(x)
    probs = model.predict_proba(x)  # columns [0, 1] = [stay, churn]
    # overconfident rows: probabilities of exactly 0 and 1, half of them wrong
    for i, row in enumerate(range(0, 40, 4)):
        probs[row] = [0.0, 1.0] if i % 2 == 0 else [1.0, 0.0]
    classes = ["stay", "churn"]
    actual = [classes[v] for v in y]
    predicted = [classes[int(p[1] > 0.5)] for p in probs]
    write_csv(OUT / "binary" / "rows.csv", ["actual", "predicted", "p_stay", "p_churn"],
              [(a, b, p[0], p[1]) for a, b, p in zip(actual, predicted, probs)])
    write_json(OUT / "binary" / "expected.json", classification_expected(classes, actual, predicted, probs))


def multiclass(rng):
    classes = ["red", "green", "blue"]
    n = 900
    y = rng.choice(3, size=n, p=[0.45, 0.35, 0.2])
    probs = np.empty((n, 3))
    for i in range(n):
        alpha = np.ones(3)
        alpha[y[i]] += 2.0
        probs[i] = np.round(rng.dirichlet(alpha), 3)  # rounded: rows need not sum to 1
        if i % 7 == 0:
            probs[i, rng.integers(3)] = 0.0  # exactly 0, sometimes on the actual class
    predicted_idx = np.where(probs[:, 0] >= probs[:, 1], 0, 1)  # blue is never predicted
    actual = [classes[v] for v in y]
    predicted = [classes[v] for v in predicted_idx]
    write_csv(OUT / "multiclass" / "rows.csv", ["actual", "predicted", "p_red", "p_green", "p_blue"],
              [(a, b, p[0], p[1], p[2]) for a, b, p in zip(actual, predicted, probs)])
    write_json(OUT / "multiclass" / "expected.json", classification_expected(classes, actual, predicted, probs))


def regression(rng):
    n = 1500
    actual = np.round(200_000 + 50_000 * rng.normal(size=n), 2)
    predicted = np.round(0.97 * actual + 3_000 + 15_000 * rng.standard_t(5, size=n), 2)
    predicted[:10] = actual[:10]  # a few exact predictions: residual 0
    residual = actual - predicted
    counts, edges = np.histogram(residual, bins=20)
    write_csv(OUT / "regression" / "rows.csv", ["actual", "predicted"], zip(actual, predicted))
    write_json(OUT / "regression" / "expected.json", {
        "versions": versions(),
        "rows": n,
        "mae": float(mean_absolute_error(actual, predicted)),
        "rmse": float(math.sqrt(mean_squared_error(actual, predicted))),
        "r2": float(r2_score(actual, predicted)),
        "mean_residual": float(np.mean(residual)),
        "quantiles": {k: float(np.percentile(residual, q)) for k, q in QUANTILES.items()},
        "histogram": {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]},
    })


def two_proportions():
    """Pooled two-proportion z-test, Wald interval of p2 - p1, and the per-arm sample size
    n = (z_{1-a/2} sqrt(2 pbar (1 - pbar)) + z_{0.8} sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2,
    pbar = (p1 + p2) / 2, p2 = min(p1 + mde, 1), rounded up."""
    cases = []
    for cs, cn, xs, xn, alpha, mde in [(3200, 4000, 3400, 4000, 0.05, 0.02), (800, 1000, 850, 1000, 0.05, 0.05),
                                       (50, 100, 45, 120, 0.01, 0.1), (9120, 10000, 9085, 10000, 0.05, 0.01),
                                       (3, 40, 9, 35, 0.1, 0.03), (995, 1000, 999, 1000, 0.05, 0.01)]:
        p1, p2 = cs / cn, xs / xn
        pooled = (cs + xs) / (cn + xn)
        z = (p2 - p1) / math.sqrt(pooled * (1 - pooled) * (1 / cn + 1 / xn))
        half = norm.ppf(1 - alpha / 2) * math.sqrt(p1 * (1 - p1) / cn + p2 * (1 - p2) / xn)
        q2 = min(p1 + mde, 1.0)
        pbar = (p1 + q2) / 2
        n = (norm.ppf(1 - alpha / 2) * math.sqrt(2 * pbar * (1 - pbar))
             + norm.ppf(0.8) * math.sqrt(p1 * (1 - p1) + q2 * (1 - q2))) ** 2 / (q2 - p1) ** 2
        cases.append({"champion_successes": cs, "champion_rows": cn, "challenger_successes": xs,
                      "challenger_rows": xn, "alpha": alpha, "minimum_detectable_effect": mde,
                      "difference": p2 - p1, "z": z, "p_value": float(2 * norm.sf(abs(z))),
                      "confidence_low": p2 - p1 - half, "confidence_high": p2 - p1 + half,
                      "rows_needed_per_arm": math.ceil(n)})
    write_json(OUT / "two-proportions.json", {"versions": versions(), "cases": cases})


def main():
    rng = np.random.default_rng(SEED)
    binary(rng)
    multiclass(rng)
    regression(rng)
    two_proportions()
    print("wrote", OUT)


if __name__ == "__main__":
    main()
