#!/bin/sh
# Starts as root only to learn the group that owns the engine socket (it differs between
# hosts), then runs nginx as an unprivileged user in that group, with no capabilities.
set -eu
socket=/var/run/docker.sock
[ -S "$socket" ] || { echo "docker-proxy: $socket is not mounted" >&2; exit 1; }
gid=$(stat -c %g "$socket")
exec setpriv --reuid=10102 --regid=10102 --groups="$gid" --inh-caps=-all --bounding-set=-all \
  nginx -c /etc/nginx/docker-proxy.conf -g 'daemon off;'
