#!/usr/bin/env python3
"""Measures MLflow's own tracking server (stock, SQLite backend) on run searches.

The numbers are meant to be compared with another tracking server measured the same way: same data, same
queries, same client, same machine.

What it does:
  1. Makes an empty scratch directory and creates MLflow's SQLite schema in <dir>/mlflow.db the way the server
     itself does on its first start (SqlAlchemyStore: create_all + alembic stamp; `mlflow db upgrade` cannot
     start from an empty file), with the server's default artifact root `mlflow-artifacts:/` (the server is
     started with --artifacts-destination <dir>/artifacts).
  2. Creates one experiment `search-<size>` per size through MLflow's store, then bulk-INSERTs exactly <size> runs
     into MLflow's own tables with Python's sqlite3 (runs, params, tags, metrics, latest_metrics), with the
     column values MLflow's create_run / log_batch would write. Run i (0-based):
       run_uuid md5("<size>-<i>"), name/mlflow.runName "run-<i>", user_id/mlflow.user "bench",
       start_time 1_700_000_000_000 + i*1000, end_time start_time + 500,
       status FAILED if i % 20 == 1, RUNNING if i % 20 == 2, else FINISHED; lifecycle active;
       params lr=str(i % 10 / 100), batch=str(2 ** (i % 6)), layers=str(i % 4),
              optimizer=["adam","sgd","rmsprop"][i % 3], p="v"+str(i % 50), seed=str(i);
       tags team=["x","y","z","w"][i % 4];
       metrics (step 0, timestamp start_time, in metrics and latest_metrics):
              acc=((i*7919) % 10000)/10000, loss=1-acc, f1=acc*0.9.
  3. Starts the stock server (`python -m mlflow server ... --workers 1`, in its own session), waits for /health,
     then until the server's whole process group is idle (MLflow 3.x starts a job runner and six huey consumers
     after /health already answers; their start-up would otherwise land in the first timed searches), and checks
     the data with MlflowClient().search_runs([exp], max_results=5) (run count, params, tags, metrics).
  4. For each size times these searches (POST /api/2.0/mlflow/runs/search, max_results 100, ACTIVE_ONLY), each
     after 2 untimed warm-up calls, --repeat timed calls, with one keep-alive `requests` session:
       default     no filter, no order_by (start_time DESC)
       status      attributes.status = 'FAILED'
       param_eq    params.p = 'v7'
       tag_eq      tags.team = 'x'
       top_metric  order_by metrics.acc DESC
     The time is that of `session.post(...)` (request sent, whole response body received); JSON decoding is not
     timed. Every answer's run count is checked (min(100, runs matching)); the first warm-up answer of each
     query is also checked for content (order, filter values). Any mismatch stops the script with an error.
     Two limits keep the run finite, since some of MLflow's searches grow with experiment size times database
     size (top_metric on SQLite: the ORDER BY metric is a LEFT JOIN on a materialized subquery of every run's
     latest `acc`, scanned once per run of the experiment; about 4 s a call for 1,000 runs and 40 s for 10,000
     when the 100,000-run experiment shares the database, so minutes for 100,000):
       --query-budget-s  once a (size, query)'s timed calls add up to this (and at least 3 were made), it stops
                         there; the JSON gives "calls" and "budget_hit".
       --max-call-s      a call taking longer is abandoned; the query gets "timed_out" (no p50/p90), is
                         skipped at larger sizes, and the server is restarted (the abandoned search would keep
                         its single worker busy).
  5. Prints one line per (size, query) with p50, p90 (linear interpolation between closest ranks, as numpy's
     default) in ms, the run count and the timed calls; writes the JSON file --out:
       {"server": "mlflow <version> sqlite", "machine": {"nproc", "cpu_model", "python"}, "date": ISO,
        "results": {"<size>": {"<query>": {"p50_ms", "p90_ms", "runs", "calls", "latencies_ms"}}},
        "populate_seconds": {"<size>": s}, ... and the settings, server start-up and the 1-minute load average
        at start and end (the machine is shared: a busy one makes every number worse)}
  6. Stops the server by process group and removes the scratch directory (unless --keep), and the huey job store
     that MLflow 3.x makes under /dev/shm and does not remove itself.

Run it with the interpreter of the MLflow to measure (the script imports mlflow to build the schema and for the
sanity check, and starts the server with that same interpreter and environment):
  /work/mlflow-env/py3 scripts/bench/search_mlflow.py --sizes 1000,10000,100000 --repeat 20 --out /tmp/mlflow-search.json
  /work/mlflow-env/py2 scripts/bench/search_mlflow.py --sizes 1000 --repeat 3
Single process apart from the server; progress goes to stderr.
"""
import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

