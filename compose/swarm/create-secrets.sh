#!/bin/sh
# Creates the Docker secrets of compose/stack.yaml, once, on a swarm manager:
#   compose/swarm/create-secrets.sh
# For each secret: a value set in the environment (the same names as compose/.env uses:
# INFLUXDB_TOKEN, INFLUXDB_PASSWORD, GRAFANA_ADMIN_PASSWORD, KV_ADMIN_TOKEN, KV_ADMIN_PASSWORD)
# is taken; otherwise a random one is generated. There are no default passwords.
# A secret that exists already is kept (a swarm secret cannot change; to replace one, remove
# the stack, `docker secret rm dockwatch-NAME`, run this again, deploy again).
# Nothing is printed but the names; read a value from a task that mounts it, e.g.
#   docker exec "$(docker ps -q -f label=com.docker.swarm.service.name=dockwatch_kvstore)" cat /run/secrets/kv-admin-token
set -eu
umask 077

random_string() {
  # 36 random bytes, base64 without the characters that need quoting anywhere.
  head -c 36 /dev/urandom | base64 | tr -d '/+=\n'
}

# secret NAME VALUE_FROM_ENV [PREFIX]
secret() {
  name="dockwatch-$1"
  if docker secret inspect "$name" >/dev/null 2>&1; then
    [ -z "$2" ] || echo "create-secrets: $name exists and is kept; the value in the environment is not used" >&2
    echo "create-secrets: $name kept"
    return
  fi
  if [ -n "$2" ]; then
    value=$2
    how="from the environment"
  else
    value="${3:-}$(random_string)"
    how=generated
  fi
  printf '%s' "$value" | docker secret create --label com.dockwatch.secret="$1" "$name" - >/dev/null
  echo "create-secrets: $name $how"
}

# Generated tokens carry InfluxDB 3's prefix (1.x and 2.x take any string), as the compose
# bundle's do, so one token serves any of them.
secret influxdb-token "${INFLUXDB_TOKEN:-}" apiv3_
secret influxdb-password "${INFLUXDB_PASSWORD:-}"
secret grafana-admin-password "${GRAFANA_ADMIN_PASSWORD:-}"
secret kv-admin-token "${KV_ADMIN_TOKEN:-}"
secret kv-admin-password "${KV_ADMIN_PASSWORD:-}"
