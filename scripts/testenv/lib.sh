# Shared helpers for the test-environment scripts. Sourced, not executed.
set -euo pipefail

TESTENV_STATE_DIR="${TESTENV_STATE_DIR:-/tmp/kvobs-testenv}"
mkdir -p "$TESTENV_STATE_DIR"

log() { printf '[testenv] %s\n' "$*" >&2; }
die() { printf '[testenv] error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "$1 must run as root (it installs packages / starts daemons)"
}

# Waits until "$@" succeeds, polling every 0.5 s, for at most $TIMEOUT seconds.
wait_for() {
  local timeout="$1"; shift
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
    sleep 0.5
  done
}

# Prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Today's Docker (Engine 28.5 + containerd image store, Compose 2.40, buildx) lives in this
# private prefix (install-docker-modern.sh); the legacy pair is Debian 12's Engine 20.10 with
# Compose 2.26. engine-env.sh NAME prints the environment that selects one pair's CLI.
MODERN_PREFIX="${MODERN_PREFIX:-/opt/kvobs-testenv/docker-modern}"
LEGACY_DOCKER_CONFIG="${LEGACY_DOCKER_CONFIG:-/opt/kvobs-testenv/docker-legacy/docker-config}"

# True when a dockerd started by start-dockerd.sh is still alive.
# (By name too: on a machine that restarted, a stale pid may belong to anything.)
dockerd_ours_running() {
  local pid
  pid=$(cat "$TESTENV_STATE_DIR/dockerd.pid" 2>/dev/null) || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]
}

# fetch_debs SUITE DIR PACKAGE...: downloads the packages of another Debian suite (trixie, sid)
# into DIR and extracts them all into DIR/root, without touching the system's sources or
# installing anything: their dependencies (a newer libc) would not fit Debian 12.
fetch_debs() {
  local suite=$1 dir=$2 deb; shift 2
  mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/root"
  echo "deb http://deb.debian.org/debian $suite main" >"$dir/sources.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
                  -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache::Archives=$dir/archives"
                  -o APT::Sandbox::User=root -qq)
  apt-get "${apt_opts[@]}" update
  (cd "$dir" && apt-get "${apt_opts[@]}" download "$@")
  for deb in "$dir"/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
}
