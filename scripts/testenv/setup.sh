#!/usr/bin/env bash
# Brings the test environment up: packages, dockerd, local images. Prints how long it took.
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
start=$(date +%s%N)
step() { local t0; t0=$(date +%s%N); bash "$here/$1"; log "$1 took $(ms_since "$t0") ms"; }
step install-packages.sh
step start-dockerd.sh
step build-images.sh
elapsed_ms=$(ms_since "$start")
log "test environment ready in ${elapsed_ms} ms"
