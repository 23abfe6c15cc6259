#!/usr/bin/env bash
# Benchmarks runs/search on the Lambda path (issue 11): the embedded platform in Lambda-path mode on DynamoDB Local,
# experiments of 1,000, 10,000 and 100,000 runs, and each query shape (default order, status filter, param and tag
# equality, top 100 by a metric) over MLflow's REST API on loopback: p50/p90, and the items, bytes and read units each
# search read beside the bytes of the runs it returned; also the write units of create-run and log-batch. Writing
# 100,000 runs takes a few minutes; progress is printed.
#
# Usage: scripts/bench-search.sh [--sizes 1000,10000,100000] [--repeat 20] [--out FILE]
# MLflow's own server on SQLite, the same runs and queries: /path/to/python scripts/bench/search_mlflow.py --help
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
case "${1:-}" in -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
require_tools
build_local_if_needed
exec java -cp "$(local_classpath)" io.capstan.local.bench.SearchBenchmark "$@"