# Before mlflow is imported: no retries of 5xx answers (they would hide failures for a minute), no telemetry.
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import requests  # noqa: E402

BASE_TIME_MS = 1_700_000_000_000
MAX_RESULTS = 100
WARM_UP = 2
MIN_CALLS = 3  # timed calls made even when --query-budget-s is spent
PROGRESS_EVERY = 10_000
USER = "bench"
OPTIMIZERS = ["adam", "sgd", "rmsprop"]
TEAMS = ["x", "y", "z", "w"]

# name -> (filter, order_by, predicate on the run index i that says whether run i matches)
QUERIES = {
    "default": ("", [], lambda i: True),
    "status": ("attributes.status = 'FAILED'", [], lambda i: i % 20 == 1),
    "param_eq": ("params.p = 'v7'", [], lambda i: i % 50 == 7),
    "tag_eq": ("tags.team = 'x'", [], lambda i: i % 4 == 0),
    "top_metric": ("", ["metrics.acc DESC"], lambda i: True),
}


def progress(message):
    print("[search-mlflow] " + message, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- the data


def run_uuid(size, i):
    return hashlib.md5(f"{size}-{i}".encode()).hexdigest()


def run_status(i):
    return "FAILED" if i % 20 == 1 else "RUNNING" if i % 20 == 2 else "FINISHED"


def run_params(i):
    return {
        "lr": str(i % 10 / 100),
        "batch": str(2 ** (i % 6)),
        "layers": str(i % 4),
        "optimizer": OPTIMIZERS[i % 3],
        "p": "v" + str(i % 50),
        "seed": str(i),
    }


def run_tags(i):
    return {"team": TEAMS[i % 4], "mlflow.runName": f"run-{i}", "mlflow.user": USER}


def run_metrics(i):
    acc = ((i * 7919) % 10000) / 10000.0
    return {"acc": acc, "loss": 1 - acc, "f1": acc * 0.9}


def expected_runs(size, query):
    matching = sum(1 for i in range(size) if QUERIES[query][2](i))
    return min(MAX_RESULTS, matching)


# ---------------------------------------------------------------- schema and population


def create_schema(db_uri):
    """Creates MLflow's schema as the server does on its first start; returns the store (to create experiments)."""
    from mlflow.store.tracking import DEFAULT_ARTIFACTS_URI
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    return SqlAlchemyStore(db_uri, DEFAULT_ARTIFACTS_URI)


def populate(db_path, experiment_id, artifact_location, size):
    """Inserts `size` runs into experiment `experiment_id` with sqlite3; returns seconds taken."""
    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    try:
        # Only this connection's durability; nothing persistent in the file changes (no WAL).
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        for chunk_start in range(0, size, PROGRESS_EVERY):
            chunk = range(chunk_start, min(size, chunk_start + PROGRESS_EVERY))
            runs, params, tags, metrics = [], [], [], []
            for i in chunk:
                uuid = run_uuid(size, i)
                start_time = BASE_TIME_MS + i * 1000
                runs.append((
                    uuid, f"run-{i}", "UNKNOWN", "", "", USER, run_status(i), start_time, start_time + 500,
                    "", "active", f"{artifact_location.rstrip('/')}/{uuid}/artifacts", int(experiment_id), None,
                ))
                params.extend((k, v, uuid) for k, v in run_params(i).items())
                tags.extend((k, v, uuid) for k, v in run_tags(i).items())
                metrics.extend((k, v, start_time, 0, 0, uuid) for k, v in run_metrics(i).items())
            with conn:
                conn.executemany(
                    "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,"
                    " start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id,"
                    " deleted_time) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    runs,
                )
                conn.executemany('INSERT INTO params ("key", value, run_uuid) VALUES (?,?,?)', params)
                conn.executemany('INSERT INTO tags ("key", value, run_uuid) VALUES (?,?,?)', tags)
                conn.executemany(
                    'INSERT INTO metrics ("key", value, timestamp, step, is_nan, run_uuid) VALUES (?,?,?,?,?,?)',
                    metrics,
                )
                conn.executemany(
                    'INSERT INTO latest_metrics ("key", value, timestamp, step, is_nan, run_uuid)'
                    " VALUES (?,?,?,?,?,?)",
                    metrics,
                )
            done = chunk.stop
            if done % PROGRESS_EVERY == 0 or done == size:
                progress(f"  search-{size}: {done:,} / {size:,} runs ({time.perf_counter() - start:.1f} s)")
        count = conn.execute("SELECT COUNT(*) FROM runs WHERE experiment_id = ?", (int(experiment_id),)).fetchone()
        if count[0] != size:
            raise BenchError(f"search-{size}: {count[0]} runs in the database, expected {size}")
    finally:
        conn.close()
    return time.perf_counter() - start


# ---------------------------------------------------------------- server


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workdir, db_uri, port, log_path):
    command = [
        sys.executable, "-m", "mlflow", "server",
        "--backend-store-uri", db_uri,
        "--artifacts-destination", os.path.join(workdir, "artifacts"),
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
    ]
    progress("starting: " + " ".join(command))
    log = open(log_path, "wb")
    # start_new_session = setsid: the server and whatever it spawns (gunicorn / uvicorn, job runner) share one
    # process group, stopped together by stop_server.
    process = subprocess.Popen(
        command, cwd=workdir, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        env=dict(os.environ), start_new_session=True,
    )
    log.close()
    return process


