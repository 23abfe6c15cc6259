#!/usr/bin/env bash
# Benchmarks a tracking server over MLflow's REST API from one client on loopback: (a) 10,000 metrics by log-batch
# in chunks of 1000, (b) 2,000 single log-metric calls, (c) 200 runs created then searched with a metric filter,
# (d) get-history of a 10,000-point metric. Prints a line per workload and a final JSON line.
#
# Usage: scripts/bench-tracking.sh --url URL [--repeat N]
#   --url URL    the server, e.g. http://127.0.0.1:5000 (start Capstan with scripts/local.sh)
#   --repeat N   repetitions of each read workload (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
case "${1:-}" in -h|--help|"") sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ] && exit 0 || exit 2 ;; esac
require_tools
build_local_if_needed
exec java -cp "$(local_classpath)" io.capstan.local.bench.TrackingBenchmark "$@"
