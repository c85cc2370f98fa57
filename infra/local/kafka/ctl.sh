#!/usr/bin/env bash
# Local Apache Kafka 3.9 broker (KRaft, single node, combined broker+controller) without Docker.
# The stand-in for Redpanda in tests and the no-Docker dev stack (see shared design: local-engines.md).
#
#   ctl.sh start | stop | status | kill | restart | logs | classpath
#
# Environment (all optional):
#   ENGINES_HOME               state root (default <repo>/.engines); Kafka lives in $ENGINES_HOME/kafka
#   KAFKA_PORT                 PLAINTEXT listener on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT      KRaft controller listener on 127.0.0.1 (default 9093)
#   KAFKA_HEAP                 JVM heap flags (default "-Xms256m -Xmx512m")
#   KAFKA_JVM_OPTS             extra JVM flags
#   KAFKA_MESSAGE_MAX_BYTES    broker message.max.bytes (default 1048588, Kafka's own 1 MB default)
#   KAFKA_NUM_PARTITIONS       default partitions of a topic created without a count (default 1)
#   KAFKA_BROKER_SESSION_TIMEOUT_MS  broker session timeout (default 3000; Kafka's 9000 makes a start after
#                              `kill` wait ~15 s for the dead incarnation's registration to expire)
#   KAFKA_START_TIMEOUT        seconds to wait for readiness (default 90)
#   KAFKA_STOP_TIMEOUT         seconds to wait after SIGTERM before SIGKILL (default 30)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
ENGINES_HOME="${ENGINES_HOME:-$REPO_ROOT/.engines}"
KHOME="$ENGINES_HOME/kafka"
DATA_DIR="$KHOME/data"
LOG_DIR="$KHOME/logs"
PID_FILE="$KHOME/kafka.pid"
PROPS="$KHOME/server.properties"
LOG4J="$KHOME/log4j.properties"
TOOLS_LOG4J="$KHOME/tools-log4j.properties"
CP_FILE="$KHOME/classpath.txt"
CLUSTER_ID_FILE="$KHOME/cluster.id"
SERVER_LOG="$LOG_DIR/server.log"
CONSOLE_LOG="$LOG_DIR/console.out"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:-}"
KAFKA_MESSAGE_MAX_BYTES="${KAFKA_MESSAGE_MAX_BYTES:-1048588}"
KAFKA_NUM_PARTITIONS="${KAFKA_NUM_PARTITIONS:-1}"
KAFKA_BROKER_SESSION_TIMEOUT_MS="${KAFKA_BROKER_SESSION_TIMEOUT_MS:-3000}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

# Lines that mean "the broker serves clients". KRaft brokers log the first when unfenced (fresh and restarted
# log dirs alike); the second is printed once KafkaRaftServer finished starting up.
READY_PATTERN='Transitioning from RECOVERY to RUNNING|Kafka Server started'

ENGINE=kafka
# shellcheck source=../lib/process.sh
source "$SCRIPT_DIR/../lib/process.sh"

# --- process helpers --------------------------------------------------------------------------------------

running_pid() { pid_matching "kafka.Kafka $PROPS"; }

wait_ports_free() {
  local deadline=$(( $(date +%s) + 15 )) p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    while port_open "$p"; do
      (( $(date +%s) >= deadline )) && { log "warning: port $p still answers"; return 1; }
      sleep 0.2
    done
  done
}

# --- preparation ------------------------------------------------------------------------------------------

require_tools() {
  command -v java >/dev/null 2>&1 || die "java not found on PATH (OpenJDK 17 is required: apt-get install -y openjdk-17-jre-headless)"
  local ver
  ver="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  if [[ -n "$ver" && "$ver" -lt 11 ]]; then die "java $ver found; Kafka 3.9 needs Java 11+ (17 recommended)"; fi
  if ! command -v mvn >/dev/null 2>&1 && [[ ! -s "$CP_FILE" ]]; then
    die "mvn not found on PATH (needed once to resolve the Kafka jars: apt-get install -y maven)"
  fi
}

classpath_valid() {
  [[ -s "$CP_FILE" && "$CP_FILE" -nt "$SCRIPT_DIR/pom.xml" ]] || return 1
  local jar
  while IFS= read -r jar; do
    [[ -z "$jar" || -f "$jar" ]] || return 1
  done < <(tr ':' '\n' < "$CP_FILE")
}

