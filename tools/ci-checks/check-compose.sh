#!/usr/bin/env bash
# Validates the compose file with a real Compose implementation (no Docker daemon needed): `config -q` for the
# default services, then once more for every profile the file declares, so a profile added later is checked
# without touching this script, and with the profile's variables when a `<profile>.env` lies beside the file.
#
#   check-compose.sh [compose-file]      (default: <repo>/docker-compose.yml)
#
# Uses `docker-compose` when on PATH (Debian's package, Compose 1.29), else the `docker compose` plugin (hosted CI
# runners have it); when neither is there it installs Debian's docker-compose package, as root or through
# passwordless sudo, as infra/local/prometheus/ctl.sh installs Prometheus.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COMPOSE_FILE="$(realpath "${1:-$REPO_ROOT/docker-compose.yml}")"

log() { printf '[check-compose] %s\n' "$*"; }
die() { printf '[check-compose] ERROR: %s\n' "$*" >&2; exit 1; }

install_debian_compose() {
  local as_root=()
  if [[ "$(id -u)" -ne 0 ]]; then
    sudo -n true 2>/dev/null || die "no Compose implementation; as root run:" \
      "apt-get update && apt-get install -y --no-install-recommends docker-compose"
    as_root=(sudo -n)
  fi
  log "installing Debian's docker-compose package (apt-get) ..."
  local apt_log="${TMPDIR:-/tmp}/compose-apt.$$.log" rc=0
  { "${as_root[@]}" apt-get update -q \
      && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends docker-compose; } > "$apt_log" 2>&1 || rc=$?
  if (( rc != 0 )); then
    tail -n 30 "$apt_log" >&2
    die "apt-get install docker-compose failed"
  fi
  rm -f "$apt_log"
  command -v docker-compose >/dev/null 2>&1 || die "docker-compose still not on PATH after apt-get install"
}

if command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  install_debian_compose
  compose=(docker-compose)
fi

[[ -f "$COMPOSE_FILE" ]] || die "no compose file at $COMPOSE_FILE"
# Relative paths in the file (build contexts, mounted configs) resolve against its folder.
cd "$(dirname "$COMPOSE_FILE")"
version="$("${compose[@]}" version --short 2>/dev/null || "${compose[@]}" version | head -n 1)"
"${compose[@]}" -f "$COMPOSE_FILE" config -q
log "${COMPOSE_FILE#"$REPO_ROOT"/}: default services valid (${compose[*]} $version)"
mapfile -t profiles < <("${compose[@]}" -f "$COMPOSE_FILE" config --profiles)
for profile in "${profiles[@]}"; do
  [[ -n "$profile" ]] || continue
  "${compose[@]}" -f "$COMPOSE_FILE" --profile "$profile" config -q
  log "${COMPOSE_FILE#"$REPO_ROOT"/}: profile '$profile' valid"
  # A profile run with its own variables (`--env-file <profile>.env`, e.g. cluster.env) is checked with them too.
  if [[ -f "$profile.env" ]]; then
    "${compose[@]}" -f "$COMPOSE_FILE" --env-file "$profile.env" --profile "$profile" config -q
    log "${COMPOSE_FILE#"$REPO_ROOT"/}: profile '$profile' with $profile.env valid"
  fi
done
