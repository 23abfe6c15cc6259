#!/usr/bin/env bash
# Benchmarks prediction end to end over loopback: HTTP through the local gateway, the predict function, ONNX Runtime
# and traffic capture, as a client sees it. Runs the demo once into the data directory (for its champion,
# breast-cancer-classifier v1), starts the platform on that data, then drives the load generator
# (io.capstan.local.bench.PredictLoadGenerator, closed loop) through each configuration and prints its percentiles
# and a JSON line per run.
#
# Usage: scripts/bench-predict.sh [--data-dir DIR] [--requests N] [--capture on|off]
#   --data-dir DIR   the demo's data (default: .capstan-bench/; made by the demo when missing)
#   --requests N     timed requests per configuration (default 20000, after 5000 untimed)
#   --capture on|off traffic capture in the predict function (default on, as deployed)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

data_dir=.capstan-bench
requests=20000
capture=on
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --capture) capture="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) log "unknown option: $1 (see --help)"; exit 2 ;;
  esac
done

require_tools
build_local_if_needed
if [ ! -d "$data_dir/platform" ]; then
  log "no demo data in $data_dir: running the demo into it first"
  scripts/demo.sh --data-dir "$data_dir" >"$data_dir.demo.log" 2>&1 || { cat "$data_dir.demo.log" >&2; exit 1; }
fi

platform_log="$data_dir/bench-platform.log"
: >"$platform_log"
CAPSTAN_CAPTURE="$capture" java -cp "$(local_classpath)" io.capstan.local.CapstanLocal --port 0 \
  --data-dir "$data_dir/platform" >"$platform_log" 2>&1 &
platform_pid=$!
trap 'kill -TERM "$platform_pid" 2>/dev/null || true; wait "$platform_pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 240); do
  url=$(sed -n 's/^Capstan ready at \(http:[^ ]*\).*/\1/p' "$platform_log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$platform_pid" 2>/dev/null || { cat "$platform_log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$url" ] || { log "the platform was not ready after 120 s"; cat "$platform_log" >&2; exit 1; }
log "platform ready at $url (traffic capture $capture); $(nproc) cores, $(java -version 2>&1 | head -n 1)"

for config in "mlflow 1 1" "oip 1 1" "mlflow 100 1" "mlflow 1 2"; do
  set -- $config
  log "protocol $1, batch $2, $3 client thread(s)"
  java -cp "$(local_classpath)" io.capstan.local.bench.PredictLoadGenerator --url "$url" \
    --model breast-cancer-classifier --data scripts/data/breast_cancer.csv --protocol "$1" --batch "$2" \
    --concurrency "$3" --requests "$requests"
done