def log_tail(log_path, lines=40):
    try:
        with open(log_path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_healthy(process, url, log_path, timeout_s=180):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"the server exited with {process.returncode}:\n{log_tail(log_path)}")
        try:
            if requests.get(url + "/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise BenchError(f"the server did not answer /health in {timeout_s} s:\n{log_tail(log_path)}")


def group_processes(pgid):
    """(pid, cpu seconds used so far) of every process in process group `pgid`."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            found.append((int(name), (int(fields[11]) + int(fields[12])) / ticks))
    return found


def wait_quiet(process, window_s=1.0, max_cpu_s=0.05, calm_windows=2, timeout_s=120):
    """Waits until the server's whole process group is idle.

    /health answers before the server has finished starting: MLflow 3.x then launches a job runner and several huey
    consumers, each importing mlflow for some CPU-seconds, which on a 2-core machine would land in the first timed
    searches. Returns (seconds waited, processes in the group).
    """
    start = time.monotonic()
    calm = 0
    before = sum(cpu for _, cpu in group_processes(process.pid))
    while time.monotonic() - start < timeout_s:
        time.sleep(window_s)
        processes = group_processes(process.pid)
        now = sum(cpu for _, cpu in processes)
        calm = calm + 1 if now - before <= max_cpu_s else 0
        before = now
        if calm >= calm_windows:
            return time.monotonic() - start, len(processes)
    progress(f"warning: the server's processes still use CPU after {timeout_s} s; timing anyway")
    return time.monotonic() - start, len(group_processes(process.pid))


def server_scratch_paths(process):
    """Folders the server makes outside our scratch directory: MLflow 3.x's huey job store (in /dev/shm)."""
    paths = set()
    for pid, _ in group_processes(process.pid):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                for entry in f.read().split(b"\0"):
                    if entry.startswith(b"_MLFLOW_HUEY_STORAGE_PATH="):
                        paths.add(entry.split(b"=", 1)[1].decode())
        except OSError:
            continue
    return sorted(p for p in paths if p)


class Server:
    """The stock server, (re)started in its own process group; remembers what it leaves outside the scratch dir."""

    def __init__(self, workdir, db_uri):
        self.workdir, self.db_uri = workdir, db_uri
        self.process = None
        self.url = None
        self.starts = 0
        self.log_path = None
        self.extra_paths = set()

    def start(self):
        self.starts += 1
        self.log_path = os.path.join(self.workdir, f"server-{self.starts}.log")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        began = time.perf_counter()
        self.process = start_server(self.workdir, self.db_uri, port, self.log_path)
        wait_healthy(self.process, self.url, self.log_path)
        healthy_s = time.perf_counter() - began
        progress(f"server healthy at {self.url} after {healthy_s:.1f} s")
        settle_s, processes = wait_quiet(self.process)
        self.extra_paths.update(server_scratch_paths(self.process))
        progress(f"server processes ({processes}) idle after {settle_s:.1f} s more")
        return healthy_s, settle_s, processes

    def stop(self):
        if self.process is not None:
            self.extra_paths.update(server_scratch_paths(self.process))
            stop_server(self.process)
            self.process = None

    def cleanup(self):
        self.stop()
        for path in sorted(self.extra_paths):  # MLflow 3.x leaves its huey job store behind
            shutil.rmtree(path, ignore_errors=True)


def stop_server(process):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        progress("the server did not stop on SIGTERM in 15 s; SIGKILL to its process group")
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=15)
    # Children (gunicorn / uvicorn workers, job runner) may outlive the leader for a moment.
    for _ in range(50):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------- checks


