#!/usr/bin/env bash
# Builds a real 3-node Docker Swarm on this machine and prints each node's API socket:
#   swarm-up.sh [--managers 1|3] [--image REF]...
#   --managers 3   nodes 2 and 3 join as managers (leader election works); default 1 (two workers)
#   --image REF    copies REF from the main engine (docker save) into every node (docker load)
# Node N: network namespace kvobs-swN, hostname kvobs-swarm-N, address 10.210.0.1N, API on
# unix://$TESTENV_STATE_DIR/swarm/swN.sock, containers under the cgroup /kvobs-swN.
# A swarm left by an earlier run is torn down first; on any failure everything is torn down.
# See the test-environment reference, "A real multi-node Docker Swarm on one machine".
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"
source "$here/swarm-lib.sh"
require_root swarm-up.sh

managers=1
images=()
while [ $# -gt 0 ]; do
  case "$1" in
    --managers) managers=$2; shift 2 ;;
    --image) images+=("$2"); shift 2 ;;
    *) die "usage: swarm-up.sh [--managers 1|3] [--image REF]..." ;;
  esac
done
case "$managers" in 1 | 3) ;; *) die "--managers takes 1 or 3" ;; esac
[ -x "$SWARM_DOCKERD" ] || die "$SWARM_DOCKERD not found: run install-packages.sh (docker.io) first"

started=$(date +%s%N)
bash "$here/swarm-down.sh" --quiet
trap 'status=$?; if [ $status -ne 0 ]; then log "swarm-up failed: tearing down"; bash "$here/swarm-down.sh"; fi' EXIT

mkdir -p "$SWARM_STATE_DIR"
# The bridge, alone in its namespace.
ip netns add "$SWARM_BRIDGE_NS"
ip -n "$SWARM_BRIDGE_NS" link add br0 type bridge
ip -n "$SWARM_BRIDGE_NS" addr add "$SWARM_SUBNET_PREFIX.1/24" dev br0
ip -n "$SWARM_BRIDGE_NS" link set br0 up
ip -n "$SWARM_BRIDGE_NS" link set lo up

# Runs inside a node's fresh mount and UTS namespaces: a /sys of its network namespace with
# the host's cgroup tree (ip netns exec would leave /sys/fs/cgroup empty), a private /run
# (so /var/run/docker.sock there is the node's own), its hostname, then dockerd.
# shellcheck disable=SC2016
node_init='set -e
cgroups=$1; name=$2; shift 2
mkdir -p "$cgroups"
mount --rbind /sys/fs/cgroup "$cgroups"
mount -t sysfs sysfs /sys
mount --move "$cgroups" /sys/fs/cgroup
mount -t tmpfs tmpfs /run
hostname "$name"
exec "$@"'

for n in $(seq 1 "$SWARM_NODES"); do
  ns=$(swarm_ns "$n")
  dir="$SWARM_STATE_DIR/sw$n"
  data="$SWARM_DATA_DIR/sw$n"
  mkdir -p "$dir" "$data"
  ip netns add "$ns"
  ip -n "$SWARM_BRIDGE_NS" link add "sw$n-br" type veth peer name eth0 netns "$ns"
  ip -n "$SWARM_BRIDGE_NS" link set "sw$n-br" master br0 up
  ip -n "$ns" addr add "$(swarm_addr "$n")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" route add default via "$SWARM_SUBNET_PREFIX.1"
  # deprecated-key-path is not a flag in 20.10; each node needs its own engine key.
  printf '{"deprecated-key-path": "%s/key.json"}\n' "$dir" >"$dir/daemon.json"
  args=(--config-file "$dir/daemon.json" --data-root "$data" --exec-root /run/docker
        --pidfile "$dir/dockerd.pid" -H "unix://$(swarm_socket "$n")" -H unix:///var/run/docker.sock
        --bip "172.30.$n.1/24" --default-address-pool "base=10.23$n.0.0/16,size=24"
        --cgroup-parent "/$(swarm_cgroup_parent "$n")" --userland-proxy=false)
  # No registry exists: services use the images the nodes already hold.
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid nsenter --net="/run/netns/$ns" -- \
    unshare -m --uts --propagation private -- \
    bash -c "$node_init" node "$dir/cgroup" "$(swarm_hostname "$n")" "$SWARM_DOCKERD" "${args[@]}" \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  # Until dockerd writes its pidfile, the launcher's pid is the one to kill (it execs into dockerd).
  echo $! >"$dir/launcher.pid"
  disown  # its end is swarm-down.sh's business, not this shell's
done
for n in $(seq 1 "$SWARM_NODES"); do
  wait_for 60 swarm_docker "$n" version ||
    { tail -n 20 "$SWARM_STATE_DIR/sw$n/dockerd.log" >&2; die "node $n did not answer within 60 s"; }
done
up_at=$(date +%s%N)
log "3 engines answer after $(( (up_at - started) / 1000000 )) ms"

swarm_docker 1 swarm init --advertise-addr "$(swarm_addr 1)" --listen-addr "$(swarm_addr 1):2377" \
  --default-addr-pool 10.220.0.0/16 >/dev/null
role=worker
[ "$managers" = 3 ] && role=manager
token=$(swarm_docker 1 swarm join-token -q "$role")
for n in $(seq 2 "$SWARM_NODES"); do
  swarm_docker "$n" swarm join --token "$token" --advertise-addr "$(swarm_addr "$n")" \
    --listen-addr "$(swarm_addr "$n"):2377" "$(swarm_addr 1):2377" >/dev/null
done
nodes_ready() { [ "$(swarm_docker 1 node ls -q --filter role=worker | wc -l)$(swarm_docker 1 node ls --format '{{.Status}}' | grep -c Ready)" = "$(( 3 - managers ))3" ]; }
wait_for 60 nodes_ready || { swarm_docker 1 node ls >&2; die "the swarm did not reach 3 ready nodes"; }
log "swarm formed ($managers manager(s)) after $(( ($(date +%s%N) - started) / 1000000 )) ms"

if [ ${#images[@]} -gt 0 ]; then
  archive="$SWARM_STATE_DIR/images.tar"
  main_cli="$MODERN_PREFIX/bin/docker"
  [ -x "$main_cli" ] || main_cli=docker
  env -u DOCKER_HOST -u DOCKER_CONTEXT "$main_cli" -H unix:///var/run/docker.sock save -o "$archive" "${images[@]}"
  loads=()
  for n in $(seq 1 "$SWARM_NODES"); do swarm_docker "$n" load -q -i "$archive" >/dev/null & loads+=($!); done
  for pid in "${loads[@]}"; do wait "$pid" || die "docker load into a node failed"; done
  rm -f "$archive"
  log "loaded ${images[*]} into every node"
fi

log "swarm up in $(( ($(date +%s%N) - started) / 1000000 )) ms"
for n in $(seq 1 "$SWARM_NODES"); do
  echo "sw$n unix://$(swarm_socket "$n") $(swarm_hostname "$n") $(swarm_addr "$n")"
done
