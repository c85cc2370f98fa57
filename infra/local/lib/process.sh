# Process helpers shared by the engines' ctl.sh scripts. Source it after setting ENGINE (the log prefix).
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$ENGINE" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$ENGINE" "$*" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

alive() { # a zombie (exited child not yet reaped) counts as gone: it holds no ports or files
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z ]]
}

# Prints the pid in $PID_FILE if that process is alive and its command line contains $1 (guards against a
# recycled pid belonging to some other program).
pid_matching() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid cmdline
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  cmdline="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmdline" == *"$1"* ]] || return 1
  echo "$pid"
}

port_open() { # true when something accepts TCP connections on 127.0.0.1:$1
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

port_owner() { # best-effort description of who listens on a port
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1
  fi
}

rss_mb() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

wait_gone() { # pid timeout_seconds
  local pid="$1" deadline=$(( $(date +%s) + $2 ))
  while alive "$pid"; do
    (( $(date +%s) >= deadline )) && return 1
    sleep 0.2
  done
  return 0
}

# Stops the engine whose pid `running_pid` (defined by the caller) prints: SIGTERM and up to $2 seconds for
# it to exit, then SIGKILL; with $1 = KILL, SIGKILL at once. Removes the pid file. No-op when not running.
stop_engine() { # TERM|KILL timeout_seconds
  local pid t0
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  t0="$(now)"
  if [[ "$1" == KILL ]]; then
    log "killing pid $pid (SIGKILL)"
    kill -KILL "$pid" 2>/dev/null || true
  else
    log "stopping pid $pid (SIGTERM)"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" "$2"; then
      log "still running after $2 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait_gone "$pid" 10 || die "pid $pid survived SIGKILL"
  rm -f "$PID_FILE"
  STOPPED_IN="$(elapsed "$t0")"
}
