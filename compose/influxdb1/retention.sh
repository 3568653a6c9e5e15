#!/bin/sh
# One-shot job of the InfluxDB 1.x stacks, run at every start so a changed value takes effect
# on the next `up` (1.x would otherwise keep everything forever):
#   - the `dockwatch` database exists;
#   - its default retention policy (autogen, the raw points) keeps INFLUXDB_RETENTION;
#   - each rollup resolution of ROLLUPS ("1m:90d,1h:730d") has its retention policy
#     rollup_<resolution>, keeping that long (the collector writes the rollups there).
# Credentials: the admin user, when INFLUXDB_PASSWORD_FILE names its password (auth on).
set -eu
retention="${INFLUXDB_RETENTION:-7d}"
rollups="${ROLLUPS-1m:90d,1h:730d}"
# "off" (as the collector reads it) or empty: no rollups.
[ "$rollups" = off ] && rollups=''

is_duration() { expr "$1" : '[1-9][0-9]*[hdw]$' >/dev/null; }

if ! is_duration "$retention"; then
  echo "influxdb-retention: INFLUXDB_RETENTION=$retention is not a duration like 7d, 168h or 1w" >&2
  exit 1
fi
# Check every pair before changing anything.
for pair in $(echo "$rollups" | tr ',' ' '); do
  resolution="${pair%%:*}"
  keep="${pair#*:}"
  if ! expr "$resolution" : '[1-9][0-9]*[smhd]$' >/dev/null || ! is_duration "$keep"; then
    echo "influxdb-retention: ROLLUPS entry '$pair' is not resolution:retention like 1m:90d" >&2
    exit 1
  fi
done

set -- -host "${INFLUXDB_HOST:-influxdb}" -port "${INFLUXDB_PORT:-8086}"
if [ -n "${INFLUXDB_PASSWORD_FILE:-}" ]; then
  set -- "$@" -username admin -password "$(cat "$INFLUXDB_PASSWORD_FILE")"
fi
influx "$@" -execute 'CREATE DATABASE "dockwatch"'
# One-day shard groups: 1.x drops a whole group once it is past the retention, so the
# raw points go after 7 to 8 days, not 14 (autogen starts with 7-day groups).
influx "$@" -execute "ALTER RETENTION POLICY \"autogen\" ON \"dockwatch\" DURATION $retention SHARD DURATION 1d DEFAULT"
echo "influxdb-retention: raw points kept $retention"
for pair in $(echo "$rollups" | tr ',' ' '); do
  policy="rollup_${pair%%:*}"
  keep="${pair#*:}"
  # CREATE fails when the policy exists with another duration; ALTER then sets it.
  influx "$@" -execute "CREATE RETENTION POLICY \"$policy\" ON \"dockwatch\" DURATION $keep REPLICATION 1" >/dev/null 2>&1 ||
    influx "$@" -execute "ALTER RETENTION POLICY \"$policy\" ON \"dockwatch\" DURATION $keep"
  echo "influxdb-retention: $policy kept $keep"
done
