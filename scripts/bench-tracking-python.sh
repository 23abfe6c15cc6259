#!/usr/bin/env bash
# Benchmarks Capstan's tracking server against a stock MLflow server, side by side in one run, through MLflow's own
# Python client (MlflowClient, one thread on loopback): the workloads of bench-tracking.sh (10,000 metrics by
# log_batch in chunks of 1000; 2,000 log_metric calls; 200 create_run then a metric-filtered search_runs; the history
# of a 10,000-point metric). Starts Capstan (scripts/local.sh --port 0, fresh data directory) and a stock
# `mlflow server` of the client's version (SQLite, proxied artifacts), warms both up with untimed passes of the
# whole suite, runs the workloads against both call by call (each timed call is made against one server, then the
# other, the first alternating), prints the side-by-side table (p50, mean, p99, the ratio stock / Capstan, whether
# each bar of issue 9 is met on p50, the ratio in each round) and one JSON line, then stops both servers.
#
# Usage: scripts/bench-tracking-python.sh [--python PY] [--rounds R] [--repeat N] [--warm-up K] [--url URL]
#   --python PY   a Python that imports mlflow (e.g. /work/mlflow-env/py2); default $CAPSTAN_MLFLOW_PY, else python3
#   --rounds R    timed rounds of the whole suite (default 3)
#   --repeat N    calls of each read workload (search, history) a round (default 20)
#   --warm-up K   untimed passes of the whole suite against each server first (default 1)
#   --url URL     use this running Capstan instead of starting one
# JAVA_TOOL_OPTIONS reaches Capstan's JVM, e.g. -XX:StartFlightRecording=filename=capstan.jfr to profile it.
# Exit status 0 when the benchmark ran (bars met or not; see the table), non-zero when a server or the client failed.
set -euo pipefail
case "${1:-}" in -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1
. scripts/lib.sh

python=${CAPSTAN_MLFLOW_PY:-} rounds=3 repeat=20 warm_up=1 url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --python) python=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --warm-up) warm_up=$2; shift 2 ;;
    --url) url=${2%/}; shift 2 ;;
    *) log "unknown option $1 (see --help)"; exit 2 ;;
  esac
done

# --- the client ---------------------------------------------------------------------------------------------------
if [ -z "$python" ]; then
  python=python3
fi
if ! version=$("$python" -c 'import mlflow; print(mlflow.__version__)' 2>/dev/null); then
  log "$python does not import mlflow: pass --python PY or set CAPSTAN_MLFLOW_PY to a Python that does"
  log "(e.g. python3 -m venv v && v/bin/pip install mlflow==2.12.2, then --python v/bin/python)"
  exit 2
fi
log "MLflow $version Python client: $python"

# --- servers: started here, stopped by process group on exit -------------------------------------------------------
use_scratch bench-tracking-python

start_capstan() {
  log "starting Capstan (scripts/local.sh --port 0; builds first if sources changed)"
  start_local_platform "$scratch/capstan-data" "$scratch/capstan.log" || return 1
  log "Capstan ready at $url"
}

start_stock() {
  log "starting a stock MLflow $version server (SQLite, proxied artifacts)"
  start_mlflow_server "$python" "$scratch/stock" || return 1
  log "stock MLflow server at $stock_url"
}

[ -n "$url" ] || start_capstan
start_stock

# --- the workloads --------------------------------------------------------------------------------------------------
log "running: $warm_up warm-up pass(es) against each server, then $rounds round(s), progress below"
MLFLOW_HTTP_REQUEST_MAX_RETRIES=${MLFLOW_HTTP_REQUEST_MAX_RETRIES:-0} "$python" scripts/bench/tracking_client.py \
  --compare "$url" "$stock_url" --rounds "$rounds" --repeat "$repeat" --warm-up "$warm_up"
