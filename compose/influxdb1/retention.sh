#!/bin/sh
# One-shot job of the InfluxDB 1.x stacks: makes sure the `dockwatch` database exists and that
# its default retention policy (autogen) keeps INFLUXDB_RETENTION, at every start, so a changed
# value takes effect on the next `up` (1.x would otherwise keep everything forever).
# Credentials: the admin user, when INFLUXDB_PASSWORD_FILE names its password (auth on).
set -eu
retention="${INFLUXDB_RETENTION:-30d}"
if ! expr "$retention" : '[1-9][0-9]*[hdw]$' >/dev/null; then
  echo "influxdb-retention: INFLUXDB_RETENTION=$retention is not a duration like 30d, 720h or 4w" >&2
  exit 1
fi
set -- -host "${INFLUXDB_HOST:-influxdb}" -port 8086
if [ -n "${INFLUXDB_PASSWORD_FILE:-}" ]; then
  set -- "$@" -username admin -password "$(cat "$INFLUXDB_PASSWORD_FILE")"
fi
influx "$@" -execute 'CREATE DATABASE "dockwatch"'
influx "$@" -execute "ALTER RETENTION POLICY \"autogen\" ON \"dockwatch\" DURATION $retention DEFAULT"
echo "influxdb-retention: database dockwatch keeps $retention"
