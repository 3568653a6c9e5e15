// Synthetic host and engine points in the collector's schema: the host inputs (cpu, mem,
// system, disk: Telegraf's names, tagged `host` with the engine's name), the engine's counts
// (`docker`) and its disk usage (`docker_disk_usage`: a summary, and one point per container,
// image and volume).
import { MEASUREMENT, TAG, TOTAL } from '@dockwatch/collector';
import { type FieldValue, point } from './line-protocol.js';

const GiB = 1024 ** 3;
const SERVER_VERSION = '20.10.24';

export interface SyntheticVolume {
  name: string;
  sizeBytes: number;
}

export interface SyntheticHost {
  /** The engine's name: engine_host on engine points, host on host points. */
  name: string;
  diskTotalBytes: number;
  /** Bytes used on the data-root filesystem at epoch second `usedAt`. */
  diskUsedBytes: number;
  usedAt: number;
  /** Growth of the data-root filesystem, bytes per second (0: steady). */
  diskGrowthBytesPerSecond: number;
  volumes: SyntheticVolume[];
  cpus: number;
  memoryBytes: number;
  /** Epoch seconds from which its collector writes nothing (host, engine and collector points). */
  silentFrom?: number;
}

/** What the engine's disk usage knows of one container. */
export interface DiskUsageContainer {
  name: string;
  image: string;
  writableLayerBytes: number;
  imageBytes: number;
}

/** A quiet host: its data root 40 % used and steady, one volume. */
export function quietHost(name: string, at: number): SyntheticHost {
  return {
    name,
    diskTotalBytes: 100 * GiB,
    diskUsedBytes: 40 * GiB,
    usedAt: at,
    diskGrowthBytesPerSecond: 0,
    volumes: [{ name: `${name}-data`, sizeBytes: 2 * GiB }],
    cpus: 4,
    memoryBytes: 16 * GiB,
  };
}

/** The data-root filesystem at second t: reserved blocks (5 %) count neither as used nor free, as ext4's. */
export function diskAt(host: SyntheticHost, t: number): { used: number; free: number } {
  const reserved = Math.round(host.diskTotalBytes * 0.05);
  const used = Math.min(
    host.diskTotalBytes - reserved,
    Math.round(host.diskUsedBytes + host.diskGrowthBytesPerSecond * (t - host.usedAt)),
  );
  return { used, free: host.diskTotalBytes - reserved - used };
}

/** The host's own measurements and the engine's counts at second t. */
export function* hostPoints(host: SyntheticHost, index: number, running: number, t: number) {
  const tags = { [TAG.host]: host.name };
  const busy = 20 + 10 * Math.sin(t / 300 + index);
  yield point(
    MEASUREMENT.hostCpu,
    { ...tags, [TAG.cpu]: TOTAL.hostCpu },
    {
      usage_user: busy * 0.7,
      usage_system: busy * 0.2,
      usage_iowait: busy * 0.05,
      usage_steal: busy * 0.05,
      usage_nice: 0,
      usage_irq: 0,
      usage_softirq: 0,
      usage_guest: 0,
      usage_guest_nice: 0,
      usage_idle: 100 - busy,
    },
    t,
  );
  const used = Math.round(host.memoryBytes * 0.45);
  const available = host.memoryBytes - used;
  const mem: Record<string, FieldValue> = {
    total: { int: host.memoryBytes },
    available: { int: available },
    used: { int: used },
    free: { int: available * 0.3 },
    cached: { int: available * 0.6 },
    buffered: { int: available * 0.1 },
    active: { int: used * 0.8 },
    inactive: { int: available * 0.5 },
    slab: { int: 200 * 1024 ** 2 },
    swap_total: { int: 0 },
    swap_free: { int: 0 },
    used_percent: (used / host.memoryBytes) * 100,
    available_percent: (available / host.memoryBytes) * 100,
  };
  yield point(MEASUREMENT.hostMem, tags, mem, t);
  yield point(
    MEASUREMENT.hostSystem,
    tags,
    {
      load1: busy / 25,
      load5: busy / 27,
      load15: busy / 30,
      n_cpus: { int: host.cpus },
      uptime: { int: t - 1_600_000_000 },
    },
    t,
  );
  const { used: diskUsed, free } = diskAt(host, t);
  const inodes = 6_553_600;
  yield point(
    MEASUREMENT.hostDisk,
    { ...tags, [TAG.path]: '/var/lib/docker', [TAG.device]: 'sda1', [TAG.fstype]: 'ext4', [TAG.mode]: 'rw' },
    {
      total: { int: host.diskTotalBytes },
      free: { int: free },
      used: { int: diskUsed },
      used_percent: (diskUsed / (diskUsed + free)) * 100,
      inodes_total: { int: inodes },
      inodes_free: { int: inodes * 0.9 },
      inodes_used: { int: inodes * 0.1 },
      inodes_used_percent: 10,
    },
    t,
  );
  const images = 12 + index;
  yield point(
    MEASUREMENT.engine,
    { [TAG.engineHost]: host.name, [TAG.serverVersion]: SERVER_VERSION },
    {
      n_containers: { int: running + 2 },
      n_containers_running: { int: running },
      n_containers_paused: { int: 0 },
      n_containers_stopped: { int: 2 },
      n_images: { int: images },
      n_cpus: { int: host.cpus },
      memory_total: { int: host.memoryBytes },
      n_used_file_descriptors: { int: 40 + running * 6 },
      n_goroutines: { int: 60 + running * 10 },
      n_listener_events: { int: 1 },
    },
    t,
  );
}

