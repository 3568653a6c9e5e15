#!/usr/bin/env bash
# Stops the dockerd that start-dockerd.sh started, whichever pair it was; any other is left alone.
source "$(dirname "$0")/lib.sh"
pidfile="$TESTENV_STATE_DIR/dockerd.pid"
if dockerd_ours_running; then
  pid=$(cat "$pidfile")
  kill "$pid"
  # A graceful stop stops its containers and its containerd; past 30 s, kill it.
  if ! wait_for 30 sh -c "! kill -0 $pid"; then kill -9 "$pid"; log "killed dockerd (pid $pid): it did not stop within 30 s"; fi
  # Its socket must be gone before another engine takes the path.
  wait_for 10 sh -c '! [ -S /var/run/docker.sock ] || ! curl -sf --unix-socket /var/run/docker.sock http://docker/_ping' || true
  log "stopped the $(cat "$TESTENV_STATE_DIR/dockerd.engine" 2>/dev/null) engine"
fi
rm -f "$pidfile" "$TESTENV_STATE_DIR/dockerd.engine"
