/**
 * The catalogue of everything the collector writes: measurements, tags and fields with type,
 * unit and kind. It is the contract the dashboards and alerts are built on; collector/README.md
 * "## Metrics" lists the same entries and a unit test keeps the two and the derivations in step.
 */
import { MEASUREMENT, TAG } from './names.js';

/** How a field is written in line protocol: integer `12i`, float `1.5`, string `"x"`, boolean `T`. */
export type ValueType = 'integer' | 'float' | 'string' | 'boolean';

/**
 * counter: cumulative since the container (or cgroup) started, reset on restart: use
 * non_negative_derivative. gauge: a level at sample time. info: an identity or state value.
 */
export type FieldKind = 'counter' | 'gauge' | 'info';

export interface FieldSpec {
  /** The field key; a name in angle brackets stands for a family of keys (e.g. `<metric>`). */
  name: string;
  type: ValueType;
  /** bytes, ns, percent, cores, pages, ... or "-" when unitless. */
  unit: string;
  kind: FieldKind;
  description: string;
}

export interface TagSpec {
  /** The tag key; a name in angle brackets stands for a family of keys. */
  name: string;
  description: string;
}

export interface MeasurementSpec {
  name: string;
  description: string;
  /** True when the points also carry every tag of CONTAINER_TAGS. */
  containerTags: boolean;
  /** Tags specific to this measurement. */
  tags: readonly TagSpec[];
  fields: readonly FieldSpec[];
}

/** Tags on every container point (cpu, mem, net, blkio, pids, status, health, prometheus). */
export const CONTAINER_TAGS: readonly TagSpec[] = [
  { name: TAG.engineHost, description: 'Name of the Docker Engine host (docker info Name).' },
  { name: TAG.serverVersion, description: 'Docker Engine version.' },
  { name: TAG.containerName, description: 'Container name without the leading slash.' },
  {
    name: 'container_image',
    description: 'Image reference without tag or digest, e.g. registry:5000/team/app.',
  },
  { name: TAG.containerVersion, description: 'Image tag, or "unknown" when the reference has none.' },
  {
    name: 'container_status',
    description: 'created, running, paused, restarting, removing, exited or dead.',
  },
  { name: TAG.composeProject, description: 'Compose project label, when present.' },
  { name: TAG.composeService, description: 'Compose service label, when present.' },
  { name: 'com.docker.swarm.service.name', description: 'Swarm service label, when present.' },
  { name: 'com.docker.swarm.task.name', description: 'Swarm task label, when present.' },
  { name: 'com.docker.swarm.node.id', description: 'Swarm node label, when present.' },
  { name: 'com.docker.swarm.service.id', description: 'Swarm service id label, when present.' },
  { name: 'com.docker.swarm.task.id', description: 'Swarm task id label, when present.' },
  { name: 'com.docker.stack.namespace', description: 'Stack label (docker stack deploy), when present.' },
  {
    name: '<allowlisted label>',
    description:
      'Each container label listed in the label allowlist, keyed by the label key; no other label is a tag.',
  },
];

/** The tags of the engine-wide measurements (docker, docker_disk_usage). */
const ENGINE_TAGS: readonly TagSpec[] = [
  { name: TAG.engineHost, description: 'Name of the Docker Engine host (docker info Name).' },
  { name: TAG.serverVersion, description: 'Docker Engine version.' },
];

const CONTAINER_ID: FieldSpec = {
  name: 'container_id',
  type: 'string',
  unit: '-',
  kind: 'info',
  description: 'Full container id (a field, not a tag, to keep series cardinality bounded).',
};

const counter = (name: string, unit: string, description: string): FieldSpec => ({
  name,
  type: 'integer',
  unit,
  kind: 'counter',
  description,
});
const gauge = (name: string, unit: string, description: string, type: ValueType = 'integer'): FieldSpec => ({
  name,
  type,
  unit,
  kind: 'gauge',
  description,
});

