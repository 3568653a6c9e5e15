#!/bin/sh
# Run by the nginx image's entrypoint (docker-entrypoint.sh) before nginx starts: creates a self-signed
# certificate at first start when none is supplied. A supplied pair (mounted at
# $KV_TLS_DIR/tls.crt and tls.key) is always used as is. The generated key stays in the
# container's volume; it is never part of the repository or the image.
set -eu

tls_dir="${KV_TLS_DIR:-/etc/nginx/tls}"
crt="$tls_dir/tls.crt"
key="$tls_dir/tls.key"
name="${KV_TLS_CN:-localhost}"

if [ -s "$crt" ] && [ -s "$key" ]; then
  echo "kvstore-cert: using the certificate in $tls_dir"
  exit 0
fi

mkdir -p "$tls_dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -days "${KV_TLS_DAYS:-365}" -subj "/CN=$name" \
  -addext "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" \
  -keyout "$key.tmp" -out "$crt.tmp" 2>/dev/null
mv "$key.tmp" "$key"
mv "$crt.tmp" "$crt"
chmod 644 "$crt"
echo "kvstore-cert: generated a self-signed certificate for $name in $tls_dir"
