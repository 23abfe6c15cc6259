#!/usr/bin/env bash
# The end-to-end demo on the embedded platform: builds what is missing, starts Capstan locally on a free port with
# a fresh data directory, trains a Tribuo classifier on the breast-cancer data set with Capstan's trainer (a local
# process on the SageMaker training contract) and tracks it through MLflow's Java client (params, per-epoch metrics,
# dataset digest, ONNX model file), searches the run back, prints a summary, stops the platform. Exits 0 when every
# step worked.
#
# Usage: scripts/demo.sh [--data-dir DIR] [--keep]
#   --data-dir DIR  where the platform keeps its data (default: a new temporary folder)
#   --keep          leave the data directory in place afterwards (always kept when --data-dir is given)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

data_dir=""
keep=no
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir="$2"; keep=yes; shift 2 ;;
    --keep) keep=yes; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) log "unknown option: $1 (see --help)"; exit 2 ;;
  esac
done

require_tools
build_local_if_needed
[ -n "$data_dir" ] || data_dir=$(mktemp -d "${TMPDIR:-/tmp}/capstan-demo.XXXXXX")
platform_log="$data_dir/platform.log"
mkdir -p "$data_dir"

log "starting the embedded platform (data in $data_dir)"
classpath=$(local_classpath)
: >"$platform_log"
java -cp "$classpath" io.capstan.local.CapstanLocal --port 0 --data-dir "$data_dir/platform" >"$platform_log" 2>&1 &
platform_pid=$!
cleanup() {
  if kill -0 "$platform_pid" 2>/dev/null; then
    log "stopping the platform"
    kill -TERM "$platform_pid" 2>/dev/null || true
    wait "$platform_pid" 2>/dev/null || true
  fi
  [ "$keep" = yes ] || rm -rf "$data_dir"
}
trap cleanup EXIT

url=""
for _ in $(seq 1 240); do
  url=$(sed -n 's/^Capstan ready at \(http:[^ ]*\).*/\1/p' "$platform_log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$platform_pid" 2>/dev/null; then
    log "the platform exited before it was ready:"; cat "$platform_log" >&2; exit 1
  fi
  sleep 0.5
done
[ -n "$url" ] || { log "the platform was not ready after 120 s:"; cat "$platform_log" >&2; exit 1; }
log "platform ready at $url"

java -cp "$classpath" io.capstan.local.demo.Demo --url "$url" --data scripts/data/breast_cancer.csv \
  --trainer-classpath "$(trainer_classpath)" --work-dir "$data_dir/training"
log "demo finished"
