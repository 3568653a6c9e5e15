export {
  BLKIO_FAMILIES,
  BLKIO_MEASUREMENT,
  BLKIO_OPS,
  type BlkioOp,
  blkioPoints,
  classifyBlkioOp,
} from './blkio.js';
export { deriveContainerPoints } from './container.js';
export {
  type ContainerMatcher,
  type DiskUsage,
  type DiskUsageContainer,
  type DiskUsageImage,
  type DiskUsageVolume,
  diskUsagePoints,
  imagesReclaimable,
} from './disk-usage.js';
export { type DockerInfo, enginePoint } from './engine-info.js';
export {
  diskPoint,
  type FilesystemPlace,
  type FilesystemStats,
  type MountEntry,
  mountHolding,
  parseMountInfo,
} from './filesystem.js';
export { makePoint, type SampleContext, sampleContext } from './context.js';
export { CPU_MEASUREMENT, cpuLimitCores, cpuPercent, cpuPoints, onlineCpus } from './cpu.js';
export type {
  EngineBlkioEntry,
  EngineBlkioStats,
  EngineCpuStats,
  EngineCpuUsage,
  EngineMemoryStats,
  EngineNetworkStats,
  EnginePidsStats,
  EngineStats,
  EngineThrottlingData,
  JsonInteger,
} from './engine-stats.js';
export { HEALTH_MEASUREMENT, healthPoint } from './health.js';
export {
  type CpuTimes,
  type HostCpuOptions,
  type HostCpuResult,
  hostCpuPoints,
  type ParsedProcStat,
  parseProcStatCpus,
  type ProcStatSample,
} from './host-cpu.js';
export { deriveHostPoints, type HostGather, type HostGatherOptions, type ProcTexts } from './host-points.js';
export { hostMemPoint, type Meminfo, type ParsedMeminfo, parseMeminfo } from './host-mem.js';
export type { HostPointOptions, ProcFile, ProcProblem } from './host-proc.js';
export {
  type HostSystemSample,
  hostSystemPoint,
  type Loadavg,
  parseLoadavg,
  parseUptime,
} from './host-system.js';
export { type ImageNameVersion, parseImageReference } from './image.js';
export type { ContainerSampleInput, DeriveOptions, EngineInfo } from './input.js';
export type { InspectData, InspectHealth, InspectHostConfig, InspectState } from './inspect-data.js';
export { toInt64 } from './integer.js';
export { DeriveMemo } from './memo.js';
export { MEMORY_MEASUREMENT, memoryPercent, memoryPoints, memoryUsed } from './memory.js';
export { hasOwnNetwork, NETWORK_COUNTERS, NETWORK_MEASUREMENT, networkPoints } from './network.js';
export { PIDS_MEASUREMENT, pidsPoints } from './pids.js';
export { STATUS_MEASUREMENT, statusPoint } from './status.js';
export { containerTags, ORCHESTRATION_LABELS, withTag } from './tags.js';
export { optionalTimestampNs, parseTimestampNs, ZERO_TIME } from './timestamp.js';
