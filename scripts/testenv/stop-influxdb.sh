#!/usr/bin/env bash
# Stops an InfluxDB started by start-influxdb.sh NAME and removes its data.
# Usage: stop-influxdb.sh [NAME] [--keep-data]   (--keep-data: for start-influxdb.sh --resume)
source "$(dirname "$0")/lib.sh"
name="${1:-test}"
keep=0; [ "${2:-}" = "--keep-data" ] && keep=1
dir="$TESTENV_STATE_DIR/influxdb-$name"
[ -f "$dir/pid" ] || exit 0
pid=$(cat "$dir/pid")
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$dir/pid"
if [ "$keep" -eq 1 ]; then log "stopped InfluxDB '$name' (data kept)"; exit 0; fi
rm -rf "$dir"
log "stopped InfluxDB '$name'"
