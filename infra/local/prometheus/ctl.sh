#!/usr/bin/env bash
# Local Prometheus (Debian's `prometheus` package, run directly: no systemd service) for the no-Docker stack.
#
#   ctl.sh start | stop | status | kill | restart | check | logs
#
# Environment (all optional):
#   ENGINES_HOME               state root (default <repo>/.engines); Prometheus lives in $ENGINES_HOME/prometheus
#   PROMETHEUS_PORT            listen port on 127.0.0.1 (default 9090)
#   PROMETHEUS_CONFIG          config file (default <repo>/infra/prometheus/prometheus.yml)
#   PROMETHEUS_RETENTION       TSDB retention (default 2d)
#   PROMETHEUS_START_TIMEOUT   seconds to wait for /-/ready (default 60)
#   PROMETHEUS_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL (default 20)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../../.." && pwd)"
ENGINES_HOME="${ENGINES_HOME:-$REPO_ROOT/.engines}"
PHOME="$ENGINES_HOME/prometheus"
DATA_DIR="$PHOME/data"
LOG_FILE="$PHOME/prometheus.log"
PID_FILE="$PHOME/prometheus.pid"
RULES_DIR="$REPO_ROOT/infra/prometheus"

PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
PROMETHEUS_CONFIG="${PROMETHEUS_CONFIG:-$RULES_DIR/prometheus.yml}"
PROMETHEUS_RETENTION="${PROMETHEUS_RETENTION:-2d}"
PROMETHEUS_START_TIMEOUT="${PROMETHEUS_START_TIMEOUT:-60}"
PROMETHEUS_STOP_TIMEOUT="${PROMETHEUS_STOP_TIMEOUT:-20}"
URL="http://127.0.0.1:$PROMETHEUS_PORT"

ENGINE=prometheus
# shellcheck source=../lib/process.sh
source "$SCRIPT_DIR/../lib/process.sh"

running_pid() { pid_matching "--storage.tsdb.path=$DATA_DIR "; }

http_ok() { # 200 on $1?
  [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true)" == 200 ]]
}

# Debian's package; its service is never used (no systemd here): this script runs the binary itself.
ensure_installed() {
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 && return 0
  if [[ "$(id -u)" -ne 0 ]]; then
    die "prometheus is not installed; as root run: apt-get update && apt-get install -y --no-install-recommends prometheus"
  fi
  log "installing Debian's prometheus package (apt-get) ..."
  # Keep the package's maintainer scripts from starting its own service on :9090 (policy-rc.d protocol),
  # unless the machine already has a policy in place.
  local made_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus; } \
    > "${TMPDIR:-/tmp}/prometheus-apt.$$.log" 2>&1 || rc=$?
  [[ -n "$made_policy" ]] && rm -f /usr/sbin/policy-rc.d
  if (( rc != 0 )); then
    tail -n 30 "${TMPDIR:-/tmp}/prometheus-apt.$$.log" >&2
    die "apt-get install prometheus failed"
  fi
  rm -f "${TMPDIR:-/tmp}/prometheus-apt.$$.log"
  command -v prometheus >/dev/null 2>&1 || die "prometheus still not on PATH after apt-get install"
}

cmd_check() {
  ensure_installed
  local f
  for f in "$RULES_DIR/prometheus.yml" "$RULES_DIR/prometheus.docker.yml"; do
    promtool check config "$f"
  done
  promtool check rules "$RULES_DIR/alerts.yml"
  (cd "$RULES_DIR" && promtool test rules alerts.test.yml)
}

show_failure() {
  printf '[prometheus] ERROR: %s\n' "$1" >&2
  if [[ -f "$LOG_FILE" ]]; then
    printf -- '--- last 30 lines of %s ---\n' "$LOG_FILE" >&2
    tail -n 30 "$LOG_FILE" >&2
  fi
}

cmd_start() {
  local t0 pid
  t0="$(now)"
  mkdir -p "$DATA_DIR"
  if pid="$(running_pid)"; then
    if http_ok "$URL/-/ready"; then
      log "already running (pid $pid) on $URL"
      return 0
    fi
    log "process $pid exists but is not ready yet; waiting for it"
  else
    rm -f "$PID_FILE"
    command -v curl >/dev/null 2>&1 || die "curl not found (apt-get install -y curl)"
    ensure_installed
    [[ -f "$PROMETHEUS_CONFIG" ]] || die "config not found: $PROMETHEUS_CONFIG"
    if port_open "$PROMETHEUS_PORT"; then
      local owner
      owner="$(port_owner "$PROMETHEUS_PORT" || true)"
      die "port $PROMETHEUS_PORT on 127.0.0.1 is already in use${owner:+ by $owner} (set PROMETHEUS_PORT or stop it)"
    fi
    printf '\n==== start %s ====\n' "$(date -Is)" >> "$LOG_FILE"
    setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" \
      prometheus \
        --config.file="$PROMETHEUS_CONFIG" \
        --storage.tsdb.path="$DATA_DIR" \
        --storage.tsdb.retention.time="$PROMETHEUS_RETENTION" \
        --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
        --web.enable-lifecycle \
      >> "$LOG_FILE" 2>&1 < /dev/null &
    local i
    for i in $(seq 1 50); do
      [[ -s "$PID_FILE" ]] && break
      sleep 0.05
    done
    pid="$(cat "$PID_FILE")"
    log "started pid $pid, waiting for $URL/-/ready"
  fi
  local deadline=$(( $(date +%s) + PROMETHEUS_START_TIMEOUT ))
  until http_ok "$URL/-/ready"; do
    if ! alive "$pid"; then
      show_failure "prometheus exited during start-up"
      rm -f "$PID_FILE"
      exit 1
    fi
    if (( $(date +%s) >= deadline )); then
      show_failure "not ready after ${PROMETHEUS_START_TIMEOUT} s (pid $pid still running; 'ctl.sh stop' ends it)"
      exit 1
    fi
    sleep 0.2
  done
  log "ready on $URL (pid $pid) in $(elapsed "$t0") s"
}

stop_with() { # TERM|KILL
  stop_engine "$1" "$PROMETHEUS_STOP_TIMEOUT"
  local deadline=$(( $(date +%s) + 10 ))
  while port_open "$PROMETHEUS_PORT" && (( $(date +%s) < deadline )); do sleep 0.2; done
  [[ -n "${STOPPED_IN:-}" ]] && log "stopped in $STOPPED_IN s"
  return 0
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    local ready=no
    http_ok "$URL/-/ready" && ready=yes
    log "running pid=$pid rss_mb=$(rss_mb "$pid") url=$URL ready=$ready home=$PHOME"
    return 0
  fi
  log "stopped (home=$PHOME)"
  return 3
}

usage() {
  cat <<EOF
usage: $(basename "$0") <start|stop|status|kill|restart|check|logs>
  start    start Prometheus on $URL (idempotent; installs Debian's package when missing, as root)
  stop     SIGTERM, SIGKILL after ${PROMETHEUS_STOP_TIMEOUT} s; TSDB data is kept
  status   running?, pid, RSS (exit 0 running, 3 stopped)
  kill     SIGKILL at once
  restart  stop + start
  check    promtool: check both configs and the alert rules, run the rule unit tests
  logs     tail the Prometheus log
Config: $PROMETHEUS_CONFIG   State: $PHOME
EOF
}

case "${1:-}" in
  start) cmd_start ;;
  stop) stop_with TERM ;;
  kill) stop_with KILL ;;
  status) cmd_status ;;
  restart) stop_with TERM; cmd_start ;;
  check) cmd_check ;;
  logs) tail -n "${2:-100}" "$LOG_FILE" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
