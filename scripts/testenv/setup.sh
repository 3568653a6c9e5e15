#!/usr/bin/env bash
# Brings the test environment up: packages, both Docker pairs, then an engine with the local
# images. Prints how long each step took.
#   setup.sh                  leaves today's engine (modern) running, images built
#   ENGINE=legacy setup.sh    leaves Debian 12's engine (20.10) running instead
#   ENGINE=none setup.sh      installs only (test-all.sh starts the engines itself)
# Then select the same pair's CLI and Compose in your shell:
#   eval "$(bash scripts/testenv/engine-env.sh modern)"
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"
engine="${ENGINE:-modern}"
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
start=$(date +%s%N)
step() { local t0; t0=$(date +%s%N); bash "$here/$1" "${@:2}"; log "$* took $(ms_since "$t0") ms"; }
step install-packages.sh
step install-docker-modern.sh
if [ "$engine" != none ]; then
  step start-dockerd.sh "$engine"
  eval "$(bash "$here/engine-env.sh" "$engine")"
  step build-images.sh
fi
log "test environment ready in $(ms_since "$start") ms"
