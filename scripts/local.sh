#!/usr/bin/env bash
# Runs the embedded Capstan platform in the foreground: DynamoDB Local and S3Proxy in-process, the local gateway on
# 127.0.0.1, all data under one directory. Prints "Capstan ready at http://127.0.0.1:<port>" once it accepts
# requests; Ctrl-C or SIGTERM stops it cleanly. Builds what is missing first.
#
# Usage: scripts/local.sh [--port N] [--data-dir DIR] [--token TOKEN] [--quiet] [--lambda-path]
#   --port N        TCP port on 127.0.0.1 (default 5000, as MLflow's server; 0 picks a free one)
#   --data-dir DIR  where the data lives (default .capstan/ in the working directory); a restart keeps it
#   --token TOKEN   require "Authorization: Bearer TOKEN" on every request but GET /health (401 otherwise);
#                   default $CAPSTAN_LOCAL_TOKEN, which is better: a command line is visible to other users.
#                   Clients: export MLFLOW_TRACKING_TOKEN=TOKEN
#   --quiet         print only the ready line and errors
#   --lambda-path   serve tracking as AWS Lambda does (no run cache, every request as a cold container) and report
#                   each request's DynamoDB reads and writes (X-Capstan-DynamoDB header, log line); also --no-cache
# Then: export MLFLOW_TRACKING_URI=http://127.0.0.1:5000
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
caller_dir=$PWD
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_tools
build_local_if_needed
classpath=$(local_classpath)
# the data directory is relative to where the script was called from, not to the repository
cd "$caller_dir"
exec java -cp "$classpath" io.capstan.local.CapstanLocal "$@"
