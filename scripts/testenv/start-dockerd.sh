#!/usr/bin/env bash
# Starts the Docker engine of one pair on /var/run/docker.sock and waits until it answers:
#   start-dockerd.sh [modern|legacy]      default: $DOCKWATCH_TEST_ENGINE, else modern
#   modern  today's: dockerd 28.5 with containerd 2.1 and the containerd image store, with its
#           own data root, exec root and containerd namespace (install-docker-modern.sh)
#   legacy  Debian 12's dockerd 20.10 with the classic image store in /var/lib/docker
# One runs at a time: both want the default bridge and the DOCKER iptables chains. An engine
# this script started for the other pair is stopped first. An engine it did not start is left
# alone, and used only when its version is the pair asked for.
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"
engine="${1:-${DOCKWATCH_TEST_ENGINE:-modern}}"
case "$engine" in modern | legacy) ;; *) die "usage: start-dockerd.sh [modern|legacy]" ;; esac
require_root start-dockerd.sh
eval "$(bash "$here/engine-env.sh" "$engine")"

if dockerd_ours_running; then
  if [ "$(cat "$TESTENV_STATE_DIR/dockerd.engine" 2>/dev/null)" = "$engine" ] && docker info >/dev/null 2>&1; then
    log "the $engine engine already runs (pid $(cat "$TESTENV_STATE_DIR/dockerd.pid"))"
    exit 0
  fi
  bash "$here/stop-dockerd.sh"
elif docker info >/dev/null 2>&1; then
  version=$(docker version -f '{{.Server.Version}}')
  case "$engine:$version" in
    legacy:20.* | modern:2[89].* | modern:[3-9][0-9].*)
      log "an engine this script did not start answers (Docker $version): using it as the $engine pair"
      exit 0 ;;
    *) die "an engine this script did not start answers on /var/run/docker.sock (Docker $version), and the $engine pair needs another: stop it first" ;;
  esac
fi

log_file="$TESTENV_STATE_DIR/dockerd-$engine.log"
if [ "$engine" = modern ]; then
  data_root=/var/lib/kvobs-testenv/docker-modern
  exec_root=/run/kvobs-testenv/docker-modern
  mkdir -p "$data_root" "$exec_root"
  echo '{"features":{"containerd-snapshotter":true}}' >"$MODERN_PREFIX/daemon.json"
  args=(--config-file "$MODERN_PREFIX/daemon.json" --data-root "$data_root" --exec-root "$exec_root"
        --pidfile "$exec_root/dockerd.pid" --containerd-namespace kvobs-modern
        --containerd-plugins-namespace kvobs-modern-plugins -H unix:///var/run/docker.sock)
else
  command -v dockerd >/dev/null || die "dockerd not found: run install-packages.sh first"
  args=()
fi
log "starting the $engine engine ($(command -v dockerd))"
# setsid: the daemon outlives the shell that started it, and is not killed with its process group.
# The pair's folder is first on PATH, so its dockerd finds its own containerd and shim.
setsid dockerd "${args[@]}" >"$log_file" 2>&1 </dev/null &
echo $! >"$TESTENV_STATE_DIR/dockerd.pid"
echo "$engine" >"$TESTENV_STATE_DIR/dockerd.engine"
wait_for 60 docker info || { tail -n 30 "$log_file" >&2; die "dockerd ($engine) did not answer within 60 s"; }
log "the $engine engine is up: Docker $(docker version -f '{{.Server.Version}}'), image store $(docker info -f '{{.Driver}}') (pid $(cat "$TESTENV_STATE_DIR/dockerd.pid"))"
