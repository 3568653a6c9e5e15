#!/bin/sh
# One-shot job of the InfluxDB 3 Core stack: creates the databases before the collector's first
# write would create them with no retention. 3 Core fixes a database's retention when it is
# created, so on later starts this keeps what exists.
#   - `dockwatch`, the raw points, keeping INFLUXDB_RETENTION;
#   - for each rollup resolution of ROLLUPS ("1m:90d,1h:730d"), `dockwatch/rollup_<res>`:
#     3's InfluxQL reads database "db/rp" as database db, retention policy rp, which is how the
#     dashboards address the rollups.
set -eu
retention="${INFLUXDB_RETENTION:-7d}"
rollups="${ROLLUPS-1m:90d,1h:730d}"
# "off" (as the collector reads it) or empty: no rollups.
[ "$rollups" = off ] && rollups=''

is_duration() { expr "$1" : '[1-9][0-9]*[hd]$' >/dev/null; }

if ! is_duration "$retention"; then
  echo "influxdb-database: INFLUXDB_RETENTION=$retention is not a duration InfluxDB 3 takes, like 7d or 168h" >&2
  exit 1
fi
for pair in $(echo "$rollups" | tr ',' ' '); do
  if ! expr "${pair%%:*}" : '[1-9][0-9]*[smhd]$' >/dev/null || ! is_duration "${pair#*:}"; then
    echo "influxdb-database: ROLLUPS entry '$pair' is not resolution:retention like 1m:90d" >&2
    exit 1
  fi
done

token=$(cat "${INFLUXDB_TOKEN_FILE:-/secrets/influxdb-token}")
existing=$(influxdb3 show databases --host http://influxdb:8086 --token "$token" --format json)

# ensure NAME RETENTION
ensure() {
  if echo "$existing" | grep -q "\"$1\""; then
    echo "influxdb-database: $1 exists; its retention was fixed when it was created"
  else
    influxdb3 create database --host http://influxdb:8086 --token "$token" --retention-period "$2" "$1"
    echo "influxdb-database: created $1, keeping $2"
  fi
}

ensure dockwatch "$retention"
for pair in $(echo "$rollups" | tr ',' ' '); do
  ensure "dockwatch/rollup_${pair%%:*}" "${pair#*:}"
done
