/**
 * The names the collector writes, spelled once: the derivations, the catalogue (metrics.ts),
 * and grafana's queries and synthetic data all use these. Telegraf's docker input names, plus
 * docker_container_pids (not in Telegraf) and the prometheus measurement of scraped metrics.
 */
export const MEASUREMENT = {
  cpu: 'docker_container_cpu',
  memory: 'docker_container_mem',
  network: 'docker_container_net',
  blkio: 'docker_container_blkio',
  pids: 'docker_container_pids',
  status: 'docker_container_status',
  health: 'docker_container_health',
  prometheus: 'prometheus',
  /** Telegraf's `docker`: the engine's counts, from /info. */
  engine: 'docker',
  /** Telegraf's `docker_disk_usage`: containers' layers, images and volumes, from /system/df. */
  diskUsage: 'docker_disk_usage',
  /** Telegraf's host inputs, read from the host's /proc and statfs. */
  hostCpu: 'cpu',
  hostMem: 'mem',
  hostSystem: 'system',
  hostDisk: 'disk',
  /** Telegraf's `docker_swarm`: each service's running and desired tasks (written by the leader). */
  swarm: 'docker_swarm',
  /** Each swarm node's role, availability, state and reachability (written by the leader). */
  swarmNode: 'docker_swarm_node',
  /** The swarm's node and manager counts and whether the managers have quorum (written by the leader). */
  swarmCluster: 'docker_swarm_cluster',
  /** Each manager's own view: whether it reaches a leader (written by every manager). */
  swarmManager: 'docker_swarm_manager',
} as const;

export type MeasurementName = (typeof MEASUREMENT)[keyof typeof MEASUREMENT];

/** Tag keys. Container labels that become tags keep their label key (see CONTAINER_TAGS). */
export const TAG = {
  engineHost: 'engine_host',
  serverVersion: 'server_version',
  containerName: 'container_name',
  containerImage: 'container_image',
  containerVersion: 'container_version',
  containerStatus: 'container_status',
  composeProject: 'com.docker.compose.project',
  composeService: 'com.docker.compose.service',
  /** docker_container_cpu: `cpu-total` or `cpuN`. */
  cpu: 'cpu',
  /** docker_container_net: `total` or the interface. */
  network: 'network',
  /** docker_container_blkio: `total` or `major:minor`. */
  device: 'device',
  /** prometheus: the scraped URL. */
  url: 'url',
  /** prometheus: `collector` on the collector's own metrics. */
  job: 'job',
  /** prometheus: a histogram bucket's upper bound. */
  le: 'le',
  /** cpu, mem, system, disk: the host's name (Telegraf's agent tag), the engine's Name here. */
  host: 'host',
  /** disk: the mount point as the host sees it (the engine's DockerRootDir's filesystem). */
  path: 'path',
  /** disk: the filesystem type (ext4, xfs, overlay, ...). */
  fstype: 'fstype',
  /** disk: `rw` or `ro`. */
  mode: 'mode',
  /** docker_disk_usage: an image's short id (12 hex digits). */
  imageId: 'image_id',
  /** docker_disk_usage: an image's first reference without its tag. */
  imageName: 'image_name',
  /** docker_disk_usage: that reference's tag. */
  imageVersion: 'image_version',
  /** docker_disk_usage: a volume's name. */
  volumeName: 'volume_name',
  /** docker_swarm: the service's id, name and mode (Telegraf's keys). */
  serviceId: 'service_id',
  serviceName: 'service_name',
  serviceMode: 'service_mode',
  /** docker_swarm_node: the node's id, hostname, role and availability. */
  nodeId: 'node_id',
  nodeHostname: 'node_hostname',
  role: 'role',
  availability: 'availability',
  /** docker_swarm_node, docker_swarm_cluster: the swarm's id. */
  clusterId: 'cluster_id',
} as const;

/** The tag values of the points that sum over CPUs, interfaces and devices. */
export const TOTAL = {
  cpu: 'cpu-total',
  network: 'total',
  device: 'total',
  /** cpu: the host's all-CPU point. */
  hostCpu: 'cpu-total',
} as const;

/** The `job` tag of the collector's own metrics. */
export const COLLECTOR_JOB = 'collector';
