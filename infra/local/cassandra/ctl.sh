#!/usr/bin/env bash
# Local ScyllaDB stand-in: Apache Cassandra 5.0 (single node, from Maven Central) with the ScyllaDB CDC emulation
# running inside the same JVM. No Docker needed.
#
#   ctl.sh build | start | stop | restart | kill | status
#
# start is idempotent and waits until CQL and the emulator answer; kill is SIGKILL (for fault tests); status exits
# 3 when the node is not running.
#
# Environment knobs (defaults in brackets):
#   ENGINES_HOME           where engines keep data and logs [<repo>/.engines]; this one uses $ENGINES_HOME/cassandra
#   CASSANDRA_PORT         CQL native port [9042]
#   CASSANDRA_STORAGE_PORT internode port [7000]
#   CDC_ADMIN_PORT         emulator admin HTTP port on 127.0.0.1 [9180]
#   CASSANDRA_HEAP         JVM heap, -Xms and -Xmx [1g]
#   CASSANDRA_NUM_TOKENS   vnodes of the ring [16]; fixed at the first start (a fresh ENGINES_HOME changes it)
#   CDC_SHARDS             emulated shards per vnode [2]: streams = vnodes × shards (new generations use it)
#   CDC_METADATA_KEYSPACE  keyspace of the CDC generation tables [system_distributed]
#   CASSANDRA_START_TIMEOUT / CASSANDRA_STOP_TIMEOUT  seconds [180 / 60]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../../.." && pwd)"
ENGINE_HOME="${ENGINES_HOME:-$REPO_ROOT/.engines}/cassandra"
LOG_DIR="$ENGINE_HOME/logs"
CONF_DIR="$ENGINE_HOME/conf"
PID_FILE="$ENGINE_HOME/cassandra.pid"
JAR="$HERE/target/local-cassandra.jar"
CLASSPATH_FILE="$HERE/target/classpath.txt"
MAIN_CLASS="dev.scyllaes.local.Launcher"

CASSANDRA_PORT="${CASSANDRA_PORT:-9042}"
CASSANDRA_STORAGE_PORT="${CASSANDRA_STORAGE_PORT:-7000}"
CASSANDRA_HEAP="${CASSANDRA_HEAP:-1g}"
CASSANDRA_NUM_TOKENS="${CASSANDRA_NUM_TOKENS:-16}"
# The vnode count the data directory was bootstrapped with (absent in homes made before it was configurable: 16).
NUM_TOKENS_FILE="$ENGINE_HOME/num_tokens"
START_TIMEOUT="${CASSANDRA_START_TIMEOUT:-180}"
STOP_TIMEOUT="${CASSANDRA_STOP_TIMEOUT:-60}"
# The emulator reads these two from the environment it inherits.
export CDC_ADMIN_PORT="${CDC_ADMIN_PORT:-9180}"
export CDC_METADATA_KEYSPACE="${CDC_METADATA_KEYSPACE:-system_distributed}"

say() { echo "cassandra: $*"; }
die() { echo "cassandra: $*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is not installed ($2)"
}

check_java() {
  need java "OpenJDK 17 is required"
  local version
  version="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
  [[ -n "$version" && "$version" -ge 17 ]] || die "Java 17 or newer is required, found: $(java -version 2>&1 | head -n 1)"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints the pid of our running node, if any (the pid file alone could name a recycled pid).
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS" || return 1
  echo "$pid"
}

ready() {
  port_open "$CASSANDRA_PORT" && curl -fsS --max-time 2 "http://127.0.0.1:$CDC_ADMIN_PORT/health" >/dev/null 2>&1
}

needs_build() {
  [[ ! -f "$JAR" || ! -f "$CLASSPATH_FILE" ]] && return 0
  [[ -n "$(find "$HERE/src" "$HERE/pom.xml" -newer "$JAR" -print -quit)" ]]
}

build() {
  need mvn "Apache Maven builds the launcher"
  check_java
  say "building $(basename "$JAR")"
  local output
  # Quiet Maven still prints terminal escape codes: show its output only when the build fails.
  if ! output="$(cd "$HERE" && mvn -q -B package -DskipTests 2>&1)"; then
    echo "$output" >&2
    die "the Maven build failed"
  fi
}

