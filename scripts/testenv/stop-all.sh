#!/usr/bin/env bash
# Tears down only what the test environment started: test containers (label
# kvobs.test=1), the end-to-end compose projects, a test swarm, the loopback InfluxDBs, and dockerd if
# start-dockerd.sh started it.
# Installed packages and built images stay: they are the slow part and are reused.
source "$(dirname "$0")/lib.sh"

if docker info >/dev/null 2>&1; then
  ids=$(docker ps -aq --filter label=kvobs.test=1)
  # One that is already being removed is not an error: teardown goes on.
  [ -z "$ids" ] || { docker rm -f $ids >/dev/null || true; log "removed test containers"; }
  # Compose projects of the end-to-end test (dockwatch-e2e-*), with their volumes and networks.
  for project in $(docker ps -a --format '{{.Label "com.docker.compose.project"}}' | grep '^dockwatch-e2e-' | sort -u); do
    docker compose -p "$project" down -v --remove-orphans --timeout 5 >/dev/null 2>&1 && log "removed compose project $project"
  done
fi
# A swarm suite that crashed leaves its nodes up; swarm-down.sh removes them by pid, or does nothing.
bash "$(dirname "$0")/swarm-down.sh" --quiet
for dir in "$TESTENV_STATE_DIR"/influxdb-*; do
  [ -d "$dir" ] && bash "$(dirname "$0")/stop-influxdb.sh" "${dir##*/influxdb-}"
done
[ "${KEEP_DOCKERD:-0}" = 1 ] || bash "$(dirname "$0")/stop-dockerd.sh"
