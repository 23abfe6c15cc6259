#!/usr/bin/env python3
"""Benchmarks MLflow tracking servers through MLflow's own Python client (MlflowClient), one thread on loopback.

The workloads of scripts/bench-tracking.sh (which drives MLflow's Java client):
  (a) 10,000 metrics by log_batch in chunks of 1000 (each chunk timed; the total is the 10 chunks' sum)
  (b) 2,000 single log_metric calls, after --metric-warmup untimed ones on another run
  (c) 200 runs created (each create_run timed), one metric `m` logged to each (untimed), then search_runs with
      `metrics.m > 0.4975` (100 of the 200 match) repeated --repeat times
  (d) get_metric_history of the 10,000-point metric of (a), repeated --repeat times
  Before the timed reads of (c) and (d), one untimed call, as bench-tracking.sh makes.

One server:   tracking_client.py --url URL [--repeat N] [--rounds R]
Side by side: tracking_client.py --compare CAPSTAN_URL STOCK_URL [--repeat N] [--rounds R] [--warm-up K]
  warms both servers up with K untimed passes of the whole suite (default 1), then runs R rounds (default 3) of
  the suite against both at once, call by call: each timed call against one server is followed by the same call
  against the other, the one going first alternating, so both see the same machine (other processes, CPU
  frequency) and the ratio stays meaningful on a busy one.

Prints a table (per workload: calls timed, p50, mean, p99 in ms; the total for (a); side by side also the ratio
stock / Capstan of p50 and of mean, whether the bar is met on p50, and each round's p50 ratio), then one JSON line.
Progress goes to stderr. Only the client calls are timed; Python's start-up and MLflow's import are not.
"""
import argparse
import json
import math
import sys
import time

import mlflow
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

BATCH_METRICS = 10_000
BATCH_CHUNK = 1000
SINGLE_CALLS = 2000
RUNS = 200
SEARCH_FILTER = "metrics.m > 0.4975"
SEARCH_MATCHES = 100

# name, label, bar (stock time / Capstan time must reach it on p50; issue 9)
WORKLOADS = [
    ("log_batch", "(a) log-batch, 1000 metrics a call", 2.0),
    ("log_metric", "(b) log-metric", 2.0),
    ("create_run", "(c) create-run", 2.0),
    ("search", "(c) search 200 runs, 100 match", 3.0),
    ("history", "(d) history of 10,000 points", 3.0),
]


def progress(message):
    print("[bench] " + message, file=sys.stderr, flush=True)


def timed(call):
    start = time.perf_counter_ns()
    result = call()
    return time.perf_counter_ns() - start, result


class Suite:
    """One server's workloads, each a generator yielding one timed call's nanoseconds at a time, and what they leave
    for the next (the 10,000-point run, the searched experiment)."""

    def __init__(self, name, url, repeat, metric_warmup):
        self.name = name
        self.client = MlflowClient(tracking_uri=url)
        self.repeat = repeat
        self.metric_warmup = metric_warmup
        self.unique = 0
        self.experiment = None
        self.history_run = None
        self.search_experiment = None

    def _experiment(self, what):
        self.unique += 1
        return self.client.create_experiment("bench-py-%s-%d-%d" % (what, time.time_ns(), self.unique))

    def log_batch(self):
        self.experiment = self._experiment("main")
        run_id = self.client.create_run(self.experiment).info.run_id
        for first in range(0, BATCH_METRICS, BATCH_CHUNK):
            metrics = [Metric("loss", 1.0 / (step + 1), 1_700_000_000_000 + step, step)
                       for step in range(first, first + BATCH_CHUNK)]
            nanos, _ = timed(lambda: self.client.log_batch(run_id, metrics=metrics))
            yield nanos
        self.history_run = run_id

    def log_metric(self):
        experiment = self.experiment or self._experiment("main")
        warm_run = self.client.create_run(experiment).info.run_id
        for i in range(self.metric_warmup):
            self.client.log_metric(warm_run, "warmup", i, 1_700_000_000_000 + i, i)
        run_id = self.client.create_run(experiment).info.run_id
        for i in range(SINGLE_CALLS):
            nanos, _ = timed(lambda: self.client.log_metric(run_id, "acc", i / SINGLE_CALLS,
                                                            1_700_000_000_000 + i, i))
            yield nanos

    def create_run(self):
        experiment = self._experiment("search")
        for i in range(RUNS):
            nanos, run = timed(lambda: self.client.create_run(experiment))
            self.client.log_metric(run.info.run_id, "m", i / RUNS)
            yield nanos
        self.search_experiment = experiment

    def search(self):
        self.client.search_runs([self.search_experiment], SEARCH_FILTER, max_results=1000)  # untimed first call
        for _ in range(self.repeat):
            nanos, runs = timed(lambda: self.client.search_runs([self.search_experiment], SEARCH_FILTER,
                                                                max_results=1000))
            if len(runs) != SEARCH_MATCHES:
                raise SystemExit("%s: the search found %d runs, expected %d" % (self.name, len(runs),
                                                                                 SEARCH_MATCHES))
            yield nanos

    def history(self):
        self.client.get_metric_history(self.history_run, "loss")  # untimed first call
        for _ in range(self.repeat):
            nanos, points = timed(lambda: self.client.get_metric_history(self.history_run, "loss"))
            if len(points) != BATCH_METRICS:
                raise SystemExit("%s: the history has %d points, expected %d" % (self.name, len(points),
                                                                                  BATCH_METRICS))
            yield nanos

    def steps(self, workload):
        return getattr(self, workload)()


