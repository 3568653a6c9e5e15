#!/bin/sh
# Entrypoint of the kvstore nginx image: makes a certificate when none is supplied, renders
# the site from its template, then runs the command (nginx in the foreground). It does not rely
# on the official image's entrypoint, so any image with nginx, openssl and envsubst works.
set -eu

state=/var/lib/kvstore-nginx
mkdir -p "$state/conf.d"
/usr/local/lib/kvstore-nginx/40-kvstore-cert.sh

# How this image's nginx switches HTTP/2 on (KV_HTTP2_LISTEN, KV_HTTP2_DIRECTIVE), from `nginx -v`.
http2=$(/usr/local/lib/kvstore-nginx/kvstore-http2.sh)
while IFS= read -r line; do
  export "${line%%=*}=${line#*=}"
done <<EOF
$http2
EOF

# Only our variables are substituted: nginx's own $variables in the template stay as they are.
vars='${KV_UPSTREAM} ${KV_HTTP_PORT} ${KV_HTTPS_PORT} ${KV_PUBLIC_HTTPS_PORT} ${KV_TLS_DIR}
${KV_STATIC_ROOT} ${KV_MAX_BODY} ${KV_IMPORT_MAX_BODY} ${KV_RATE} ${KV_RATE_BURST}
${KV_HTTP2_LISTEN} ${KV_HTTP2_DIRECTIVE}'
envsubst "$vars" </etc/nginx/templates/kvstore.conf.template >"$state/conf.d/kvstore.conf"

exec "$@"
