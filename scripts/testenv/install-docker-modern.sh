#!/usr/bin/env bash
# Installs today's Docker beside Debian 12's: Engine 28.5 with containerd 2.1, the 28.5 CLI,
# Compose 2.40 and buildx 0.29, all from Debian sid, into a private prefix ($MODERN_PREFIX).
# Nothing is installed system-wide: sid's packages want sid's libc, so they are only fetched
# and extracted (the binaries need glibc 2.34; bookworm has 2.36). The engine runs with
# bookworm's own runc, since sid's needs glibc 2.38. engine-env.sh modern selects this pair.
# Idempotent: it fetches only when the prefix is missing or incomplete. Versions are not pinned:
# sid keeps only its newest builds, so a pin would break on the next upload; the versions in use
# are printed, and recorded in $MODERN_PREFIX/versions.
source "$(dirname "$0")/lib.sh"
require_root install-docker-modern.sh

PACKAGES=(docker.io docker-cli containerd docker-compose docker-buildx)
stamp="$MODERN_PREFIX/versions"

if [ -s "$stamp" ]; then
  log "today's Docker already in $MODERN_PREFIX: $(tr '\n' ' ' <"$stamp")"
  exit 0
fi
[ -x /usr/sbin/runc ] || die "bookworm's runc is missing: run install-packages.sh first"

log "fetching today's Docker from Debian sid into $MODERN_PREFIX"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch_debs sid "$work" "${PACKAGES[@]}"
rm -rf "$MODERN_PREFIX"
mkdir -p "$MODERN_PREFIX/bin" "$MODERN_PREFIX/docker-config/cli-plugins"
mv "$work/root" "$MODERN_PREFIX/root"
root="$MODERN_PREFIX/root"
# One folder first on PATH: the engine, its containerd and shim, the CLI, and bookworm's runc.
ln -s "$root/usr/sbin/dockerd" "$root/usr/sbin/docker-proxy" "$root/usr/bin/containerd" \
  "$root/usr/bin/containerd-shim-runc-v2" "$root/usr/bin/docker" "$MODERN_PREFIX/bin/"
ln -s /usr/sbin/runc "$MODERN_PREFIX/bin/runc"
# The CLI plugins of this pair live in its own DOCKER_CONFIG, so they never shadow the
# system's Compose 2.26 that the legacy pair uses.
ln -s "$root/usr/libexec/docker/cli-plugins/docker-compose" "$root/usr/libexec/docker/cli-plugins/docker-buildx" \
  "$MODERN_PREFIX/docker-config/cli-plugins/"

export DOCKER_CONFIG="$MODERN_PREFIX/docker-config"
cli="$MODERN_PREFIX/bin/docker"
versions=$(printf 'engine %s\ncompose %s\nbuildx %s\n' \
  "$("$MODERN_PREFIX/bin/dockerd" --version | sed 's/^Docker version \([^,]*\).*/\1/')" \
  "$("$cli" compose version --short)" "$("$cli" buildx version | cut -d' ' -f2)") \
  || die "a binary from sid does not run here (glibc?): see the messages above"
echo "$versions" >"$stamp"
log "installed: $(tr '\n' ' ' <"$stamp")"
