#!/usr/bin/env bash
# The end-to-end demo on the embedded platform: builds what is missing, starts Capstan locally on a free port with
# a fresh data directory (drift checked every 10 s, traffic sketches flushed every 2 s) and runs the whole story
# against it as a user would: trains a Tribuo classifier on the breast-cancer data set with Capstan's trainer (a local
# process on the SageMaker training contract) and tracks it through MLflow's Java client; registers it with its
# provenance, promotes it and predicts through MLflow's scoring protocol and the Open Inference Protocol; puts a
# challenger on a 90/10 canary and rolls a promotion back; uploads the data set over S3 and follows the retraining
# pipeline it starts; sends shifted traffic until the scheduled drift check flags it (the HTML report is a file)
# and starts retraining; uploads a degraded copy the gate rejects; A/B-tests a 50/50 canary on labelled traffic; labels
# from a shifted population raise the quality alarm and start retraining. Prints a summary, stops the platform, exits 0
# when every step worked.
#
# Usage: scripts/demo.sh [--data-dir DIR] [--clean]
#   --data-dir DIR  where the platform keeps its data (default: a new temporary folder); kept afterwards, so the
#                   drift report and the platform's log can be opened
#   --clean         remove the data directory when the demo ends
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

data_dir=""
clean=no
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir="$2"; shift 2 ;;
    --clean) clean=yes; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
java -Dcapstan.drift.scheduleSeconds=10 -Dcapstan.capture.flushSeconds=2 \
  -Dcapstan.quality.alarms='[{"model": "breast-cancer-auto", "min_accuracy": 0.9}]' -cp "$classpath" \
  io.capstan.local.CapstanLocal --port 0 --data-dir "$data_dir/platform" >"$platform_log" 2>&1 &
platform_pid=$!
cleanup() {
  if kill -0 "$platform_pid" 2>/dev/null; then
    log "stopping the platform"
    kill -TERM "$platform_pid" 2>/dev/null || true
    wait "$platform_pid" 2>/dev/null || true
  fi
  [ "$clean" = no ] || rm -rf "$data_dir"
}
trap cleanup EXIT

url=""
s3=""
for _ in $(seq 1 240); do
  url=$(sed -n 's/^Capstan ready at \(http:[^ ]*\).*/\1/p' "$platform_log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$platform_pid" 2>/dev/null; then
    log "the platform exited before it was ready:"; cat "$platform_log" >&2; exit 1
  fi
  sleep 0.5
done
[ -n "$url" ] || { log "the platform was not ready after 120 s:"; cat "$platform_log" >&2; exit 1; }
s3=$(sed -n 's/.*S3Proxy ready at \(http:[^ ]*\).*/\1/p' "$platform_log" | head -n 1)
[ -n "$s3" ] || { log "the platform log names no S3 endpoint:"; cat "$platform_log" >&2; exit 1; }
log "platform ready at $url (S3 at $s3; its log: $platform_log)"

commit=$(git rev-parse HEAD 2>/dev/null || true)
java -cp "$classpath" io.capstan.local.demo.Demo --url "$url" --s3-endpoint "$s3" \
  --data scripts/data/breast_cancer.csv --platform-data-dir "$data_dir/platform" --platform-log "$platform_log" \
  ${commit:+--commit "$commit"} \
  --trainer-classpath "$(trainer_classpath)" --work-dir "$data_dir/training"
log "demo finished"
if [ "$clean" = no ]; then
  log "data kept in $data_dir (platform.log; drift reports under platform/s3/capstan-capture/reports/)"
  log "to look around: scripts/local.sh --data-dir $data_dir/platform   (then http://127.0.0.1:5000)"
fi
exit 0
