# Shared by the entry scripts: checks prerequisites and builds what is missing. Source it; do not run it.

log() { printf '[capstan] %s\n' "$*" >&2; }

require_tools() {
  command -v java >/dev/null 2>&1 || { log "java (JDK 17+) is required"; exit 1; }
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  [ "${major:-0}" -ge 17 ] || { log "java 17+ is required, found $major"; exit 1; }
  command -v mvn >/dev/null 2>&1 || { log "Apache Maven is required"; exit 1; }
}

# Builds the local platform (and the modules it needs) when its jars are missing or older than any source.
build_local_if_needed() {
  local jar lib newest
  jar=$(ls local/target/capstan-local-*.jar 2>/dev/null | grep -v -e tests -e sources | head -n 1 || true)
  lib=local/target/lib
  if [ -n "$jar" ] && [ -d "$lib" ]; then
    newest=$(find pom.xml functions local -path '*/target' -prune -o -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.xml' -o -name '*.properties' \) -newer "$jar" -print -quit)
    [ -z "$newest" ] && return 0
    log "sources changed since the last build ($newest)"
  fi
  log "building the local platform (mvn -B -q -DskipTests install -pl local -am)"
  mvn -B -q -DskipTests install -pl local -am
}

# The local platform's classpath, as absolute paths (callers may change directory afterwards).
local_classpath() {
  local jar
  jar=$(ls "$PWD"/local/target/capstan-local-*.jar | grep -v -e tests -e sources | head -n 1)
  printf '%s:%s/local/target/lib/*' "$jar" "$PWD"
}
