# The test swarm's layout, shared by swarm-up.sh and swarm-down.sh. Sourced, after lib.sh.
# Three dockerd 20.10 (Debian's /usr/sbin/dockerd), each in its own network, mount and UTS
# namespace, on a bridge that lives in a namespace of its own (the root namespace's FORWARD
# policy is DROP). Nothing here touches the engine on /var/run/docker.sock.

SWARM_NODES=3
SWARM_STATE_DIR="$TESTENV_STATE_DIR/swarm"
SWARM_DATA_DIR=/var/lib/kvobs-testenv/swarm
SWARM_BRIDGE_NS=kvobs-swbr
SWARM_SUBNET_PREFIX=10.210.0
SWARM_DOCKERD="${SWARM_DOCKERD:-/usr/sbin/dockerd}"
SWARM_DOCKER_CLI="${SWARM_DOCKER_CLI:-/usr/bin/docker}"

swarm_ns() { echo "kvobs-sw$1"; }
swarm_hostname() { echo "kvobs-swarm-$1"; }
swarm_addr() { echo "$SWARM_SUBNET_PREFIX.1$1"; }
# The node's private API socket, reachable from the host (outside the node's private /run).
swarm_socket() { echo "$SWARM_STATE_DIR/sw$1.sock"; }
swarm_cgroup_parent() { echo "kvobs-sw$1"; }
# docker CLI against node N (20.10's CLI speaks the nodes' API version natively).
swarm_docker() {
  local node=$1; shift
  env -u DOCKER_HOST -u DOCKER_CONTEXT "$SWARM_DOCKER_CLI" -H "unix://$(swarm_socket "$node")" "$@"
}
