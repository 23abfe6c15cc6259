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
    newest=$(find pom.xml functions local sagemaker-jobs \( -path '*/target' -o -path '*/node_modules' \) -prune -o -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.xml' -o -name '*.properties' -o -name '*.json' -o -name '*.js' -o -name '*.css' -o -name '*.html' \) -newer "$jar" -print -quit)
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

# --- servers the scripts start themselves, each a process group (stop it with stop_group) ---------------------------
# A script calls use_scratch NAME first: it makes a scratch folder (`scratch`) and, on exit, stops every group the
# start_* functions put in `groups` and removes the folder.

use_scratch() {  # name
  groups=()
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap 'for pid in "${groups[@]}"; do stop_group "$pid"; done; rm -rf "$scratch"' EXIT
  trap 'exit 130' INT TERM
}

# Stops a process group started here: TERM, up to 20 s, then KILL.
stop_group() {
  local i
  kill -TERM -- "-$1" 2>/dev/null || true
  for i in $(seq 1 40); do kill -0 -- "-$1" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$1" 2>/dev/null || true
}

# A free port on 127.0.0.1, found with the given Python.
free_port() {
  "$1" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts scripts/local.sh on a free port with data in DATA, its output in LOG; sets `url` and `platform_pid`.
start_local_platform() {  # data-dir log-file
  local pid i
  mkdir -p "$1"
  # in a non-interactive shell the background child is no group leader, so setsid does not fork: $! is the group
  setsid scripts/local.sh --port 0 --data-dir "$1" --quiet >"$2" 2>&1 </dev/null &
  pid=$!
  groups+=("$pid")
  platform_pid=$pid
  for i in $(seq 1 1200); do
    url=$(sed -n 's/.*Capstan ready at \(http[^ ]*\).*/\1/p' "$2" | head -n 1)
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2>/dev/null || { log "scripts/local.sh exited; its log:"; tail -n 30 "$2" >&2; return 1; }
    sleep 0.5
  done
  log "Capstan did not start within 600 s; see $2"; return 1
}

# Starts a stock `mlflow server` with PYTHON (SQLite and proxied artifacts under DIR); sets `stock_url`, `stock_pid`.
start_mlflow_server() {  # python dir
  local port pid i
  mkdir -p "$2/artifacts"
  port=$(free_port "$1")
  MLFLOW_DISABLE_TELEMETRY=true setsid "$1" -m mlflow server --backend-store-uri "sqlite:///$2/mlflow.db" \
    --artifacts-destination "$2/artifacts" --host 127.0.0.1 --port "$port" >"$2/server.log" 2>&1 </dev/null &
  pid=$!
  groups+=("$pid")
  stock_pid=$pid
  stock_url=http://127.0.0.1:$port
  for i in $(seq 1 600); do
    curl -sf -o /dev/null "$stock_url/health" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { log "the stock MLflow server exited; its log:"; tail -n 30 "$2/server.log" >&2
      return 1; }
    sleep 0.5
  done
  log "the stock MLflow server did not answer $stock_url/health within 300 s; see $2/server.log"; return 1
}
