#!/usr/bin/env bash
# Builds the local images the tests and the CI compose override use, since no registry is
# reachable here:
#   local/busybox:1        busybox-static applets, for workload containers
#   local/debian:bookworm  debootstrap minbase
#   local/node:20-bookworm Debian + the host's node/npm + CA bundle (base for our Dockerfiles)
#   local/influxdb:1.6     Debian + influxdb/influxdb-client 1.6.7
#   local/nginx:1.22       Debian + nginx, openssl, envsubst, curl (base for the nginx Dockerfiles)
# Idempotent: an image built by this same recipe is kept; a change to this script (its hash is
# the image label kvobs.recipe) or FORCE_REBUILD=1 rebuilds. Each image's root filesystem is
# kept as a tarball in $IMAGE_CACHE, so the second engine (start-dockerd.sh modern|legacy)
# imports the same files in seconds instead of building them again.
source "$(dirname "$0")/lib.sh"
require_root build-images.sh
RECIPE=$(sha256sum "$0" | cut -c1-16)

BUSYBOX_IMAGE=local/busybox:1
DEBIAN_IMAGE=local/debian:bookworm
NODE_IMAGE=local/node:20-bookworm
INFLUX_IMAGE=local/influxdb:1.6
NGINX_IMAGE=local/nginx:1.22
ROOTFS_CACHE="${ROOTFS_CACHE:-/var/cache/kvobs-testenv/bookworm-minbase}"
IMAGE_CACHE="${IMAGE_CACHE:-/var/cache/kvobs-testenv/images}"
mkdir -p "$IMAGE_CACHE"

have_image() {
  [ "${FORCE_REBUILD:-0}" != 1 ] &&
    [ "$(docker image inspect -f '{{index .Config.Labels "kvobs.recipe"}}' "$1" 2>/dev/null)" = "$RECIPE" ]
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# import_image IMAGE MAKE_ROOTFS [docker import -c CHANGE...]: imports the image from its cached
# root filesystem tarball, calling MAKE_ROOTFS (which prints a folder) first when there is none.
import_image() {
  local image=$1 make_rootfs=$2 root; shift 2
  local tarball="$IMAGE_CACHE/${image//[\/:]/_}-$RECIPE.tar"
  if [ "${FORCE_REBUILD:-0}" = 1 ] || [ ! -s "$tarball" ]; then
    rm -f "$IMAGE_CACHE/${image//[\/:]/_}-"*.tar
    root=$("$make_rootfs")
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  fi
  docker import -c "LABEL kvobs.recipe=$RECIPE" "$@" "$tarball" "$image" >/dev/null
}

busybox_rootfs() {
  local root="$work/busybox"
  mkdir -p "$root/bin" "$root/tmp" "$root/dev/shm" "$root/proc" "$root/sys" "$root/etc"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh sleep yes dd nc httpd true cat echo head ls seq wc ps kill wget mkdir rm env; do
    ln -s busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
  echo "$root"
}

build_busybox() {
  have_image "$BUSYBOX_IMAGE" && { log "$BUSYBOX_IMAGE exists"; return; }
  import_image "$BUSYBOX_IMAGE" busybox_rootfs -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]'
  log "built $BUSYBOX_IMAGE"
}

ensure_rootfs() {
  if [ -x "$ROOTFS_CACHE/usr/bin/apt-get" ]; then return; fi
  log "debootstrap bookworm minbase into $ROOTFS_CACHE"
  rm -rf "$ROOTFS_CACHE.tmp"; mkdir -p "$(dirname "$ROOTFS_CACHE")"
  debootstrap --variant=minbase bookworm "$ROOTFS_CACHE.tmp" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -rf "$ROOTFS_CACHE.tmp/var/cache/apt/archives/"*.deb "$ROOTFS_CACHE.tmp/var/lib/apt/lists/"*
  mv "$ROOTFS_CACHE.tmp" "$ROOTFS_CACHE"
}

