#!/bin/sh
# Starts as root only to learn the group that owns the engine socket (it differs between
# hosts), then runs nginx as an unprivileged user in that group, with no capabilities.
# DOCKER_PROXY_SOCKET=/path: listen on that unix socket instead of port 2375 (the Swarm stack,
# where the collector of the same node reaches it through a node-local volume; see
# compose/stack.yaml). The socket is mode 0666: whoever can open the volume may use it.
set -eu
socket=/var/run/docker.sock
[ -S "$socket" ] || { echo "docker-proxy: $socket is not mounted" >&2; exit 1; }
gid=$(stat -c %g "$socket")
config=/etc/nginx/docker-proxy.conf
listen="${DOCKER_PROXY_SOCKET:-}"
if [ -n "$listen" ]; then
  # The root filesystem is read-only: the variant goes to /tmp (a tmpfs).
  sed "s|listen 2375;|listen unix:$listen;|" "$config" >/tmp/docker-proxy.conf
  config=/tmp/docker-proxy.conf
fi
# As the unprivileged user, which owns the socket's folder: a socket left by a killed
# nginx would make the bind fail.
exec setpriv --reuid=10102 --regid=10102 --groups="$gid" --inh-caps=-all --bounding-set=-all \
  sh -c 'if [ -n "$1" ]; then rm -f "$1"; fi; exec nginx -c "$2" -g "daemon off;"' \
  docker-proxy "$listen" "$config"
