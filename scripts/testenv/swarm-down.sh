#!/usr/bin/env bash
# Tears down the swarm of swarm-up.sh, whatever state it is in (idempotent):
#   swarm-down.sh [--quiet]
# By pid, never by name: SIGKILL each node's dockerd (a graceful stop takes 17-19 s once the
# managers lost quorum), then whatever is left in the node's network namespace (containerd,
# shims) and in its cgroup /kvobs-swN (the containers), then the cgroups, the namespaces and
# the nodes' data. The engine on /var/run/docker.sock is never touched.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/swarm-lib.sh"
require_root swarm-down.sh
quiet=false
[ "${1:-}" = --quiet ] && quiet=true
started=$(date +%s%N)
killed=0

kill_pid() {
  if kill -9 "$1" 2>/dev/null; then killed=$((killed + 1)); fi
}

# A pid from a pidfile is ours only while its command line still names the node's folder
# (after a reboot the number may belong to anything).
ours() {
  local pid=$1 dir=$2
  [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$dir/"
}

for n in $(seq 1 "$SWARM_NODES"); do
  dir="$SWARM_STATE_DIR/sw$n"
  for file in dockerd.pid launcher.pid; do
    pid=$(cat "$dir/$file" 2>/dev/null || true)
    if ours "$pid" "$dir"; then kill_pid "$pid"; fi
  done
done
for n in $(seq 1 "$SWARM_NODES"); do
  ns=$(swarm_ns "$n")
  if [ -e "/run/netns/$ns" ]; then
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill_pid "$pid"; done
  fi
  for cgroup in /sys/fs/cgroup/*/"$(swarm_cgroup_parent "$n")"; do
    [ -d "$cgroup" ] || continue
    for pid in $(find "$cgroup" -name cgroup.procs -exec cat {} + 2>/dev/null); do kill_pid "$pid"; done
  done
done
# Killed processes leave their cgroups a moment later; a folder is removable once empty.
remove_cgroups() {
  local n cgroup
  for n in $(seq 1 "$SWARM_NODES"); do
    for cgroup in /sys/fs/cgroup/*/"$(swarm_cgroup_parent "$n")"; do
      [ -d "$cgroup" ] || continue
      find "$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [ ! -d "$cgroup" ] || return 1
    done
  done
}
wait_for 10 remove_cgroups || log "warning: some /kvobs-swN cgroups could not be removed"

for n in $(seq 1 "$SWARM_NODES"); do
  ns=$(swarm_ns "$n")
  [ ! -e "/run/netns/$ns" ] || ip netns del "$ns"
  dir="$SWARM_STATE_DIR/sw$n"
  # The node's log stays for a post-mortem; the next swarm-up.sh replaces it.
  rm -rf "$SWARM_DATA_DIR/sw$n" "$(swarm_socket "$n")" "$dir/dockerd.pid" "$dir/launcher.pid" \
    "$dir/key.json" "$dir/cgroup"
done
[ ! -e "/run/netns/$SWARM_BRIDGE_NS" ] || ip netns del "$SWARM_BRIDGE_NS"
rm -f "$SWARM_STATE_DIR/images.tar"
if ! $quiet || [ "$killed" -gt 0 ]; then
  log "swarm down in $(( ($(date +%s%N) - started) / 1000000 )) ms ($killed processes killed)"
fi
