#!/usr/bin/env bash
# Installs the Debian packages the tests need, plus the Compose v2 plugin from Debian 13: with
# Debian 12's Engine 20.10, the legacy pair (today's Docker: install-docker-modern.sh).
# Idempotent: it only calls apt when something is missing.
source "$(dirname "$0")/lib.sh"
require_root install-packages.sh

PACKAGES=(docker.io busybox-static influxdb influxdb-client nginx debootstrap openssl chromium iproute2 procps ca-certificates curl)
COMPOSE_PLUGIN=/usr/libexec/docker/cli-plugins/docker-compose

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  log "installing: ${missing[*]}"
  # Keep package postinst scripts from starting nginx/influxdb as system services:
  # the tests start their own instances on loopback, and port 80 must stay free for compose.
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  if [ "$had_policy" -eq 0 ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$had_policy" -eq 0 ]; then rm -f "$policy"; fi
else
  log "Debian packages already installed"
fi

if [ -x "$COMPOSE_PLUGIN" ] && "$COMPOSE_PLUGIN" version --short >/dev/null 2>&1; then
  log "Compose v2 plugin already installed: $("$COMPOSE_PLUGIN" version --short)"
else
  # Debian 12 only ships the Python Compose v1; Debian 13's docker-compose package is a
  # static Go binary (Compose v2) that runs here. Fetch it from the archive without
  # touching the system's sources.
  log "installing the Compose v2 plugin from Debian 13"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  fetch_debs trixie "$work" docker-compose
  install -D -m 0755 "$work/root/usr/libexec/docker/cli-plugins/docker-compose" "$COMPOSE_PLUGIN"
  log "Compose $("$COMPOSE_PLUGIN" version --short) installed"
fi

# The legacy pair's own CLI folder and DOCKER_CONFIG (engine-env.sh legacy): Debian 12's
# 20.10 CLI with Compose 2.26 and no buildx, whatever else the machine has on PATH.
legacy_root=$(dirname "$LEGACY_DOCKER_CONFIG")
mkdir -p "$legacy_root/bin" "$LEGACY_DOCKER_CONFIG/cli-plugins"
ln -sfn /usr/bin/docker "$legacy_root/bin/docker"
ln -sfn "$COMPOSE_PLUGIN" "$LEGACY_DOCKER_CONFIG/cli-plugins/docker-compose"
