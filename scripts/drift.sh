#!/usr/bin/env bash
# Compares two CSV files column by column (Evidently's default tests; KS p-values exactly as SciPy's ks_2samp) and
# prints ONE JSON report on stdout. Builds capstan-profile and capstan-drift first when the CLI jar is missing or
# older than their sources (build output goes to stderr).
#
# Usage: scripts/drift.sh --reference A.csv --current B.csv [--columns c1,c2] [--categorical c3] [--html FILE]
#                         [--predictions p1]
#                         [--drift-share 0.5] [--fail-on-drift]
#   --columns c1,c2   columns to compare (default: every column of the reference file)
#   --categorical c3  columns that hold categories (the others must be numbers; empty, NA, NaN are missing)
#   --predictions p1  model output columns: reported as prediction drift, not in the dataset share
#   --html FILE       also write a self-contained HTML report
#   --fail-on-drift   exit 3 when the dataset drifted
# Exit: 0 the check ran, 2 bad input (missing file or column, text in a numeric column: named on stderr).
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
caller_dir=$PWD
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_tools

jar=functions/drift/target/capstan-drift-cli.jar
build_drift_if_needed() {
  if [ -f "$jar" ]; then
    local newest
    newest=$(find functions/profile functions/drift -path '*/target' -prune -o -type f \
      \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit)
    [ -z "$newest" ] && return 0
    log "sources changed since the last build ($newest)"
  fi
  log "building capstan-profile and capstan-drift (mvn -B -q -DskipTests)"
  mvn -B -q -DskipTests -f functions/profile/pom.xml install 1>&2
  mvn -B -q -DskipTests -f functions/drift/pom.xml package 1>&2
}
build_drift_if_needed
jar_path="$PWD/$jar"
# file arguments are relative to where the script was called from
cd "$caller_dir"
exec java -jar "$jar_path" "$@"
