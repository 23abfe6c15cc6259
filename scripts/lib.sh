# Shared by the entry scripts: checks prerequisites and builds what is missing. Source it; do not run it.

log() { printf '[capstan] %s\n' "$*" >&2; }

require_tools() {
  command -v java >/dev/null 2>&1 || { log "java (JDK 17+) is required"; exit 1; }
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  [ "${major:-0}" -ge 17 ] || { log "java 17+ is required, found $major"; exit 1; }
  command -v mvn >/dev/null 2>&1 || { log "Apache Maven is required"; exit 1; }
}

# Builds the local platform, the trainer and what they need when their jars are missing or older than any source.
build_local_if_needed() {
  local jar lib trainer newest
  jar=$(ls local/target/capstan-local-*.jar 2>/dev/null | grep -v -e tests -e sources | head -n 1 || true)
  trainer=$(ls sagemaker-jobs/trainer/target/capstan-trainer-*.jar 2>/dev/null | grep -v -e tests -e sources | head -n 1 || true)
  lib=local/target/lib
  if [ -n "$jar" ] && [ -d "$lib" ] && [ -n "$trainer" ] && [ -d sagemaker-jobs/trainer/target/lib ]; then
    newest=$(find pom.xml functions local sagemaker-jobs -path '*/target' -prune -o -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.xml' -o -name '*.properties' -o -name '*.json' \) -newer "$jar" -print -quit)
    [ -z "$newest" ] && return 0
    log "sources changed since the last build ($newest)"
  fi
  log "building the local platform and the trainer (mvn -B -q -DskipTests install -pl local,sagemaker-jobs/trainer -am; the first build downloads dependencies and takes a few minutes)"
  mvn -B -q -DskipTests install -pl local,sagemaker-jobs/trainer -am
  # Maven leaves an up-to-date jar untouched: mark it built now, or test-only edits would rebuild on every call
  touch "$(ls local/target/capstan-local-*.jar | grep -v -e tests -e sources | head -n 1)"
}

# The trainer's classpath, as absolute paths.
trainer_classpath() {
  local jar
  jar=$(ls "$PWD"/sagemaker-jobs/trainer/target/capstan-trainer-*.jar | grep -v -e tests -e sources | head -n 1)
  printf '%s:%s/sagemaker-jobs/trainer/target/lib/*' "$jar" "$PWD"
}

# The local platform's classpath, as an absolute path (callers may change directory afterwards): the jar alone, whose
# manifest lists lib/*. Keep the command line short: ONNX Runtime 1.29 crashes (SIGSEGV) while loading in a JVM
# whose command line is longer than about 4 KB, which a classpath listing every jar exceeds (docs/DEVELOPMENT.md).
local_classpath() {
  ls "$PWD"/local/target/capstan-local-*.jar | grep -v -e tests -e sources | head -n 1
}
