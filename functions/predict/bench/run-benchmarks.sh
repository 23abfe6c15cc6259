#!/usr/bin/env bash
# Runs the predict function's benchmarks (never part of `mvn verify`):
#   1. JMH: handler latency at batch 1, 100 and 1000 beside raw ONNX Runtime (PredictBenchmark);
#   2. whole-process cold start: a fresh JVM from launch to the first prediction through the Lambda entry point with a
#      synthetic API Gateway event, timed with hyperfine (apt-get install hyperfine);
#   3. JMH: handler latency with and without traffic capture at batch 1, 100 and 1000 (CaptureBenchmark), and the
#      cost of one inline flush (CaptureFlushBenchmark).
# Usage: functions/predict/bench/run-benchmarks.sh [jmh|cold|capture|all]   (results in functions/predict/target/bench/)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
out=target/bench
mkdir -p "$out"

mvn -B -q -o package -DskipTests || mvn -B -q package -DskipTests
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt" \
  || mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt"
classpath="target/test-classes:target/classes:$(cat "$out/classpath.txt")"

{ date -u +"date: %Y-%m-%dT%H:%MZ"; echo "cores: $(nproc)"; lscpu | grep 'Model name' | sed 's/  */ /g';
  java -version 2>&1 | head -1; } > "$out/machine.txt"
cat "$out/machine.txt"

# ONNX Runtime 1.29 crashes (SIGSEGV in OrtEnvironment's native init) when the JVM's command line is longer than
# about 4 KB, whatever makes it long (-cp or -D). So the class path goes through CLASSPATH, and JMH launches its forks
# through a class-path jar instead of a long -cp.
if [[ "$what" == jmh || "$what" == all ]]; then
  CLASSPATH="$classpath" java -Djmh.separateClasspathJAR=true org.openjdk.jmh.Main PredictBenchmark \
    -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"
fi

if [[ "$what" == capture || "$what" == all ]]; then
  CLASSPATH="$classpath" java -Djmh.separateClasspathJAR=true org.openjdk.jmh.Main 'Capture(Flush)?Benchmark' \
    -rf json -rff "$out/capture.json" | tee "$out/capture.txt"
fi

if [[ "$what" == cold || "$what" == all ]]; then
  command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install -y hyperfine" >&2; exit 1; }
  rm -rf "$out/cold"
  CLASSPATH="$classpath" java io.capstan.predict.bench.ColdStartFixture target/capstan-predict-lambda.jar "$out/cold"
  task="$PWD/$out/cold/task"
  probe="-cp $task:$PWD/target/test-classes io.capstan.predict.lambda.ColdStartProbe $out/cold/model $out/cold/event.json"
  # One sanity run: the answer, and where libonnxruntime.so was mapped from.
  LAMBDA_TASK_ROOT="$task" java $probe | tee "$out/cold/probe.txt"
  hyperfine -N -w 1 -r 10 --export-json "$out/cold-start.json" --export-markdown "$out/cold-start.md" \
    -n "natives in place (LAMBDA_TASK_ROOT set)" "env LAMBDA_TASK_ROOT=$task java $probe" \
    -n "natives in place, -XX:TieredStopAtLevel=1" "env LAMBDA_TASK_ROOT=$task java -XX:TieredStopAtLevel=1 $probe" \
    -n "natives extracted to /tmp (no LAMBDA_TASK_ROOT)" "java $probe"
fi
