#!/bin/sh
# One-shot job of the InfluxDB 2.x stacks, run at every start so a changed value takes effect
# on the next `up` (the image applies DOCKER_INFLUXDB_INIT_RETENTION on first setup only); on
# a Swarm it runs once, from the image's first-start hook (/docker-entrypoint-initdb.d):
#   - the raw bucket keeps INFLUXDB_RETENTION;
#   - each rollup resolution of ROLLUPS ("1m:90d,1h:730d") has a bucket <bucket>_rollup_<res>
#     with that retention, where the collector writes its rollups;
#   - InfluxQL (Grafana) reaches them as database <bucket>, retention policy rollup_<res>:
#     explicit DBRP mappings, the raw bucket's first and as the default, so a query without a
#     retention policy keeps reading the raw points.
set -eu
retention="${INFLUXDB_RETENTION:-7d}"
rollups="${ROLLUPS-1m:90d,1h:730d}"
# "off" (as the collector reads it) or empty: no rollups.
[ "$rollups" = off ] && rollups=''
bucket="${INFLUXDB_BUCKET:-dockwatch}"
# Inside the InfluxDB image's first-start hook (Swarm stack) its entrypoint sets INFLUX_HOST.
INFLUX_HOST="${INFLUX_HOST:-${INFLUXDB_URL:-http://influxdb:8086}}"
INFLUX_ORG="${INFLUXDB_ORG:-dockwatch}"
INFLUX_TOKEN="$(cat "${INFLUXDB_TOKEN_FILE:-/secrets/influxdb-token}")"
export INFLUX_HOST INFLUX_ORG INFLUX_TOKEN

is_duration() { expr "$1" : '[1-9][0-9]*[hdw]$' >/dev/null; }

if ! is_duration "$retention"; then
  echo "influxdb-buckets: INFLUXDB_RETENTION=$retention is not a duration like 7d, 168h or 1w" >&2
  exit 1
fi
for pair in $(echo "$rollups" | tr ',' ' '); do
  if ! expr "${pair%%:*}" : '[1-9][0-9]*[smhd]$' >/dev/null || ! is_duration "${pair#*:}"; then
    echo "influxdb-buckets: ROLLUPS entry '$pair' is not resolution:retention like 1m:90d" >&2
    exit 1
  fi
done

# The id of bucket $1, or nothing when it does not exist.
bucket_id() { influx bucket list --name "$1" --hide-headers 2>/dev/null | awk 'NR == 1 { print $1 }'; }

# map_dbrp RP BUCKET_ID [--default]: the mapping dockwatch/RP -> bucket, unless it exists.
map_dbrp() {
  if [ -z "$(influx v1 dbrp list --db "$bucket" --rp "$1" --hide-headers 2>/dev/null)" ]; then
    influx v1 dbrp create --db "$bucket" --rp "$1" --bucket-id "$2" ${3:-} >/dev/null
  fi
}

raw_id="$(bucket_id "$bucket")"
if [ -z "$raw_id" ]; then
  echo "influxdb-buckets: bucket $bucket not found (InfluxDB setup has not run?)" >&2
  exit 1
fi
influx bucket update --id "$raw_id" --retention "$retention" >/dev/null
map_dbrp autogen "$raw_id" --default
echo "influxdb-buckets: raw points kept $retention"

for pair in $(echo "$rollups" | tr ',' ' '); do
  resolution="${pair%%:*}"
  keep="${pair#*:}"
  name="${bucket}_rollup_${resolution}"
  id="$(bucket_id "$name")"
  if [ -z "$id" ]; then
    influx bucket create --name "$name" --retention "$keep" >/dev/null
    id="$(bucket_id "$name")"
  else
    influx bucket update --id "$id" --retention "$keep" >/dev/null
  fi
  map_dbrp "rollup_${resolution}" "$id"
  echo "influxdb-buckets: $name kept $keep, read as $bucket/rollup_${resolution}"
done