def interleave(suites, workload):
    """Runs the workload against every suite call by call, the suite going first alternating; samples by suite."""
    names = list(suites)
    steps = {name: suites[name].steps(workload) for name in names}
    samples = {name: [] for name in names}
    turn = 0
    while steps:
        order = names if turn % 2 == 0 else names[::-1]
        for name in order:
            if name in steps:
                try:
                    samples[name].append(next(steps[name]))
                except StopIteration:
                    del steps[name]
        turn += 1
    return samples


def percentile(sorted_nanos, p):
    index = max(0, min(len(sorted_nanos) - 1, math.ceil(p * len(sorted_nanos)) - 1))
    return sorted_nanos[index] / 1e6


def summary(samples, workload):
    ordered = sorted(samples)
    result = {"n": len(ordered), "p50": round(percentile(ordered, 0.50), 3),
              "mean": round(sum(ordered) / len(ordered) / 1e6, 3), "p99": round(percentile(ordered, 0.99), 3)}
    if workload == "log_batch":
        per_pass = BATCH_METRICS // BATCH_CHUNK
        totals = sorted(sum(samples[i:i + per_pass]) for i in range(0, len(samples), per_pass))
        result["total_s_median"] = round(totals[(len(totals) - 1) // 2] / 1e9, 3)
        result["totals_s"] = [round(t / 1e9, 3) for t in totals]
    return result


def cell(s):
    return "%8.2f %8.2f %8.2f" % (s["p50"], s["mean"], s["p99"])


def one_server(args):
    suite = {"server": Suite("server", args.url, args.repeat, args.metric_warmup)}
    samples = {name: [] for name, _, _ in WORKLOADS}
    for r in range(args.rounds):
        for name, label, _ in WORKLOADS:
            progress("round %d/%d: %s" % (r + 1, args.rounds, label))
            samples[name] += interleave(suite, name)["server"]
    results = {name: summary(samples[name], name) for name, _, _ in WORKLOADS}
    print("MLflow %s Python client against %s, %d round(s), read workloads x%d a round"
          % (mlflow.__version__, args.url, args.rounds, args.repeat))
    print("%-36s %5s %8s %8s %8s" % ("workload (ms a call)", "n", "p50", "mean", "p99"))
    for name, label, _ in WORKLOADS:
        s = results[name]
        extra = "   10,000 in %.3f s (median)" % s["total_s_median"] if name == "log_batch" else ""
        print("%-36s %5d %s%s" % (label, s["n"], cell(s), extra))
    print(json.dumps({"client": "mlflow " + mlflow.__version__, "server": args.url, "rounds": args.rounds,
                      "repeat": args.repeat, "workloads": results}, separators=(", ", ": ")))
    return 0


def compare(args):
    capstan_url, stock_url = args.compare
    suites = {"capstan": Suite("capstan", capstan_url, args.repeat, args.metric_warmup),
              "stock": Suite("stock", stock_url, args.repeat, args.metric_warmup)}
    for k in range(args.warm_up):
        for key, suite in suites.items():
            progress("warm-up %d/%d on %s: the whole suite, untimed" % (k + 1, args.warm_up, key))
            for name, _, _ in WORKLOADS:
                for _ in suite.steps(name):
                    pass
    samples = {key: {name: [] for name, _, _ in WORKLOADS} for key in suites}
    round_ratios = {name: [] for name, _, _ in WORKLOADS}
    round_p50 = {key: {name: [] for name, _, _ in WORKLOADS} for key in suites}
    for r in range(args.rounds):
        for name, label, _ in WORKLOADS:
            progress("round %d/%d: %s, both servers call by call" % (r + 1, args.rounds, label))
            got = interleave(suites, name)
            for key in suites:
                samples[key][name] += got[key]
            for key in suites:
                round_p50[key][name].append(summary(got[key], name)["p50"])
            round_ratios[name].append(round(round_p50["stock"][name][-1] / round_p50["capstan"][name][-1], 2))
    results = {}
    for name, _, bar in WORKLOADS:
        c = dict(summary(samples["capstan"][name], name), p50_by_round=round_p50["capstan"][name])
        s = dict(summary(samples["stock"][name], name), p50_by_round=round_p50["stock"][name])
        ratio_p50 = s["p50"] / c["p50"]
        results[name] = {"capstan": c, "stock": s, "ratio_p50": round(ratio_p50, 2),
                         "ratio_mean": round(s["mean"] / c["mean"], 2), "ratio_p50_by_round": round_ratios[name],
                         "bar": bar, "met": ratio_p50 >= bar}
    print("MLflow %s Python client, one thread on loopback; Capstan %s vs stock MLflow %s; %d round(s) after %d "
          "warm-up pass(es); read workloads x%d a round" % (mlflow.__version__, capstan_url, stock_url,
                                                           args.rounds, args.warm_up, args.repeat))
    print("%-34s %5s | %-26s | %-26s | %-13s | %-11s | %s" % (
        "", "calls", "Capstan ms: p50 mean p99", "stock ms: p50 mean p99", "ratio p50/mean", "bar (p50)",
        "p50 ratio by round"))
    for name, label, bar in WORKLOADS:
        r = results[name]
        print("%-34s %5d | %s | %s | %5.2fx %5.2fx | >= %.0fx %-6s | %s" % (
            label, r["capstan"]["n"], cell(r["capstan"]), cell(r["stock"]), r["ratio_p50"], r["ratio_mean"], bar,
            "met" if r["met"] else "MISSED", " ".join("%.2f" % x for x in r["ratio_p50_by_round"])))
    c, s = results["log_batch"]["capstan"], results["log_batch"]["stock"]
    print("%-34s       | %20.3f s       | %20.3f s       | %5.2fx" % (
        "(a) 10,000 metrics, total (median)", c["total_s_median"], s["total_s_median"],
        s["total_s_median"] / c["total_s_median"]))
    print(json.dumps({"client": "mlflow " + mlflow.__version__, "capstan": capstan_url, "stock": stock_url,
                      "rounds": args.rounds, "warm_up": args.warm_up, "repeat": args.repeat,
                      "bars_met": all(r["met"] for r in results.values()), "workloads": results},
                     separators=(", ", ": ")))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="one server, e.g. http://127.0.0.1:5000")
    target.add_argument("--compare", nargs=2, metavar=("CAPSTAN_URL", "STOCK_URL"),
                        help="Capstan and a stock MLflow server, side by side")
    parser.add_argument("--repeat", type=int, default=20, help="calls of each read workload a round (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--warm-up", type=int, default=1, help="untimed passes of the suite first (--compare)")
    parser.add_argument("--metric-warmup", type=int, default=200,
                        help="untimed log_metric calls before (b) (default 200)")
    args = parser.parse_args()
    return one_server(args) if args.url else compare(args)


if __name__ == "__main__":
    sys.exit(main())
