#!/bin/sh
# Fills the `secrets` volume on first start, so the stack needs no editing and has no default
# passwords. For each secret: a value set in compose/.env wins (and is written again on every
# start); otherwise a value already in the volume is kept; otherwise a random one is made.
# The volume is mounted read-only into the services that need it; read a secret with
#   docker compose exec collector cat /secrets/<name>
set -eu
umask 077
dir="${SECRETS_DIR:-/secrets}"

random_string() {
  # 36 random bytes, base64 without the characters that need quoting anywhere.
  head -c 36 /dev/urandom | base64 | tr -d '/+=\n'
}

# secret NAME VALUE_FROM_ENV [PREFIX]
secret() {
  file="$dir/$1"
  if [ -n "$2" ]; then
    printf '%s' "$2" >"$file.tmp" && mv "$file.tmp" "$file"
    echo "secrets: $1 set from the environment"
  elif [ -s "$file" ]; then
    echo "secrets: $1 kept"
  else
    printf '%s%s' "${3:-}" "$(random_string)" >"$file.tmp" && mv "$file.tmp" "$file"
    echo "secrets: $1 generated"
  fi
}

mkdir -p "$dir"
# InfluxDB 3 wants its tokens to start with apiv3_; 1.x and 2.x take any string. Generated
# tokens always have the prefix; the 3 Core variant sets INFLUXDB_TOKEN_PREFIX, and a token of
# the user's without it is refused here with the reason, instead of a server that exits.
secret influxdb-token "${INFLUXDB_TOKEN:-}" apiv3_
required="${INFLUXDB_TOKEN_PREFIX:-}"
case "$(cat "$dir/influxdb-token")" in
  "$required"*) ;;
  *)
    echo "secrets: the InfluxDB token must start with $required for this InfluxDB; set INFLUXDB_TOKEN=$required... in compose/.env (or remove the secrets volume to generate one)" >&2
    exit 1 ;;
esac
secret influxdb-password "${INFLUXDB_PASSWORD:-}"
secret grafana-admin-password "${GRAFANA_ADMIN_PASSWORD:-}"
secret kv-admin-token "${KV_ADMIN_TOKEN:-}"
secret kv-admin-password "${KV_ADMIN_PASSWORD:-}"

# Derived forms, rewritten each start from the secrets above:
# - InfluxDB 3 Core reads its first admin token from a JSON file (--admin-token-file);
# - InfluxDB 1.8 takes "Authorization: Token user:password", which Grafana sends.
# (Written to a temporary file and renamed: the old file is read-only, and this job has no
# capability to override that.)
derive() { printf "$2" "$(cat "$dir/$3")" >"$dir/$1.tmp" && mv -f "$dir/$1.tmp" "$dir/$1"; }
derive influxdb3-admin-token.json '{"token":"%s","name":"_admin"}\n' influxdb-token
derive influxdb1-token 'admin:%s' influxdb-password

# Each service runs as its own user, so the files are readable by all of them; the volume
# itself is mounted only into this stack's services.
chmod 0755 "$dir"
chmod 0444 "$dir"/*