# Copies the cached rootfs to a fresh folder for one image.
fresh_rootfs() { local dir="$work/$1"; ensure_rootfs; cp -a "$ROOTFS_CACHE" "$dir"; echo "$dir"; }

debian_rootfs() { ensure_rootfs; echo "$ROOTFS_CACHE"; }

build_debian() {
  have_image "$DEBIAN_IMAGE" && { log "$DEBIAN_IMAGE exists"; return; }
  import_image "$DEBIAN_IMAGE" debian_rootfs -c 'CMD ["/bin/bash"]'
  log "built $DEBIAN_IMAGE"
}

node_rootfs() {
  local root; root=$(fresh_rootfs node)
  cp "$(command -v node)" "$root/usr/bin/node"
  mkdir -p "$root/usr/lib/node_modules" "$root/usr/local/bin" "$root/etc/ssl/certs"
  cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$root/usr/lib/node_modules/npm"
  ln -sf /usr/lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf /usr/lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  # Containers reach the npm registry only through this machine's TLS chain.
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  echo "$root"
}

build_node() {
  have_image "$NODE_IMAGE" && { log "$NODE_IMAGE exists"; return; }
  import_image "$NODE_IMAGE" node_rootfs \
    -c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["node"]'
  docker run --rm "$NODE_IMAGE" sh -c 'node -e "process.exit(0)" && npm --version >/dev/null' \
    || die "$NODE_IMAGE cannot run node and npm"
  log "built $NODE_IMAGE ($(docker run --rm "$NODE_IMAGE" node --version))"
}

# Installs Debian packages into a fresh copy of the rootfs, without starting their services.
rootfs_with() {
  local name=$1 root; root=$(fresh_rootfs "$1"); shift
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" /bin/sh -c "export DEBIAN_FRONTEND=noninteractive;
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $* >/dev/null \
    && apt-get clean && rm -rf /var/lib/apt/lists/*" >"$work/apt-$name.log" 2>&1 || { tail -n 20 "$work/apt-$name.log" >&2; die "installing $* in the chroot failed"; }
  rm -f "$root/usr/sbin/policy-rc.d"
  echo "$root"
}

influxdb_rootfs() {
  local root; root=$(rootfs_with influx influxdb influxdb-client)
  mkdir -p "$root/var/lib/influxdb"
  echo "$root"
}

build_influxdb() {
  have_image "$INFLUX_IMAGE" && { log "$INFLUX_IMAGE exists"; return; }
  import_image "$INFLUX_IMAGE" influxdb_rootfs \
    -c 'ENV INFLUXDB_REPORTING_DISABLED=true' \
    -c 'ENV INFLUXDB_META_DIR=/var/lib/influxdb/meta' \
    -c 'ENV INFLUXDB_DATA_DIR=/var/lib/influxdb/data' \
    -c 'ENV INFLUXDB_DATA_WAL_DIR=/var/lib/influxdb/wal' \
    -c 'EXPOSE 8086' -c 'VOLUME /var/lib/influxdb' \
    -c 'CMD ["/usr/bin/influxd"]'
  log "built $INFLUX_IMAGE"
}

# Stands in for the official nginx image as a build base: the same tools our nginx
# Dockerfiles rely on (nginx, openssl, envsubst, curl), from Debian.
nginx_rootfs() {
  local root; root=$(rootfs_with nginx nginx openssl gettext-base curl ca-certificates)
  rm -f "$root/etc/nginx/sites-enabled/default"
  echo "$root"
}

build_nginx() {
  have_image "$NGINX_IMAGE" && { log "$NGINX_IMAGE exists"; return; }
  import_image "$NGINX_IMAGE" nginx_rootfs \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'EXPOSE 80' \
    -c 'CMD ["nginx", "-g", "daemon off;"]'
  log "built $NGINX_IMAGE ($(docker run --rm "$NGINX_IMAGE" nginx -v 2>&1))"
}

build_busybox
build_debian
build_node
build_influxdb
build_nginx