def sanity_check(url, experiment_id, size):
    """MLflow's own client reads a few runs back; checks counts, params, tags, metrics and run info."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=url)
    runs = client.search_runs([experiment_id], max_results=5)
    want = min(5, size)
    if len(runs) != want:
        raise BenchError(f"sanity check search-{size}: {len(runs)} runs, expected {want}")
    for position, run in enumerate(runs):
        i = size - 1 - position  # default order: start_time DESC
        where = f"sanity check search-{size}, run {position}"
        if run.info.run_id != run_uuid(size, i) or run.info.run_name != f"run-{i}":
            raise BenchError(f"{where}: run {run.info.run_id} {run.info.run_name!r}, expected run-{i}")
        if run.info.status != run_status(i) or run.info.lifecycle_stage != "active":
            raise BenchError(f"{where}: status {run.info.status} {run.info.lifecycle_stage}")
        if run.info.start_time != BASE_TIME_MS + i * 1000 or run.info.end_time != BASE_TIME_MS + i * 1000 + 500:
            raise BenchError(f"{where}: times {run.info.start_time} {run.info.end_time}")
        if run.info.user_id != USER or str(run.info.experiment_id) != str(experiment_id):
            raise BenchError(f"{where}: user {run.info.user_id!r}, experiment {run.info.experiment_id}")
        if run.data.params != run_params(i):
            raise BenchError(f"{where}: params {run.data.params}, expected {run_params(i)}")
        if run.data.tags != run_tags(i):
            raise BenchError(f"{where}: tags {run.data.tags}, expected {run_tags(i)}")
        if run.data.metrics != run_metrics(i):
            raise BenchError(f"{where}: metrics {run.data.metrics}, expected {run_metrics(i)}")
        history = client.get_metric_history(run.info.run_id, "acc")
        if [(m.value, m.step, m.timestamp) for m in history] != [(run_metrics(i)["acc"], 0, BASE_TIME_MS + i * 1000)]:
            raise BenchError(f"{where}: acc history {history}")
    experiment = client.get_experiment(experiment_id)
    return experiment


def check_content(size, query, runs):
    """Checks what the answer holds (first warm-up answer of each query only)."""

    def index_of(run):
        return int(run["info"]["run_name"].split("-", 1)[1])

    def params(run):
        return {p["key"]: p["value"] for p in run["data"].get("params", [])}

    def tags(run):
        return {t["key"]: t["value"] for t in run["data"].get("tags", [])}

    def metric(run, key):
        return next(m["value"] for m in run["data"].get("metrics", []) if m["key"] == key)

    indices = [index_of(r) for r in runs]
    where = f"search-{size} {query}"
    if query == "default":
        if indices != list(range(size - 1, size - 1 - len(runs), -1)):
            raise BenchError(f"{where}: not in start_time DESC order: {indices[:5]}...")
    elif query == "status":
        if any(r["info"]["status"] != "FAILED" for r in runs):
            raise BenchError(f"{where}: a run that is not FAILED")
    elif query == "param_eq":
        if any(params(r).get("p") != "v7" for r in runs):
            raise BenchError(f"{where}: a run without p = v7")
    elif query == "tag_eq":
        if any(tags(r).get("team") != "x" for r in runs):
            raise BenchError(f"{where}: a run without team = x")
    elif query == "top_metric":
        values = [metric(r, "acc") for r in runs]
        best = sorted((run_metrics(i)["acc"] for i in range(size)), reverse=True)[: len(runs)]
        if values != best:
            raise BenchError(f"{where}: acc {values[:5]}..., expected {best[:5]}...")
    for i, r in zip(indices, runs):
        if r["info"]["run_id"] != run_uuid(size, i):
            raise BenchError(f"{where}: run-{i} has id {r['info']['run_id']}")


# ---------------------------------------------------------------- timing


def percentile(sorted_values, q):
    """Linear interpolation between closest ranks (numpy's default method)."""
    if not sorted_values:
        return float("nan")
    position = q * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


class CallTimeout(Exception):
    pass


def time_query(session, url, experiment_id, size, query, repeat, max_call_s, budget_s):
    """Times one query shape; raises CallTimeout (with the partial result) when a call runs past max_call_s."""
    filter_string, order_by, _ = QUERIES[query]
    body = {"experiment_ids": [str(experiment_id)], "max_results": MAX_RESULTS, "run_view_type": "ACTIVE_ONLY"}
    if filter_string:
        body["filter"] = filter_string
    if order_by:
        body["order_by"] = order_by
    endpoint = url + "/api/2.0/mlflow/runs/search"
    want = expected_runs(size, query)
    latencies = []
    spent_s = 0.0
    for call in range(WARM_UP + repeat):
        if len(latencies) >= MIN_CALLS and spent_s >= budget_s:
            break
        start = time.perf_counter_ns()
        try:
            response = session.post(endpoint, json=body, timeout=(10, max_call_s))
        except requests.exceptions.ReadTimeout:
            raise CallTimeout({
                "p50_ms": None, "p90_ms": None, "runs": want, "calls": len(latencies),
                "timed_out": True, "max_call_s": max_call_s,
                "latencies_ms": [round(x, 3) for x in latencies],
            })
        elapsed = time.perf_counter_ns() - start
        if response.status_code != 200:
            raise BenchError(f"search-{size} {query}: HTTP {response.status_code}: {response.text[:500]}")
        runs = response.json().get("runs", [])
        if len(runs) != want:
            raise BenchError(f"search-{size} {query}: {len(runs)} runs in the answer, expected {want}")
        if call == 0:
            check_content(size, query, runs)
        if call >= WARM_UP:
            latencies.append(elapsed / 1e6)
            spent_s += elapsed / 1e9
    ordered = sorted(latencies)
    result = {
        "p50_ms": round(percentile(ordered, 0.5), 3),
        "p90_ms": round(percentile(ordered, 0.9), 3),
        "runs": want,
        "calls": len(latencies),
        "latencies_ms": [round(x, 3) for x in latencies],
    }
    if len(latencies) < repeat:
        result["budget_hit"] = True
    return result


# ---------------------------------------------------------------- main


def machine_info():
    model = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": model or platform.processor() or "unknown",
        "python": platform.python_version(),
    }


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Time run searches on MLflow's own tracking server (SQLite backend), populated by bulk inserts.",
        epilog="Example: /work/mlflow-env/py3 scripts/bench/search_mlflow.py --sizes 1000,10000,100000 "
        "--repeat 20 --out /tmp/mlflow-search.json",
    )
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="comma-separated run counts, one experiment search-<size> each (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=20,
                        help="timed calls per (size, query), after 2 untimed warm-up calls (default: %(default)s)")
    parser.add_argument("--out", default=None, help="where to write the JSON results (default: none written)")
    parser.add_argument("--max-call-s", type=float, default=60,
                        help="a search taking longer is abandoned: the query is reported as timed out, not run at "
                        "larger sizes, and the server is restarted (default: %(default)s)")
    parser.add_argument("--query-budget-s", type=float, default=180,
                        help="stop timing a (size, query) once its timed calls add up to this, after at least "
                        f"{MIN_CALLS} (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (its path is printed)")
    parser.add_argument("--scratch-parent", default=None,
                        help="directory to create the scratch directory in (default: the system temp directory)")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes comma-separated integers")
    if not args.sizes or any(s <= 0 for s in args.sizes) or len(set(args.sizes)) != len(args.sizes):
        parser.error("--sizes takes distinct positive integers")
    if args.max_call_s <= 0 or args.query_budget_s < 0:
        parser.error("--max-call-s must be positive and --query-budget-s not negative")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def format_row(size, query, result):
    def ms(value):
        return f"{value:>9.2f}" if value is not None else f"{'-':>9}"

    note = ""
    if result.get("skipped"):
        note = result["skipped"]
    elif result.get("timed_out"):
        note = f"a call ran past {result['max_call_s']:g} s: not measured (server restarted)"
    elif result.get("budget_hit"):
        note = "query budget spent"
    return (f"{size:>8}  {query:<11} {ms(result['p50_ms'])} {ms(result['p90_ms'])} {result['runs']:>5}"
            f" {result['calls']:>5}  {note}").rstrip()