# A node keeps the tokens it bootstrapped with: starting it with another count would fail deep in Cassandra's
# start-up, so it is refused here, naming the way out.
check_num_tokens() {
  [[ "$CASSANDRA_NUM_TOKENS" =~ ^[1-9][0-9]*$ ]] || die "CASSANDRA_NUM_TOKENS must be a positive integer, got '$CASSANDRA_NUM_TOKENS'"
  local bootstrapped=""
  if [[ -f "$NUM_TOKENS_FILE" ]]; then
    bootstrapped="$(cat "$NUM_TOKENS_FILE")"
  elif [[ -d "$ENGINE_HOME/data" ]]; then
    bootstrapped=16
  fi
  if [[ -n "$bootstrapped" && "$bootstrapped" != "$CASSANDRA_NUM_TOKENS" ]]; then
    die "the node in $ENGINE_HOME was bootstrapped with $bootstrapped vnodes, not CASSANDRA_NUM_TOKENS=$CASSANDRA_NUM_TOKENS: use another ENGINES_HOME, or delete $ENGINE_HOME to start empty"
  fi
}

render_config() {
  mkdir -p "$CONF_DIR" "$LOG_DIR"
  echo "$CASSANDRA_NUM_TOKENS" >"$NUM_TOKENS_FILE"
  sed -e "s#@DATA_DIR@#$ENGINE_HOME#g" \
      -e "s#@NATIVE_PORT@#$CASSANDRA_PORT#g" \
      -e "s#@STORAGE_PORT@#$CASSANDRA_STORAGE_PORT#g" \
      -e "s#@NUM_TOKENS@#$CASSANDRA_NUM_TOKENS#g" \
      "$HERE/conf/cassandra.yaml.template" >"$CONF_DIR/cassandra.yaml"
}

jvm_options() {
  JVM_OPTS=(
    "-Xms$CASSANDRA_HEAP" "-Xmx$CASSANDRA_HEAP" -Xss256k -XX:+UseG1GC -XX:+ParallelRefProcEnabled
    -XX:+HeapDumpOnOutOfMemoryError "-XX:HeapDumpPath=$LOG_DIR"
    -Djava.net.preferIPv4Stack=true -Djdk.attach.allowAttachSelf=true -Dchronicle.analytics.disable=true
    -Dio.netty.tryReflectionSetAccessible=true
    "-Dcassandra.config=file://$CONF_DIR/cassandra.yaml"
    "-Dcassandra.storagedir=$ENGINE_HOME"
    "-Dcassandra.logdir=$LOG_DIR"
    "-Dlogback.configurationFile=file://$HERE/conf/logback.xml"
    -Dcassandra-foreground=yes
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    # Cassandra's conf/jvm17-server.options (JPMS).
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
    --add-exports java.sql/java.sql=ALL-UNNAMED
    --add-exports java.base/java.lang.ref=ALL-UNNAMED
    --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
    --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
    --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
    --add-opens java.base/java.lang.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.base/java.io=ALL-UNNAMED
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/java.util=ALL-UNNAMED
    --add-opens java.base/java.nio=ALL-UNNAMED
  )
}

show_logs() {
  echo "---- last lines of $LOG_DIR/system.log ----" >&2
  tail -n 40 "$LOG_DIR/system.log" >&2 2>/dev/null || true
  echo "---- last lines of $LOG_DIR/stdout.log ----" >&2
  tail -n 20 "$LOG_DIR/stdout.log" >&2 2>/dev/null || true
}

