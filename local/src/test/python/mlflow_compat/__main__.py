"""Runs the MLflow compatibility suite with the MLflow client of this Python.

  python -m mlflow_compat --url URL [--target auto|stock|capstan] [--scenario a,b] [--report FILE] [--record DIR]
  python -m mlflow_compat --compare STOCK_URL CAPSTAN_URL [--report FILE] [--scenario a,b] [--record DIR]

The first form runs every scenario for this client's version against one server and writes a JSON report
{scenario: {check: {status, observed[, expected]}}} (``--report``, default: stdout summary only) and a summary line.
``--record DIR`` puts a recording proxy between client and server and writes DIR/<client version>/<scenario>.jsonl.
The second form runs the suite against both servers (one child process each, same name suffix) and lists every
check whose status or observed value differs; with ``--record`` both sides are recorded and the exchanges where
Capstan's answer differs are marked in its files (``mlflow_compat.wire prune``). Exit status: 0 when every check passed (or, comparing, when nothing
differs), 1 otherwise, 2 on a usage or setup error.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")
os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")
os.environ.setdefault("PYTHONWARNINGS", "ignore")  # deprecations and schema hints the suite provokes on purpose


def main(argv=None):
    parser = argparse.ArgumentParser(prog="mlflow_compat", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="server to test")
    parser.add_argument("--compare", nargs=2, metavar=("STOCK_URL", "CAPSTAN_URL"))
    parser.add_argument("--target", choices=("auto", "stock", "capstan"), default="auto",
                        help="what --url is (auto: Capstan when it answers GET /v2/health/live)")
    parser.add_argument("--scenario", help="comma-separated scenario names (default: all for this client)")
    parser.add_argument("--report", help="write the JSON report here")
    parser.add_argument("--record", metavar="DIR", help="record wire exchanges under DIR/<client version>/")
    parser.add_argument("--reference-record", metavar="DIR",
                        help="with --compare and --record: where the stock server's exchanges go (default DIR/reference)")
    parser.add_argument("--suffix", help="suffix that makes names unique (default: random)")
    parser.add_argument("--fresh-server", action="store_true",
                        help="the server was started empty for this run (written to the recording's manifest: the "
                             "replay test then replays on an empty platform too)")
    parser.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    args = parser.parse_args(argv)
    if bool(args.url) == bool(args.compare):
        parser.error("give exactly one of --url or --compare")
    suffix = args.suffix or uuid.uuid4().hex[:8]
    if args.compare:
        return compare(args, suffix)
    return run(args, suffix)


def detect_target(url):
    import requests
    try:
        return "capstan" if requests.get(url.rstrip("/") + "/v2/health/live", timeout=10).status_code == 200 \
            else "stock"
    except requests.RequestException:
        return "stock"


def run(args, suffix):
    import logging
    import warnings

    warnings.simplefilter("ignore")
    from . import scenarios  # noqa: F401  registers the scenarios (and imports mlflow, which sets its log level)
    logging.getLogger("mlflow").setLevel(logging.ERROR)
    from .common import CLIENT_MAJOR, CLIENT_VERSION, use_server
    from .harness import REGISTRY, Scenario, summarize

    url = args.url.rstrip("/")
    target = detect_target(url) if args.target == "auto" else args.target
    wanted = set(args.scenario.split(",")) if args.scenario else None
    chosen = [s for s in REGISTRY if CLIENT_MAJOR in s["clients"] and (wanted is None or s["name"] in wanted)]
    if wanted and wanted - {s["name"] for s in chosen}:
        print(f"unknown scenario(s) for client {CLIENT_VERSION}: {sorted(wanted - {s['name'] for s in chosen})}",
              file=sys.stderr)
        return 2
    proxy = None
    record_dir = None
    if args.record:
        from .recorder import RecordingProxy
        record_dir = os.path.join(args.record, CLIENT_VERSION)
        os.makedirs(record_dir, exist_ok=True)
        proxy = RecordingProxy(url).start()
    client_url = proxy.url if proxy else url
    os.environ["MLFLOW_TRACKING_URI"] = client_url
    report = {}
    started = time.time()
    try:
        for spec in chosen:
            env = {"url": client_url, "target": target, "client_major": CLIENT_MAJOR, "suffix": suffix,
                   "client_version": CLIENT_VERSION}
            t = Scenario(spec["name"], env)
            if proxy:
                proxy.output = os.path.join(record_dir, spec["name"] + ".jsonl")
                open(proxy.output, "w").close()
            use_server(client_url)
            t0 = time.time()
            with _guard(t):
                spec["fn"](t)
            use_server(client_url)
            if proxy:
                proxy.output = None
            report[spec["name"]] = t.results
            counts = summarize({spec["name"]: t.results})
            if not args.quiet:
                print(f"{spec['name']}: {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped "
                      f"({time.time() - t0:.1f} s)", flush=True)
            for check, entry in t.results.items():
                if entry["status"] == "fail":
                    print(f"  FAIL {spec['name']}/{check}: observed {json.dumps(entry['observed'])[:300]}"
                          f" expected {json.dumps(entry.get('expected'))[:200]}", flush=True)
    finally:
        if proxy:
            proxy.stop()
    counts = summarize(report)
    result = {"client": CLIENT_VERSION, "url": url, "target": target, "suffix": suffix,
              "seconds": round(time.time() - started, 1), "summary": counts, "scenarios": report}
    if proxy:
        result["recorded"] = {"dir": record_dir, "exchanges": proxy.counter, "skipped": proxy.skipped}
        with open(os.path.join(record_dir, "manifest.json"), "w") as out:
            json.dump({"client": CLIENT_VERSION, "server": target, "fresh_server": args.fresh_server,
                       "suffix": suffix, "scenarios": [s["name"] for s in chosen],
                       "skipped_over_256kb": proxy.skipped}, out, indent=2)
            out.write("\n")
    if args.report:
        with open(args.report, "w") as out:
            json.dump(result, out, indent=2, sort_keys=False)
            out.write("\n")
    print(f"SUMMARY mlflow {CLIENT_VERSION} client vs {target} {url}: {counts['pass']} passed, {counts['fail']} failed,"
          f" {counts['skip']} skipped in {result['seconds']} s", flush=True)
    return 0 if counts["fail"] == 0 else 1


class _guard:
    """Runs a whole scenario; a crash outside any section is a failed ``completed`` check."""

    def __init__(self, t):
        self.t = t

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is not None and not isinstance(exc, KeyboardInterrupt):
            import traceback
            self.t.results[self.t._key("completed")] = {
                "status": "fail", "observed": f"{kind.__name__}: {str(exc)[:400]}",
                "traceback": "".join(traceback.format_exception(kind, exc, tb))[-3000:]}
            return True
        return False


def compare(args, suffix):
    """Runs the suite against both URLs in child processes and lists the checks that differ."""
    reports = {}
    reference_dir = args.reference_record or os.path.join(args.record or "", "reference")
    with tempfile.TemporaryDirectory(prefix="mlflow-compat-") as tmp:
        for label, url, target in (("stock", args.compare[0], "stock"), ("capstan", args.compare[1], "auto")):
            path = os.path.join(tmp, label + ".json")
            cmd = [sys.executable, "-m", "mlflow_compat", "--url", url, "--target", target, "--report", path,
                   "--suffix", suffix, "--quiet"]
            if args.scenario:
                cmd += ["--scenario", args.scenario]
            if args.record:
                cmd += ["--record", reference_dir if label == "stock" else args.record]
            if args.fresh_server:
                cmd += ["--fresh-server"]
            print(f"== {label}: {url}", flush=True)
            subprocess.run(cmd, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), check=False)
            if not os.path.exists(path):
                print(f"the {label} run wrote no report", file=sys.stderr)
                return 2
            with open(path) as f:
                reports[label] = json.load(f)
    differences = diff_reports(reports["stock"]["scenarios"], reports["capstan"]["scenarios"])
    wire_differences = None
    if args.record:
        from . import wire
        version = reports["capstan"]["client"]
        wire_differences = wire.prune(os.path.join(reference_dir, version), os.path.join(args.record, version))
    result = {"client": reports["stock"]["client"], "stock": {k: reports["stock"][k] for k in ("url", "summary")},
              "capstan": {k: reports["capstan"][k] for k in ("url", "summary")}, "differences": differences,
              "reports": reports}
    if wire_differences is not None:
        result["wire_differences"] = wire_differences
    if args.report:
        with open(args.report, "w") as out:
            json.dump(result, out, indent=2)
            out.write("\n")
    print(f"== differences (client {result['client']}): {len(differences)}")
    for d in differences:
        print(f"  {d['scenario']}/{d['check']}: stock {d['stock']['status']} {json.dumps(d['stock'].get('observed'))[:200]}"
              f" | capstan {d['capstan']['status']} {json.dumps(d['capstan'].get('observed'))[:200]}")
    wire_count = ""
    if wire_differences is not None:
        wire_count = f", {sum(len(v) for v in wire_differences.values())} recorded exchanges differ (marked)"
    print(f"SUMMARY compare mlflow {result['client']}: stock {result['stock']['summary']}, capstan "
          f"{result['capstan']['summary']}, {len(differences)} checks differ{wire_count}", flush=True)
    return 0 if not differences else 1


def diff_reports(stock, capstan):
    differences = []
    for name in list(stock) + [n for n in capstan if n not in stock]:
        a, b = stock.get(name, {}), capstan.get(name, {})
        for check in list(a) + [c for c in b if c not in a]:
            ea = a.get(check, {"status": "absent"})
            eb = b.get(check, {"status": "absent"})
            if eb.get("status") == "skip" or (ea.get("status") == "skip" and eb.get("status") != "fail"):
                continue  # a check only one side makes (Capstan's extensions) differs only when it fails
            if ea.get("status") != eb.get("status") or ea.get("observed") != eb.get("observed"):
                differences.append({"scenario": name, "check": check,
                                    "stock": {k: ea.get(k) for k in ("status", "observed") if k in ea},
                                    "capstan": {k: eb.get(k) for k in ("status", "observed", "expected") if k in eb}})
    return differences


if __name__ == "__main__":
    sys.exit(main())