/** memory.stat keys of cgroup v1 that have a hierarchical `total_` twin. */
const V1_MEMORY_STATS: readonly FieldSpec[] = [
  gauge('cache', 'bytes', 'v1: page cache, including tmpfs and shared memory.'),
  gauge('rss', 'bytes', 'v1: anonymous memory and swap cache.'),
  gauge('rss_huge', 'bytes', 'v1: anonymous transparent huge pages.'),
  gauge('mapped_file', 'bytes', 'v1: memory-mapped file pages.'),
  gauge('dirty', 'bytes', 'v1: pages waiting to be written to disk.'),
  gauge('writeback', 'bytes', 'v1: pages being written to disk.'),
  gauge('swap', 'bytes', 'v1: swap used (only with swap accounting).'),
  counter('pgpgin', 'pages', 'v1: pages charged to the cgroup.'),
  counter('pgpgout', 'pages', 'v1: pages uncharged from the cgroup.'),
  counter('pgfault', 'faults', 'Page faults (v1 and v2).'),
  counter('pgmajfault', 'faults', 'Major page faults (v1 and v2).'),
  gauge('inactive_anon', 'bytes', 'Anonymous memory on the inactive LRU list (v1 and v2).'),
  gauge('active_anon', 'bytes', 'Anonymous memory on the active LRU list (v1 and v2).'),
  gauge(
    'inactive_file',
    'bytes',
    'File cache on the inactive LRU list (v1 and v2); v2 subtracts it for `usage`.',
  ),
  gauge('active_file', 'bytes', 'File cache on the active LRU list (v1 and v2).'),
  gauge('unevictable', 'bytes', 'Memory that cannot be reclaimed (v1 and v2).'),
];

const V1_ONLY_MEMORY_STATS: readonly FieldSpec[] = [
  gauge('hierarchical_memory_limit', 'bytes', 'v1: memory limit of the cgroup hierarchy.'),
  gauge('hierarchical_memsw_limit', 'bytes', 'v1: memory+swap limit of the cgroup hierarchy.'),
  ...V1_MEMORY_STATS.map((spec) => ({
    ...spec,
    name: `total_${spec.name}`,
    description: `v1: ${spec.name} of the cgroup and its descendants${spec.name === 'inactive_file' ? '; subtracted for `usage`' : ''}.`,
  })),
];

const V2_ONLY_MEMORY_STATS: readonly FieldSpec[] = [
  gauge('anon', 'bytes', 'v2: anonymous memory: heaps, stacks, private mappings.'),
  gauge('file', 'bytes', 'v2: file cache, including tmpfs and shared memory.'),
  gauge('kernel_stack', 'bytes', 'v2: kernel stacks.'),
  gauge('slab', 'bytes', 'v2: kernel slab memory.'),
  gauge('slab_reclaimable', 'bytes', 'v2: reclaimable part of slab.'),
  gauge('slab_unreclaimable', 'bytes', 'v2: unreclaimable part of slab.'),
  gauge('sock', 'bytes', 'v2: network transmission buffers.'),
  gauge('shmem', 'bytes', 'v2: tmpfs and shared memory.'),
  gauge('file_mapped', 'bytes', 'v2: memory-mapped file pages.'),
  gauge('file_dirty', 'bytes', 'v2: pages waiting to be written to disk.'),
  gauge('file_writeback', 'bytes', 'v2: pages being written to disk.'),
  gauge('anon_thp', 'bytes', 'v2: anonymous transparent huge pages.'),
  counter('workingset_refault', 'pages', 'v2: refaults of previously evicted pages.'),
  counter('workingset_activate', 'pages', 'v2: refaulted pages activated at once.'),
  counter('workingset_nodereclaim', 'events', 'v2: shadow nodes reclaimed.'),
  counter('pgrefill', 'pages', 'v2: pages scanned on the active list.'),
  counter('pgscan', 'pages', 'v2: pages scanned on the inactive list.'),
  counter('pgsteal', 'pages', 'v2: pages reclaimed.'),
  counter('pgactivate', 'pages', 'v2: pages moved to the active list.'),
  counter('pgdeactivate', 'pages', 'v2: pages moved to the inactive list.'),
  counter('pglazyfree', 'pages', 'v2: pages postponed to be freed under pressure.'),
  counter('pglazyfreed', 'pages', 'v2: lazy-free pages reclaimed.'),
  counter('thp_fault_alloc', 'events', 'v2: transparent huge pages allocated on fault.'),
  counter('thp_collapse_alloc', 'events', 'v2: transparent huge pages allocated by collapsing.'),
];

