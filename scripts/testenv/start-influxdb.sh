#!/usr/bin/env bash
# Starts a throwaway InfluxDB 1.6 on loopback, on a free port, with its data in a temporary
# folder. Usage: start-influxdb.sh [NAME] [--resume]   (default NAME: test)
#   --resume  start again an instance stopped with `stop-influxdb.sh NAME --keep-data`,
#             on the same port with the same data (outage tests)
# Prints the URL on stdout. Stop it with stop-influxdb.sh NAME.
source "$(dirname "$0")/lib.sh"
name="${1:-test}"
resume=0; [ "${2:-}" = "--resume" ] && resume=1
dir="$TESTENV_STATE_DIR/influxdb-$name"
command -v influxd >/dev/null || die "influxd not found: run install-packages.sh first"

if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
  echo "http://127.0.0.1:$(cat "$dir/port")"
  exit 0
fi
if [ "$resume" -eq 1 ]; then
  [ -f "$dir/influxdb.conf" ] || die "nothing to resume for '$name'"
  http_port=$(cat "$dir/port")
else
rm -rf "$dir"; mkdir -p "$dir/data"
http_port=$(free_port); rpc_port=$(free_port)
cat >"$dir/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$dir/data/meta"
[data]
  dir = "$dir/data/data"
  wal-dir = "$dir/data/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$http_port"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
fi
setsid influxd -config "$dir/influxdb.conf" >>"$dir/influxd.log" 2>&1 < /dev/null &
echo $! >"$dir/pid"
echo "$http_port" >"$dir/port"
wait_for 30 curl -sf "http://127.0.0.1:$http_port/ping" \
  || { tail -n 20 "$dir/influxd.log" >&2; die "influxd did not answer on port $http_port"; }
log "InfluxDB '$name' on http://127.0.0.1:$http_port (data in $dir)"
echo "http://127.0.0.1:$http_port"