ensure_classpath() {
  classpath_valid && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH (needed to resolve the Kafka jars)"
  log "resolving Kafka jars with Maven (first run downloads them into ~/.m2) ..."
  local tmp="$CP_FILE.tmp.$$" out
  if ! out="$(cd "$SCRIPT_DIR" && mvn -q -B dependency:build-classpath \
        -Dmdep.outputFile="$tmp" -Dmdep.includeScope=runtime 2>&1)"; then
    printf '%s\n' "$out" | tail -n 30 >&2
    rm -f "$tmp"
    die "mvn dependency:build-classpath failed (see above)"
  fi
  [[ -s "$tmp" ]] || die "mvn produced an empty classpath"
  mv "$tmp" "$CP_FILE"
}

cluster_id() {
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    # Kafka cluster ids are 16 random bytes in URL-safe base64 without padding (22 chars); like Kafka's
    # Uuid.randomUuid, avoid ids starting with '-' (they look like CLI flags).
    local id
    while :; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)"
      [[ "$id" != -* ]] && break
    done
    printf '%s\n' "$id" > "$CLUSTER_ID_FILE"
  fi
  tr -d '[:space:]' < "$CLUSTER_ID_FILE"
}

write_config() {
  local heartbeat_ms=$(( KAFKA_BROKER_SESSION_TIMEOUT_MS / 4 ))
  local fetch_max=$(( KAFKA_MESSAGE_MAX_BYTES > 1048576 ? KAFKA_MESSAGE_MAX_BYTES : 1048576 ))
  cat > "$PROPS.tmp" <<EOF
# Generated by infra/local/kafka/ctl.sh on every start: edit the script (or its env vars), not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=${DATA_DIR}

# single node: every internal topic has one replica
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
default.replication.factor=1
min.insync.replicas=1
num.partitions=${KAFKA_NUM_PARTITIONS}

# tests: no rebalance delay, no silent topic creation (services create their topics; a missing one must fail)
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true

# after a SIGKILL the controller refuses the new incarnation ("DUPLICATE_BROKER_REGISTRATION") until the old
# one's session expired: keep that short so fault tests restart quickly
broker.session.timeout.ms=${KAFKA_BROKER_SESSION_TIMEOUT_MS}
broker.heartbeat.interval.ms=${heartbeat_ms}

message.max.bytes=${KAFKA_MESSAGE_MAX_BYTES}
replica.fetch.max.bytes=${fetch_max}

# small footprint on a 2-core machine
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=104857600
EOF
  mv "$PROPS.tmp" "$PROPS"

  cat > "$LOG4J" <<EOF
# Generated by infra/local/kafka/ctl.sh
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=${SERVER_LOG}
log4j.appender.file.Append=true
log4j.appender.file.MaxFileSize=50MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel\$=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
EOF

  cat > "$TOOLS_LOG4J" <<EOF
# Generated by infra/local/kafka/ctl.sh: for Kafka's CLI classes (warnings to stderr)
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

format_storage() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  log "formatting KRaft storage in $DATA_DIR"
  local cp
  cp="$(cat "$CP_FILE")"
  # StorageTool calls System.exit, so it gets its own short-lived JVM.
  if ! java -Xmx256m -XX:TieredStopAtLevel=1 -cp "$cp" -Dlog4j.configuration="file:$TOOLS_LOG4J" \
        kafka.tools.StorageTool format -t "$(cluster_id)" -c "$PROPS" --ignore-formatted \
        > "$LOG_DIR/format.log" 2>&1; then
    cat "$LOG_DIR/format.log" >&2
    die "kafka-storage format failed"
  fi
}

check_ports_free() {
  local p owner
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      owner="$(port_owner "$p" || true)"
      die "port $p on 127.0.0.1 is already in use${owner:+ by $owner} (set KAFKA_PORT / KAFKA_CONTROLLER_PORT or stop it)"
    fi
  done
}

ready_since() { # log offset: true once the broker logged readiness after that offset AND the port accepts
  local off="$1" size
  [[ -f "$SERVER_LOG" ]] || return 1
  size="$(stat -c %s "$SERVER_LOG")"
  (( size < off )) && off=0 # the log rolled meanwhile
  # (process substitution, not a pipe: grep -q quitting early must not turn into SIGPIPE under pipefail)
  grep -Eq "$READY_PATTERN" < <(tail -c +"$(( off + 1 ))" "$SERVER_LOG") || return 1
  port_open "$KAFKA_PORT"
}

