#!/usr/bin/env bash
# The quality check's join at scale (never part of `mvn verify`): 10,000,000 prediction records and 1,000,000 labels
# by default, joined by DuckDB in process and measured per version; see QualityJoinBenchmark.
# Usage: functions/quality/bench/run-join-benchmark.sh [predictions] [labels] [files] [passes] [duckdb memory limit]
#   JAVA_OPTS (default -Xmx4g) sets the JVM's options, e.g. -Xmx1200m with a 1203MB limit for a 3008 MB function
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
mvn -B -q -o test-compile || mvn -B -q test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt" \
  || mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt"
{ date -u +"date: %Y-%m-%dT%H:%MZ"; echo "cores: $(nproc)"; lscpu | grep 'Model name' | sed 's/  */ /g';
  java -version 2>&1 | head -1; } | tee "$out/machine.txt"
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx4g} -cp "target/test-classes:target/classes:$(cat "$out/classpath.txt")" \
  io.capstan.quality.bench.QualityJoinBenchmark "$@" | tee "$out/join.txt"
