#!/bin/sh
# One-shot job of the InfluxDB 3 Core stack: creates the `dockwatch` database with
# INFLUXDB_RETENTION before the collector's first write would create it with none. 3 Core
# fixes a database's retention when it is created, so on later starts this keeps what exists.
set -eu
retention="${INFLUXDB_RETENTION:-30d}"
if ! expr "$retention" : '[1-9][0-9]*[hd]$' >/dev/null; then
  echo "influxdb-database: INFLUXDB_RETENTION=$retention is not a duration InfluxDB 3 takes, like 30d or 720h" >&2
  exit 1
fi
token=$(cat /secrets/influxdb-token)
if influxdb3 show databases --host http://influxdb:8086 --token "$token" --format json | grep -q '"dockwatch"'; then
  echo "influxdb-database: dockwatch exists; its retention was fixed when it was created"
  exit 0
fi
influxdb3 create database --host http://influxdb:8086 --token "$token" --retention-period "$retention" dockwatch
echo "influxdb-database: created dockwatch, keeping $retention"
