export {
  type CgroupLayout,
  type CgroupVersion,
  type ContainerCgroup,
  type ContainerRef,
  candidatePaths,
  detectCgroupVersion,
  expandSlice,
  layoutOf,
  type ResolveFailure,
  resolveContainerCgroup,
  V1_CONTROLLERS,
  type V1Controller,
} from './cgroup-layout.js';
export { rfc3339Now } from './clock.js';
export { HostFiles, isAbsentError, type OpenFiles } from './host-files.js';
export {
  CLOCK_TICKS_PER_SECOND,
  parseBlkioV1,
  parseCounter,
  parseCounterList,
  parseIoStatV2,
  parseKeyed,
  parseKeyedSubset,
  parseMemTotal,
  parseNetDev,
  parseProcCgroup,
  parseProcStat,
  parseSingleValue,
  type ProcCgroupLine,
  type ProcStatCpu,
  ticksToNs,
  usecToNs,
} from './parsers.js';
export {
  ContainerGoneError,
  type HostSnapshot,
  type LimitTexts,
  readContainerSample,
  readHostSnapshot,
  type SampleRequest,
  V1_MEMORY_STAT_KEYS,
  V2_MEMORY_STAT_KEYS,
} from './sample-reader.js';