/** Every memory.stat key documented; the collector passes any other key through unchanged, as an integer. */
export const MEMORY_STAT_FIELDS: readonly FieldSpec[] = [
  ...V1_MEMORY_STATS,
  ...V1_ONLY_MEMORY_STATS,
  ...V2_ONLY_MEMORY_STATS,
];

const NETWORK_FIELDS: readonly FieldSpec[] = [
  counter('rx_bytes', 'bytes', 'Bytes received.'),
  counter('rx_packets', 'packets', 'Packets received.'),
  counter('rx_errors', 'packets', 'Receive errors.'),
  counter('rx_dropped', 'packets', 'Received packets dropped.'),
  counter('tx_bytes', 'bytes', 'Bytes sent.'),
  counter('tx_packets', 'packets', 'Packets sent.'),
  counter('tx_errors', 'packets', 'Send errors.'),
  counter('tx_dropped', 'packets', 'Sent packets dropped.'),
];

const BLKIO_OP_DOCS: readonly [string, string][] = [
  ['read', 'read (v1 and v2)'],
  ['write', 'written (v1 and v2)'],
  ['sync', 'in synchronous operations (v1)'],
  ['async', 'in asynchronous operations (v1)'],
  ['discard', 'in discard operations (v1)'],
  ['total', 'in all operations (v1)'],
];

const BLKIO_FIELDS: readonly FieldSpec[] = [
  ...BLKIO_OP_DOCS.map(([op, doc]) => counter(`io_service_bytes_recursive_${op}`, 'bytes', `Bytes ${doc}.`)),
  ...BLKIO_OP_DOCS.map(([op, doc]) =>
    counter(`io_serviced_recursive_${op}`, 'operations', `Operations ${doc}.`),
  ),
];

/** The host tag of Telegraf's host inputs (its agent's `host`). */
const HOST_TAG: TagSpec = {
  name: TAG.host,
  description: 'The host, named as the Docker Engine names it (docker info Name).',
};

const CPU_SHARES: readonly [string, string][] = [
  ['usage_user', 'user mode, guest time excluded (Linux counts it in user)'],
  ['usage_system', 'kernel mode'],
  ['usage_idle', 'idle'],
  ['usage_nice', 'user mode at a positive nice value, guest_nice excluded'],
  ['usage_iowait', 'idle while I/O was outstanding'],
  ['usage_irq', 'servicing hardware interrupts'],
  ['usage_softirq', 'servicing software interrupts'],
  ['usage_steal', 'stolen by the hypervisor for other virtual machines'],
  ['usage_guest', 'running virtual CPUs of guests'],
  ['usage_guest_nice', 'running virtual CPUs of niced guests'],
];

/** Telegraf's host inputs: cpu, mem, system (from HOST_PROC). */
const HOST_MEASUREMENTS: readonly MeasurementSpec[] = [
  {
    name: MEASUREMENT.hostCpu,
    description:
      "The host's CPU time by state over the gather interval, from /proc/stat (Telegraf's cpu input). None on the first gather; the shares of a point sum to 100.",
    containerTags: false,
    tags: [
      HOST_TAG,
      { name: TAG.cpu, description: '`cpu-total` (all CPUs), or `cpu0`, `cpu1`, ... (per-device on).' },
    ],
    fields: CPU_SHARES.map(([name, doc]) => gauge(name, 'percent', `Share of the interval ${doc}.`, 'float')),
  },
  {
    name: MEASUREMENT.hostMem,
    description: "The host's memory, from /proc/meminfo (Telegraf's mem input, gopsutil's arithmetic).",
    containerTags: false,
    tags: [HOST_TAG],
    fields: [
      gauge('total', 'bytes', 'MemTotal: usable RAM.'),
      gauge(
        'available',
        'bytes',
        "MemAvailable: the kernel's estimate of what can be allocated without swapping.",
      ),
      gauge('used', 'bytes', 'total - free - buffered - cached.'),
      gauge('free', 'bytes', 'MemFree: unused RAM.'),
      gauge('cached', 'bytes', 'Cached + SReclaimable: page cache and reclaimable slab.'),
      gauge('buffered', 'bytes', 'Buffers: block device cache.'),
      gauge('active', 'bytes', 'Active: recently used memory.'),
      gauge('inactive', 'bytes', 'Inactive: memory that is a candidate for reclaim.'),
      gauge('slab', 'bytes', 'Slab: kernel data structures.'),
      gauge('swap_total', 'bytes', 'SwapTotal.'),
      gauge('swap_free', 'bytes', 'SwapFree.'),
      gauge('used_percent', 'percent', 'used / total x 100.', 'float'),
      gauge('available_percent', 'percent', 'available / total x 100.', 'float'),
    ],
  },
  {
    name: MEASUREMENT.hostSystem,
    description: "The host's load, CPU count and uptime (Telegraf's system input).",
    containerTags: false,
    tags: [HOST_TAG],
    fields: [
      gauge('load1', 'tasks', 'Load average over 1 minute (/proc/loadavg).', 'float'),
      gauge('load5', 'tasks', 'Load average over 5 minutes.', 'float'),
      gauge('load15', 'tasks', 'Load average over 15 minutes.', 'float'),
      gauge('n_cpus', 'cpus', 'Online logical CPUs (the cpuN lines of /proc/stat).'),
      counter('uptime', 's', 'Seconds since the host booted (/proc/uptime, rounded up as sysinfo(2)).'),
    ],
  },
];