wait_ready() { # pid log_offset t0
  local pid="$1" off="$2" t0="$3" deadline=$(( $(date +%s) + KAFKA_START_TIMEOUT ))
  while :; do
    if ready_since "$off"; then
      log "ready on 127.0.0.1:$KAFKA_PORT (pid $pid) in $(elapsed "$t0") s"
      return 0
    fi
    if ! alive "$pid"; then
      show_failure "the broker exited during start-up"
      rm -f "$PID_FILE"
      exit 1
    fi
    if (( $(date +%s) >= deadline )); then
      show_failure "not ready after ${KAFKA_START_TIMEOUT} s (still running as pid $pid; 'ctl.sh stop' ends it)"
      exit 1
    fi
    sleep 0.25
  done
}

show_failure() {
  printf '[kafka] ERROR: %s\n' "$1" >&2
  if [[ -f "$SERVER_LOG" ]]; then
    printf -- '--- last 40 lines of %s ---\n' "$SERVER_LOG" >&2
    tail -n 40 "$SERVER_LOG" >&2
  fi
  if [[ -s "$CONSOLE_LOG" ]]; then
    printf -- '--- last 20 lines of %s ---\n' "$CONSOLE_LOG" >&2
    tail -n 20 "$CONSOLE_LOG" >&2
  fi
}

# --- commands ---------------------------------------------------------------------------------------------

cmd_start() {
  local t0 pid off
  t0="$(now)"
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  if pid="$(running_pid)"; then
    if port_open "$KAFKA_PORT"; then
      log "already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
      return 0
    fi
    log "process $pid exists but does not answer yet; waiting for it"
    wait_ready "$pid" 0 "$t0"
    return 0
  fi
  rm -f "$PID_FILE"
  require_tools
  check_ports_free
  ensure_classpath
  write_config
  format_storage

  off=0
  [[ -f "$SERVER_LOG" ]] && off="$(stat -c %s "$SERVER_LOG")"
  printf '\n==== start %s ====\n' "$(date -Is)" >> "$CONSOLE_LOG"

  local cp
  cp="$(cat "$CP_FILE")"
  # setsid: own session, so a Ctrl-C or the end of the calling shell does not take the broker down.
  # bash -c writes its own pid ($0 is the pid file), then execs java (same pid).
  # shellcheck disable=SC2086
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" \
    java $KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true -Dkafka.logs.dir="$LOG_DIR" -Dlog4j.configuration="file:$LOG4J" \
      $KAFKA_JVM_OPTS -cp "$cp" kafka.Kafka "$PROPS" \
    >> "$CONSOLE_LOG" 2>&1 < /dev/null &
  local launcher=$!
  # wait until the pid file holds the broker's pid
  local i
  for i in $(seq 1 50); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.05
  done
  pid="$(cat "$PID_FILE" 2>/dev/null || echo "$launcher")"
  log "started pid $pid, waiting for readiness (timeout ${KAFKA_START_TIMEOUT} s)"
  wait_ready "$pid" "$off" "$t0"
}

cmd_stop() {
  stop_engine TERM "$KAFKA_STOP_TIMEOUT"
  wait_ports_free || true
  [[ -n "${STOPPED_IN:-}" ]] && log "stopped in $STOPPED_IN s"
  return 0
}

cmd_kill() {
  stop_engine KILL 0
  wait_ports_free || true
  [[ -n "${STOPPED_IN:-}" ]] && log "killed"
  return 0
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    local answering=no
    port_open "$KAFKA_PORT" && answering=yes
    log "running pid=$pid rss_mb=$(rss_mb "$pid") port=$KAFKA_PORT answering=$answering home=$KHOME"
    return 0
  fi
  log "stopped (home=$KHOME)"
  return 3
}

usage() {
  cat <<EOF
usage: $(basename "$0") <start|stop|status|kill|restart|logs|classpath>
  start      start the broker (idempotent) and wait until it serves 127.0.0.1:$KAFKA_PORT
  stop       SIGTERM, SIGKILL after ${KAFKA_STOP_TIMEOUT} s; data is kept
  status     running?, pid, RSS (exit 0 running, 3 stopped)
  kill       SIGKILL at once (fault tests)
  restart    stop + start
  logs       tail the broker log
  classpath  print the broker's runtime classpath (for Kafka's own CLI classes)
State: $KHOME (remove it to start from an empty broker)
EOF
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  kill) cmd_kill ;;
  restart) cmd_stop; cmd_start ;;
  logs) tail -n "${2:-100}" "$SERVER_LOG" ;;
  classpath) mkdir -p "$KHOME"; require_tools; ensure_classpath; cat "$CP_FILE" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