def main(argv=None):
    args = parse_args(argv)
    began = time.perf_counter()
    load_start = os.getloadavg()
    import mlflow

    version = mlflow.__version__
    workdir = tempfile.mkdtemp(prefix="mlflow-search-", dir=args.scratch_parent)
    db_path = os.path.join(workdir, "mlflow.db")
    db_uri = "sqlite:///" + db_path
    os.makedirs(os.path.join(workdir, "artifacts"))
    progress(f"MLflow {version}, scratch directory {workdir}, load average {load_start[0]:.2f}")
    server = Server(workdir, db_uri)
    try:
        t = time.perf_counter()
        store = create_schema(db_uri)
        experiments = {}
        for size in args.sizes:
            experiment_id = store.create_experiment(f"search-{size}")
            experiments[size] = (experiment_id, store.get_experiment(experiment_id).artifact_location)
        store.engine.dispose()
        del store
        schema_seconds = time.perf_counter() - t
        progress(f"schema and {len(experiments)} experiments in {schema_seconds:.1f} s")

        populate_seconds = {}
        for size in args.sizes:
            experiment_id, artifact_location = experiments[size]
            progress(f"populating search-{size} (experiment {experiment_id}, {size:,} runs)")
            populate_seconds[str(size)] = round(populate(db_path, experiment_id, artifact_location, size), 2)
            progress(f"  search-{size} populated in {populate_seconds[str(size)]:.1f} s")

        startup_seconds, settle_seconds, server_processes = server.start()

        for size in args.sizes:
            experiment = sanity_check(server.url, experiments[size][0], size)
            progress(f"sanity check search-{size}: MlflowClient reads the runs back (experiment "
                     f"{experiment.experiment_id}, {experiment.artifact_location})")

        results = {}
        timed_out_at = {}  # query -> smallest size at which a call ran past --max-call-s
        session = requests.Session()
        print(f"{'size':>8}  {'query':<11} {'p50 ms':>9} {'p90 ms':>9} {'runs':>5} {'calls':>5}", flush=True)
        for size in args.sizes:
            results[str(size)] = {}
            for query in QUERIES:
                if query in timed_out_at and timed_out_at[query] < size:
                    result = {"p50_ms": None, "p90_ms": None, "runs": expected_runs(size, query), "calls": 0,
                              "skipped": f"not run: timed out at size {timed_out_at[query]}",
                              "latencies_ms": []}
                else:
                    try:
                        result = time_query(session, server.url, experiments[size][0], size, query, args.repeat,
                                            args.max_call_s, args.query_budget_s)
                    except CallTimeout as e:
                        result = e.args[0]
                        timed_out_at[query] = size
                        # The abandoned search keeps the (single) worker busy: start afresh before going on.
                        session.close()
                        progress(f"search-{size} {query}: a call ran past {args.max_call_s:g} s; restarting the server")
                        server.stop()
                        server.start()
                        session = requests.Session()
                results[str(size)][query] = result
                print(format_row(size, query, result), flush=True)
        session.close()
        server.stop()

        load_end = os.getloadavg()
        output = {
            "server": f"mlflow {version} sqlite",
            "machine": machine_info(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "results": results,
            "populate_seconds": populate_seconds,
            "schema_seconds": round(schema_seconds, 2),
            "server_startup_seconds": round(startup_seconds, 2),
            "server_settle_seconds": round(settle_seconds, 2),
            "server_processes": server_processes,
            "server_starts": server.starts,
            "repeat": args.repeat,
            "warm_up": WARM_UP,
            "max_call_s": args.max_call_s,
            "query_budget_s": args.query_budget_s,
            "max_results": MAX_RESULTS,
            "queries": {name: {"filter": f, "order_by": o} for name, (f, o, _) in QUERIES.items()},
            "server_command": "python -m mlflow server --backend-store-uri sqlite:///<dir>/mlflow.db"
                              " --artifacts-destination <dir>/artifacts --host 127.0.0.1 --port <port> --workers 1",
            "timing": "session.post round trip on loopback (keep-alive), whole body received; JSON decoding untimed;"
                      " p50/p90 by linear interpolation",
            "loadavg_1m": {"start": round(load_start[0], 2), "end": round(load_end[0], 2)},
            "total_seconds": round(time.perf_counter() - began, 1),
        }
        if args.out:
            with open(args.out, "w") as f:
                json.dump(output, f, indent=2)
                f.write("\n")
            progress(f"wrote {args.out}")
        progress(f"total {output['total_seconds']:.1f} s, load average {load_end[0]:.2f}")
        return 0
    except BenchError as e:
        print(f"FAILED: {e}", file=sys.stderr, flush=True)
        if server.process is not None:
            print("server log tail:\n" + log_tail(server.log_path, 20), file=sys.stderr)
        return 1
    finally:
        server.cleanup()
        if args.keep:
            progress(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