export const MEASUREMENTS: readonly MeasurementSpec[] = [
  {
    name: MEASUREMENT.cpu,
    description: 'CPU time of the container (Telegraf schema), one point per gather and stats sample time.',
    containerTags: true,
    tags: [
      {
        name: TAG.cpu,
        description: '`cpu-total`, or `cpu0`, `cpu1`, ... for per-CPU points (cgroup v1, per-device on).',
      },
    ],
    fields: [
      counter('usage_total', 'ns', 'CPU time used (per-CPU points carry only this field).'),
      counter('usage_in_kernelmode', 'ns', 'CPU time in kernel mode.'),
      counter('usage_in_usermode', 'ns', 'CPU time in user mode.'),
      counter('usage_system', 'ns', 'Host CPU time of all cores (the denominator of usage_percent).'),
      counter('throttling_periods', 'periods', 'CFS periods that elapsed with the container runnable.'),
      counter('throttling_throttled_periods', 'periods', 'CFS periods in which the container was throttled.'),
      counter('throttling_throttled_time', 'ns', 'Time the container was throttled.'),
      gauge(
        'usage_percent',
        'percent',
        'As `docker stats`: share of host CPU since the previous sample x online CPUs; 100 = one core. Absent on the first sample, 0 after a counter reset.',
        'float',
      ),
      gauge(
        'usage_percent_of_limit',
        'percent',
        'usage_percent / limit_cores: 100 = the container uses all of its CPU limit. Only with a CPU limit.',
        'float',
      ),
      gauge(
        'limit_cores',
        'cores',
        'CPU limit from --cpus or --cpu-quota/--cpu-period. Only with a CPU limit.',
        'float',
      ),
      CONTAINER_ID,
    ],
  },
  {
    name: MEASUREMENT.memory,
    description:
      'Memory of the container: every memory.stat key of the sample plus usage, usage_raw and limit.',
    containerTags: true,
    tags: [],
    fields: [
      gauge(
        'usage',
        'bytes',
        'As `docker stats`: raw usage minus total_inactive_file (v1) / inactive_file (v2) when smaller; tmpfs and /dev/shm stay counted.',
      ),
      gauge('usage_raw', 'bytes', 'Raw cgroup memory usage, page cache included.'),
      gauge('limit', 'bytes', 'Memory limit; host memory when the container has none.'),
      gauge('usage_percent', 'percent', 'usage / limit x 100, as `docker stats`.', 'float'),
      gauge('max_usage', 'bytes', 'v1: highest usage recorded.'),
      counter(
        'failcnt',
        'events',
        'v1: times usage hit the limit (0 when the Engine omits it); v2: OOM events, when reported.',
      ),
      counter(
        'oom_kills',
        'kills',
        'Processes the kernel OOM-killed in the container, also when the container keeps running. Fast path: the kernel counter (v1 memory.oom_control, v2 memory.events `oom_kill`), since the cgroup was created; absent on kernels before 4.13. API path: `oom` events since the collector followed the container.',
      ),
      ...MEMORY_STAT_FIELDS,
      CONTAINER_ID,
    ],
  },
  {
    name: MEASUREMENT.network,
    description:
      'Network interfaces of the container. Host-network containers have none (see network_mode on docker_container_status).',
    containerTags: true,
    tags: [
      {
        name: TAG.network,
        description: '`total` (sum over interfaces), or the interface name (per-device on).',
      },
    ],
    fields: [...NETWORK_FIELDS, CONTAINER_ID],
  },
  {
    name: MEASUREMENT.blkio,
    description: 'Block I/O of the container (io_service_bytes_recursive / io_serviced_recursive).',
    containerTags: true,
    tags: [
      { name: TAG.device, description: '`total` (sum over devices), or `major:minor` (per-device on).' },
    ],
    fields: [...BLKIO_FIELDS, CONTAINER_ID],
  },
  {
    name: MEASUREMENT.pids,
    description: 'Tasks in the container (not in Telegraf).',
    containerTags: true,
    tags: [],
    fields: [
      gauge('current', 'tasks', 'Processes and threads in the container.'),
      gauge('limit', 'tasks', 'PIDs limit. Only when one is set.'),
      CONTAINER_ID,
    ],
  },
  {
    name: MEASUREMENT.status,
    description: 'State of the container from inspect data; also written for stopped containers.',
    containerTags: true,
    tags: [],
    fields: [
      CONTAINER_ID,
      {
        name: 'oomkilled',
        type: 'boolean',
        unit: '-',
        kind: 'info',
        description: 'The last exit was an OOM kill.',
      },
      gauge('pid', '-', 'Host PID of the main process; 0 when not running.'),
      gauge('exitcode', '-', 'Exit code of the last run.'),
      gauge('started_at', 'ns since epoch', 'When the container last started. Absent if never started.'),
      gauge('finished_at', 'ns since epoch', 'When the container last stopped. Absent if it never stopped.'),
      gauge('uptime_ns', 'ns', 'Time since started_at. Only while running.'),
      counter('restart_count', 'restarts', 'Restarts by the restart policy.'),
      {
        name: 'network_mode',
        type: 'string',
        unit: '-',
        kind: 'info',
        description: 'HostConfig.NetworkMode: default, bridge, host, none, container:<id> or a network name.',
      },
    ],
  },
  {
    name: MEASUREMENT.health,
    description: 'Healthcheck state. Only for containers with a healthcheck.',
    containerTags: true,
    tags: [],
    fields: [
      {
        name: 'health_status',
        type: 'string',
        unit: '-',
        kind: 'info',
        description: 'starting, healthy or unhealthy.',
      },
      gauge('failing_streak', 'checks', 'Consecutive failed checks.'),
      CONTAINER_ID,
    ],
  },
  {
    name: MEASUREMENT.prometheus,
    description:
      'Metrics scraped from containers\u2019 Prometheus endpoints (Telegraf metric_version=2 style); documented by the scraper.',
    containerTags: true,
    tags: [
      { name: TAG.url, description: 'The scraped URL.' },
      { name: '<metric label>', description: 'Each label of the scraped sample.' },
      { name: TAG.le, description: 'Histogram bucket upper bound (on `<metric>_bucket`).' },
      { name: 'quantile', description: 'Summary quantile (on `<metric>` of a summary).' },
    ],
    fields: [
      gauge(
        '<metric>',
        'as exposed',
        'Counter, gauge, untyped or summary-quantile value, named as the metric.',
        'float',
      ),
      {
        name: '<metric>_bucket',
        type: 'float',
        unit: 'as exposed',
        kind: 'counter',
        description: 'Cumulative count of a histogram bucket.',
      },
      {
        name: '<metric>_sum',
        type: 'float',
        unit: 'as exposed',
        kind: 'counter',
        description: 'Sum of a histogram or summary.',
      },
      {
        name: '<metric>_count',
        type: 'float',
        unit: 'as exposed',
        kind: 'counter',
        description: 'Count of a histogram or summary.',
      },
    ],
  },
  ...HOST_MEASUREMENTS,
  {
    name: MEASUREMENT.swarm,
    description:
      "Each swarm service's running and desired tasks (Telegraf schema), written by the leader's collector only.",
    containerTags: false,
    tags: [
      { name: TAG.serviceId, description: 'The service id.' },
      { name: TAG.serviceName, description: 'The service name.' },
      { name: TAG.serviceMode, description: 'replicated, global, replicated_job or global_job.' },
    ],
    fields: [
      gauge('tasks_running', 'tasks', 'Tasks in the running state (ServiceStatus.RunningTasks).'),
      gauge(
        'tasks_desired',
        'tasks',
        'Tasks the orchestrator wants: the replicas, the eligible nodes of a global service, or a job iteration\u2019s.',
      ),
      gauge('tasks_completed', 'tasks', 'Jobs only: tasks of the current iteration that completed.'),
      gauge('max_concurrent', 'tasks', 'Replicated jobs only: tasks run at once (the spec).'),
      gauge('total_completions', 'tasks', 'Replicated jobs only: completions wanted (the spec).'),
    ],
  },
  {
    name: MEASUREMENT.swarmNode,
    description: "Each swarm node's state as the managers see it, written by the leader's collector only.",
    containerTags: false,
    tags: [
      { name: TAG.nodeId, description: 'The node id (the com.docker.swarm.node.id of its containers).' },
      { name: TAG.nodeHostname, description: 'The hostname the node reported.' },
      { name: TAG.role, description: 'manager or worker.' },
      { name: TAG.availability, description: 'active, pause or drain.' },
      { name: TAG.clusterId, description: 'The swarm\u2019s id.' },
    ],
    fields: [
      {
        name: 'state',
        type: 'string',
        unit: '-',
        kind: 'info',
        description: 'ready, down, disconnected or unknown.',
      },
      gauge('ready', '-', '1 when state is ready, else 0.'),
      {
        name: 'reachability',
        type: 'string',
        unit: '-',
        kind: 'info',
        description: 'Managers only: reachable, unreachable or unknown.',
      },
      {
        name: 'leader',
        type: 'boolean',
        unit: '-',
        kind: 'info',
        description: 'Managers only: this manager is the Raft leader.',
      },
    ],
  },
  {
    name: MEASUREMENT.swarmCluster,
    description:
      "The swarm's node and manager counts, written by the leader's collector only: no point means no leader.",
    containerTags: false,
    tags: [{ name: TAG.clusterId, description: 'The swarm\u2019s id.' }],
    fields: [
      gauge('nodes', 'nodes', 'Nodes in the swarm.'),
      gauge('nodes_ready', 'nodes', 'Nodes in the ready state.'),
      gauge('managers', 'nodes', 'Manager nodes.'),
      gauge('managers_reachable', 'nodes', 'Managers the leader reaches.'),
      {
        name: 'quorum',
        type: 'boolean',
        unit: '-',
        kind: 'info',
        description: 'A majority of the managers is reachable (Raft needs it to change anything).',
      },
    ],
  },
  {
    name: MEASUREMENT.swarmManager,
    description:
      "Each manager's own view, written by every manager's collector: whether it reaches a leader. When a swarm loses quorum it has no leader and no cluster point; the surviving managers still write 0 here.",
    containerTags: false,
    tags: [
      { name: TAG.engineHost, description: 'The manager engine\u2019s host name (docker info Name).' },
      {
        name: TAG.clusterId,
        description: 'The swarm\u2019s id; absent while the manager reaches no leader.',
      },
    ],
    fields: [
      gauge(
        'leader_reachable',
        '-',
        '1 when this manager reaches a Raft leader (its node listing succeeded), else 0.',
      ),
      gauge('leader', '-', '1 when this manager is the leader, else 0.'),
    ],
  },
  {
    name: MEASUREMENT.engine,
    description: "The engine's counts from GET /info, every interval (Telegraf's `docker` measurement).",
    containerTags: false,
    tags: ENGINE_TAGS,
    fields: [
      gauge('n_containers', 'containers', 'Containers the engine has, in any state.'),
      gauge('n_containers_running', 'containers', 'Running containers.'),
      gauge('n_containers_paused', 'containers', 'Paused containers.'),
      gauge('n_containers_stopped', 'containers', 'Stopped (created, exited or dead) containers.'),
      gauge('n_images', 'images', 'Images, as `docker info` counts them.'),
      gauge('n_cpus', 'cpus', 'CPUs the engine sees.'),
      gauge('memory_total', 'bytes', 'Memory of the host the engine runs on.'),
      gauge('n_used_file_descriptors', 'fds', 'File descriptors dockerd holds open.'),
      gauge('n_goroutines', 'goroutines', "dockerd's goroutines (grows with leaks)."),
      gauge('n_listener_events', 'listeners', "Clients following the engine's events."),
    ],
  },
  {
    name: MEASUREMENT.diskUsage,
    description:
      "Disk used by the engine's layers, images and volumes, from GET /system/df every DISK_USAGE_INTERVAL (Telegraf's `docker_disk_usage`). One summary point, then one per container (stopped ones too), image and volume. Sizes the engine did not compute (-1) are left out; a container size it leaves out is 0 (Engine 20.10 omits zero sizes).",
    containerTags: false,
    tags: [
      ...ENGINE_TAGS,
      { name: TAG.containerName, description: 'Container points: the container name.' },
      { name: TAG.containerImage, description: 'Container points: image reference without tag or digest.' },
      { name: TAG.containerVersion, description: 'Container points: image tag, or "unknown".' },
      { name: TAG.composeProject, description: 'Container points: compose project label, when present.' },
      { name: TAG.composeService, description: 'Container points: compose service label, when present.' },
      { name: TAG.imageId, description: 'Image points: the image id, 12 hex digits.' },
      {
        name: TAG.imageName,
        description: "Image points: the image's first tag without the tag part; absent on untagged images.",
      },
      { name: TAG.imageVersion, description: 'Image points: that tag\'s version part, or "unknown".' },
      { name: TAG.volumeName, description: "Volume points: the volume's name." },
    ],
    fields: [
      gauge('layers_size', 'bytes', 'Summary: all image layers on disk (`docker system df` Images SIZE).'),
      gauge(
        'images_reclaimable',
        'bytes',
        'Summary: layers no container uses, with the docker CLI arithmetic: layers_size minus, over images used by a container, size - shared_size.',
      ),
      gauge('volumes_size', 'bytes', 'Summary: all local volumes (`docker system df` Local Volumes SIZE).'),
      gauge(
        'containers_size_rw',
        'bytes',
        "Summary: all containers' writable layers, every container of the engine (`docker system df` Containers SIZE).",
      ),
      gauge('size_rw', 'bytes', 'Container points: its writable layer (`docker ps -s` SIZE).'),
      gauge(
        'size_root_fs',
        'bytes',
        'Container points: writable layer plus image (`docker ps -s` virtual size).',
      ),
      gauge('size', 'bytes', 'Image points: the image with its shared layers; volume points: the volume.'),
      gauge('shared_size', 'bytes', 'Image points: the part of size shared with other images.'),
      gauge('containers', 'containers', 'Image points: containers using the image, stopped ones included.'),
      gauge('ref_count', 'containers', 'Volume points: containers using the volume, stopped ones included.'),
    ],
  },
  {
    name: MEASUREMENT.hostDisk,
    description:
      "The filesystem holding the engine's DockerRootDir, by statfs at HOST_MOUNT_PREFIX + DockerRootDir every interval (Telegraf's `disk`). With HOST_INPUTS.",
    containerTags: false,
    tags: [
      { name: TAG.host, description: "The engine's Name (docker info), as on the host measurements." },
      { name: TAG.path, description: 'DockerRootDir, as the host sees it.' },
      {
        name: TAG.device,
        description: 'The mount source without /dev/ (the fstype for sourceless mounts), from mountinfo.',
      },
      { name: TAG.fstype, description: 'The filesystem type (ext4, xfs, ...), from mountinfo.' },
      { name: TAG.mode, description: '`rw` or `ro`, from the mount options.' },
    ],
    fields: [
      gauge('total', 'bytes', 'Size of the filesystem: blocks x block size.'),
      gauge(
        'free',
        'bytes',
        'Available to unprivileged users (bavail x block size; root-reserved blocks excluded).',
      ),
      gauge('used', 'bytes', '(blocks - bfree) x block size, as df.'),
      gauge('used_percent', 'percent', "used / (used + free) x 100, as df's Use%.", 'float'),
      gauge('inodes_total', 'inodes', 'Inodes of the filesystem.'),
      gauge('inodes_free', 'inodes', 'Free inodes.'),
      gauge('inodes_used', 'inodes', 'inodes_total - inodes_free.'),
      gauge('inodes_used_percent', 'percent', 'inodes_used / inodes_total x 100.', 'float'),
    ],
  },
];

export function measurementSpec(name: string): MeasurementSpec | undefined {
  return MEASUREMENTS.find((spec) => spec.name === name);
}