# Waits until the log says "Startup complete" (after byte $2), the CQL port answers and the emulator is healthy.
wait_ready() {
  local pid="$1" log_offset="$2" deadline=$((SECONDS + START_TIMEOUT)) started=""
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      show_logs
      rm -f "$PID_FILE"
      die "the node exited during start-up"
    fi
    if [[ -z "$started" ]] && tail -c "+$((log_offset + 1))" "$LOG_DIR/system.log" 2>/dev/null | grep -q "Startup complete"; then
      started=yes
    fi
    if [[ -n "$started" ]] && ready; then
      return 0
    fi
    sleep 0.5
  done
  show_logs
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  die "not ready within ${START_TIMEOUT}s (killed pid $pid)"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    if ready; then
      say "already running (pid $pid), CQL on 127.0.0.1:$CASSANDRA_PORT, CDC admin on 127.0.0.1:$CDC_ADMIN_PORT"
      return 0
    fi
    say "pid $pid is starting; waiting for it"
    wait_ready "$pid" 0
    say "ready (pid $pid)"
    return 0
  fi
  rm -f "$PID_FILE"
  check_java
  local port_name port name
  for port_name in "$CASSANDRA_PORT:CQL native port, CASSANDRA_PORT" "$CASSANDRA_STORAGE_PORT:storage port, CASSANDRA_STORAGE_PORT" \
                   "$CDC_ADMIN_PORT:CDC admin port, CDC_ADMIN_PORT"; do
    port="${port_name%%:*}" name="${port_name#*:}"
    ! port_open "$port" || die "port $port ($name) is already in use on 127.0.0.1"
  done
  check_num_tokens
  if needs_build; then
    build
  fi
  render_config
  jvm_options
  local log_offset=0 began_ns
  [[ -f "$LOG_DIR/system.log" ]] && log_offset="$(stat -c %s "$LOG_DIR/system.log")"
  began_ns="$(date +%s%N)"
  # Cassandra mlocks its whole heap whenever it may, and root may (CAP_IPC_LOCK): the node would take its full
  # heap in RAM at once. A disposable local node does not need that, so root drops the capability for it.
  local launcher=()
  if [[ $EUID -eq 0 ]] && command -v setpriv >/dev/null 2>&1; then
    launcher=(setpriv --bounding-set=-ipc_lock --inh-caps=-ipc_lock)
  fi
  # setsid: its own session, so the node outlives whatever started it (a test runner ending its task's process
  # group, a Ctrl-C in the calling shell). The session leader writes its pid, then becomes the JVM.
  rm -f "$PID_FILE"
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" "${launcher[@]}" java "${JVM_OPTS[@]}" \
    -cp "$JAR:$(cat "$CLASSPATH_FILE")" "$MAIN_CLASS" >>"$LOG_DIR/stdout.log" 2>&1 </dev/null &
  for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
  pid="$(cat "$PID_FILE")"
  say "starting (pid $pid), data in $ENGINE_HOME"
  wait_ready "$pid" "$log_offset"
  local elapsed_ms=$((($(date +%s%N) - began_ns) / 1000000))
  say "ready in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s (pid $pid): CQL 127.0.0.1:$CASSANDRA_PORT, CDC admin http://127.0.0.1:$CDC_ADMIN_PORT/"
}

# Waits up to $2 seconds for pid $1 to exit.
wait_exit() {
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

wait_ports_free() {
  local deadline=$((SECONDS + 10)) port
  for port in "$CASSANDRA_PORT" "$CASSANDRA_STORAGE_PORT" "$CDC_ADMIN_PORT"; do
    while port_open "$port"; do
      ((SECONDS < deadline)) || die "port $port is still in use after the node stopped"
      sleep 0.2
    done
  done
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "stopping pid $pid"
  kill -TERM "$pid"
  if ! wait_exit "$pid" "$STOP_TIMEOUT"; then
    say "still running after ${STOP_TIMEOUT}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_exit "$pid" 10 || die "pid $pid survived SIGKILL"
  fi
  wait_ports_free
  rm -f "$PID_FILE"
  say "stopped"
}

kill_node() {
  local pid
  pid="$(running_pid)" || { say "not running"; rm -f "$PID_FILE"; return 0; }
  kill -KILL "$pid"
  wait_exit "$pid" 10 || die "pid $pid survived SIGKILL"
  wait_ports_free
  rm -f "$PID_FILE"
  say "killed pid $pid"
}

status() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    return 3
  fi
  local rss_kb
  rss_kb="$(ps -o rss= -p "$pid" | tr -d ' ')"
  if ready; then
    say "running (pid $pid, RSS $((rss_kb / 1024)) MiB), CQL 127.0.0.1:$CASSANDRA_PORT, CDC admin http://127.0.0.1:$CDC_ADMIN_PORT/"
    curl -fsS --max-time 2 "http://127.0.0.1:$CDC_ADMIN_PORT/status" && echo
  else
    say "running but not ready (pid $pid, RSS $((rss_kb / 1024)) MiB)"
  fi
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  kill) kill_node ;;
  status) status ;;
  *) echo "usage: $0 build|start|stop|restart|kill|status" >&2; exit 2 ;;
esac
