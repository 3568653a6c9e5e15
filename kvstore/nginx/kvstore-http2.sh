#!/bin/sh
# Prints how kvstore.conf.template switches HTTP/2 on, for the nginx that will run it, as two
# NAME=value lines for the template:
#   KV_HTTP2_LISTEN     appended to "listen ${KV_HTTPS_PORT} ssl"
#   KV_HTTP2_DIRECTIVE  a line of its own in the TLS server
# nginx 1.25.1 added the "http2 on;" directive and deprecated the http2 parameter of listen
# (a warning at every start); older nginx, such as Debian 12's 1.22, only knows
# "listen 443 ssl http2;". Used by docker-entrypoint.sh at every start and by the tests'
# harness for the host's nginx, so both render the template the same way.
#
# Usage: kvstore-http2.sh [VERSION]
#   VERSION: what `nginx -v` prints ("nginx version: nginx/1.27.4") or just "1.27.4".
#   Without it, asks "${NGINX_BIN:-nginx} -v".
set -eu

if [ $# -gt 0 ]; then
  text=$1
else
  text=$("${NGINX_BIN:-nginx}" -v 2>&1) || {
    echo "kvstore-http2: ${NGINX_BIN:-nginx} -v failed: $text" >&2
    exit 1
  }
fi
# The first x.y.z in the text (after "nginx/" when there is one).
version=$(printf '%s\n' "$text" | sed -n 's|^[^0-9]*\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*|\1|p' | head -n 1)
if [ -z "$version" ]; then
  echo "kvstore-http2: no nginx version in \"$text\"" >&2
  exit 1
fi

IFS=. read -r major minor patch <<EOF
$version
EOF

if [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && { [ "$minor" -gt 25 ] || { [ "$minor" -eq 25 ] && [ "$patch" -ge 1 ]; }; }; }; then
  echo 'KV_HTTP2_LISTEN='
  echo 'KV_HTTP2_DIRECTIVE=http2 on;'
else
  echo 'KV_HTTP2_LISTEN= http2'
  echo "KV_HTTP2_DIRECTIVE=# nginx $version < 1.25.1: HTTP/2 is the http2 parameter of listen above"
fi
