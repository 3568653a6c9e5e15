#!/usr/bin/env bash
# Stops an InfluxDB started by start-influxdb.sh NAME and removes its data.
source "$(dirname "$0")/lib.sh"
name="${1:-test}"
dir="$TESTENV_STATE_DIR/influxdb-$name"
[ -f "$dir/pid" ] || exit 0
pid=$(cat "$dir/pid")
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
fi
rm -rf "$dir"
log "stopped InfluxDB '$name'"
