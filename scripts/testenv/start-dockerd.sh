#!/usr/bin/env bash
# Starts dockerd if no engine answers, and waits until it does. Records that it started
# one, so stop-all.sh stops only what this script started.
source "$(dirname "$0")/lib.sh"

if docker info >/dev/null 2>&1; then
  log "a Docker engine already answers"
  exit 0
fi
require_root start-dockerd.sh
command -v dockerd >/dev/null || die "dockerd not found: run install-packages.sh first"

log "starting dockerd"
# setsid: the daemon outlives the shell that started it, and is not killed with its process group.
setsid dockerd >"$TESTENV_STATE_DIR/dockerd.log" 2>&1 < /dev/null &
echo $! >"$TESTENV_STATE_DIR/dockerd.pid"
wait_for 60 docker info || { tail -n 30 "$TESTENV_STATE_DIR/dockerd.log" >&2; die "dockerd did not answer within 60 s"; }
log "dockerd is up (pid $(cat "$TESTENV_STATE_DIR/dockerd.pid"))"