/** One GET /system/df: the summary, a point per container, per image and per volume. */
export function* diskUsagePoints(host: SyntheticHost, containers: DiskUsageContainer[], t: number) {
  const engine = { [TAG.engineHost]: host.name, [TAG.serverVersion]: SERVER_VERSION };
  const images = [...new Set(containers.map((c) => c.image))];
  const imageBytes = (image: string) => containers.find((c) => c.image === image)?.imageBytes ?? 0;
  // One image no container uses: reclaimable.
  const unusedBytes = 300 * 1024 ** 2;
  const layers = images.reduce((sum, image) => sum + imageBytes(image), 0) + unusedBytes;
  const volumes = host.volumes.reduce((sum, v) => sum + v.sizeBytes, 0);
  const writable = containers.reduce((sum, c) => sum + c.writableLayerBytes, 0);
  yield point(
    MEASUREMENT.diskUsage,
    engine,
    {
      layers_size: { int: layers },
      images_reclaimable: { int: unusedBytes },
      volumes_size: { int: volumes },
      containers_size_rw: { int: writable },
    },
    t,
  );
  for (const c of containers) {
    yield point(
      MEASUREMENT.diskUsage,
      {
        ...engine,
        [TAG.containerName]: c.name,
        [TAG.containerImage]: c.image.split(':')[0] ?? c.image,
        [TAG.containerVersion]: c.image.split(':')[1] ?? 'latest',
        [TAG.composeProject]: 'dockwatch',
        [TAG.composeService]: c.name.replace(/-\d+$/, ''),
      },
      {
        size_rw: { int: c.writableLayerBytes },
        size_root_fs: { int: c.writableLayerBytes + c.imageBytes },
      },
      t,
    );
  }
  for (const [i, image] of [...images, 'unused:1'].entries()) {
    yield point(
      MEASUREMENT.diskUsage,
      {
        ...engine,
        [TAG.imageId]: (0xabc000 + i).toString(16).padStart(12, '0'),
        [TAG.imageName]: image.split(':')[0] ?? image,
        [TAG.imageVersion]: image.split(':')[1] ?? 'latest',
      },
      {
        size: { int: image === 'unused:1' ? unusedBytes : imageBytes(image) },
        shared_size: { int: 0 },
        containers: { int: containers.filter((c) => c.image === image).length },
      },
      t,
    );
  }
  for (const volume of host.volumes) {
    yield point(
      MEASUREMENT.diskUsage,
      { ...engine, [TAG.volumeName]: volume.name },
      { size: { int: volume.sizeBytes }, ref_count: { int: 1 } },
      t,
    );
  }
}
