#!/usr/bin/env bash
# Runs the MLflow compatibility suite (local/src/test/python/mlflow_compat) with MLflow's own Python client, 2.12.2
# and/or 3.11.1, against Capstan: every scenario's checks, a JSON report per client version and a summary line.
#
# Usage: scripts/mlflow-compat.sh [--client 2|3|both] [--url URL] [--reference] [--record DIR] [--scenario LIST]
#                                 [--report-dir DIR]
#   --client V       which client versions (default both)
#   --url URL        a running Capstan (default: start scripts/local.sh --port 0 on an empty data directory for each
#                    client version, stop it after)
#   --reference      also start a stock `mlflow server` of the same version with the same Python (SQLite, proxied
#                    artifacts) and list every check, and with --record every recorded exchange, that differs
#   --record DIR     record the wire exchanges with Capstan to DIR/<client version>/<scenario>.jsonl; with --reference
#                    the stock server's too (in a scratch folder), and where Capstan's answers differ the exchanges
#                    are marked (DIR/<version>/known-differences.json). The replay test (MlflowWireReplayTest) reads
#                    local/src/test/resources/mlflow-wire: record there with --reference
#   --scenario LIST  comma-separated scenarios (tracking, artifacts, registry, fluent, onnx_model, sklearn_pickle,
#                    rest, logged_models)
#   --report-dir DIR where the JSON reports go (default target/mlflow-compat)
# Clients: CAPSTAN_MLFLOW_PY2 / CAPSTAN_MLFLOW_PY3 name Python executables that import mlflow (and scikit-learn,
# onnx); otherwise venvs under .capstan-mlflow/ are created with pip when PyPI is reachable; otherwise it explains
# what to install and exits 2. Exit status: 0 when every check passed (with --reference: when nothing differs).
set -euo pipefail
case "${1:-}" in -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
repo=$PWD
export PYTHONDONTWRITEBYTECODE=1
. scripts/lib.sh

clients=both url="" reference=false record="" scenario="" report_dir=target/mlflow-compat
while [ $# -gt 0 ]; do
  case "$1" in
    --client) clients=$2; shift 2 ;;
    --url) url=${2%/}; shift 2 ;;
    --reference) reference=true; shift ;;
    --record) record=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --report-dir) report_dir=$2; shift 2 ;;
    *) log "unknown option $1 (see --help)"; exit 2 ;;
  esac
done
case "$clients" in 2) versions="2.12.2" ;; 3) versions="3.11.1" ;; both) versions="2.12.2 3.11.1" ;;
  *) log "--client takes 2, 3 or both"; exit 2 ;; esac
mkdir -p "$report_dir"
report_dir=$(cd "$report_dir" && pwd)
[ -z "$record" ] || { mkdir -p "$record"; record=$(cd "$record" && pwd); }

# --- the clients -----------------------------------------------------------------------------------------------
client_works() {  # python version
  [ -n "$1" ] && "$1" -c "import mlflow, sklearn, onnx, pandas, requests, sys
sys.exit(0 if mlflow.__version__ == '$2' else 1)" >/dev/null 2>&1
}

pypi_reachable() {
  local index=${PIP_INDEX_URL:-https://pypi.org/simple}
  curl -sf -m 15 -o /dev/null "${index%/}/mlflow/" 2>/dev/null
}

python_for() {  # version -> prints the python executable, or returns 1
  local version=$1 major=${1%%.*} var py venv
  var=CAPSTAN_MLFLOW_PY$major
  py=${!var:-}
  if [ -n "$py" ]; then
    client_works "$py" "$version" && { echo "$py"; return 0; }
    log "$var=$py does not import mlflow $version with scikit-learn and onnx"; return 1
  fi
  venv=$repo/.capstan-mlflow/py$major
  client_works "$venv/bin/python" "$version" && { echo "$venv/bin/python"; return 0; }
  if pypi_reachable; then
    log "creating $venv with mlflow==$version scikit-learn onnx (pip; a few minutes)"
    "${CAPSTAN_PYTHON:-python3}" -m venv "$venv" >&2
    "$venv/bin/pip" install -q --upgrade pip >&2
    "$venv/bin/pip" install -q "mlflow==$version" scikit-learn onnx >&2
    client_works "$venv/bin/python" "$version" && { echo "$venv/bin/python"; return 0; }
    log "the venv in $venv does not import mlflow $version, scikit-learn and onnx"; return 1
  fi
  cat >&2 <<EOF
[capstan] no MLflow $version Python client: set $var to a Python that imports mlflow==$version, scikit-learn and
[capstan] onnx (e.g. python3 -m venv v && v/bin/pip install mlflow==$version scikit-learn onnx; then
[capstan] $var=v/bin/python), or run this where PyPI is reachable and it makes one under .capstan-mlflow/.
EOF
  return 1
}

declare -A python
for version in $versions; do
  python[$version]=$(python_for "$version") || exit 2
  log "mlflow $version client: ${python[$version]}"
done

# --- servers: started here, stopped on exit -----------------------------------------------------------------------
use_scratch mlflow-compat

start_capstan() {  # name -> sets url and capstan_pid
  start_local_platform "$scratch/capstan-$1" "$scratch/capstan-$1.log" || return 1
  capstan_pid=$platform_pid
  log "Capstan ready at $url (data in $scratch/capstan-$1)"
}

start_stock() {  # version -> sets stock_url and stock_pid
  start_mlflow_server "${python[$1]}" "$scratch/stock-$1" || return 1
  log "stock MLflow $1 server at $stock_url"
}

# --- the suite ------------------------------------------------------------------------------------------------------
status=0
suffix=$(date +%s)
own_capstan=false
[ -n "$url" ] || own_capstan=true
for version in $versions; do
  # a Capstan of our own starts empty for each client version, so a recording replays on an empty platform
  $own_capstan && start_capstan "$version"
  args=(--report "$report_dir/report-$version.json" --suffix "${suffix}v${version%%.*}")
  $own_capstan && args+=(--fresh-server)
  [ -z "$scenario" ] || args+=(--scenario "$scenario")
  [ -z "$record" ] || args+=(--record "$record" --reference-record "$scratch/reference")
  if $reference; then
    start_stock "$version"
    args=(--compare "$stock_url" "$url" "${args[@]}")
  else
    args=(--url "$url" --target capstan "${args[@]}")
  fi
  log "mlflow $version: ${args[*]}"
  (cd local/src/test/python && "${python[$version]}" -m mlflow_compat "${args[@]}") || status=1
  $own_capstan && stop_group "$capstan_pid"
  if $reference; then stop_group "$stock_pid"; fi
done
log "reports in $report_dir"
exit $status
