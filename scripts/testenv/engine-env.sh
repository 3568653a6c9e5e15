#!/usr/bin/env bash
# Prints the environment that selects one Docker pair's CLI and Compose, for `eval`:
#   eval "$(bash scripts/testenv/engine-env.sh modern)"   # CLI 28.5, Compose 2.40, buildx (Bake)
#   eval "$(bash scripts/testenv/engine-env.sh legacy)"   # CLI 20.10, Compose 2.26, no buildx
# Each pair has its own DOCKER_CONFIG holding only its CLI plugins, so the two never mix.
# The engine itself is started by start-dockerd.sh with the same name.
source "$(dirname "$0")/lib.sh"

case "${1:-}" in
  modern) bin="$MODERN_PREFIX/bin"; config="$MODERN_PREFIX/docker-config" ;;
  legacy) bin="$(dirname "$LEGACY_DOCKER_CONFIG")/bin"; config="$LEGACY_DOCKER_CONFIG" ;;
  *) die "usage: engine-env.sh modern|legacy" ;;
esac
[ -x "$bin/docker" ] && [ -d "$config/cli-plugins" ] || die "the $1 pair is not installed: run setup.sh"
printf 'export PATH=%q:"$PATH"\nexport DOCKER_CONFIG=%q\nexport DOCKWATCH_TEST_ENGINE=%q\n' "$bin" "$config" "$1"
