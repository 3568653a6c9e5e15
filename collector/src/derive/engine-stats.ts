/**
 * The parts of the Engine's `GET /containers/{id}/stats` JSON the derivations read, typed
 * as the runtime sends them: every key may be absent (stopped containers, cgroup v2, older
 * engines) and arrays may be `null`. `@types/dockerode`'s `ContainerStats` is assignable to
 * this; its own type claims keys the Engine omits.
 *
 * Counters arrive as JSON numbers; `bigint` is accepted too so a caller that parses the body
 * losslessly keeps values above 2^53 exact.
 */
export type JsonInteger = number | bigint;

export interface EngineCpuUsage {
  total_usage?: JsonInteger;
  /** cgroup v1 only. */
  percpu_usage?: readonly JsonInteger[] | null;
  usage_in_kernelmode?: JsonInteger;
  usage_in_usermode?: JsonInteger;
}

export interface EngineThrottlingData {
  periods?: JsonInteger;
  throttled_periods?: JsonInteger;
  throttled_time?: JsonInteger;
}

export interface EngineCpuStats {
  cpu_usage?: EngineCpuUsage;
  /** Host CPU time of all cores, ns; absent in a stopped container's sample. */
  system_cpu_usage?: JsonInteger;
  online_cpus?: JsonInteger;
  throttling_data?: EngineThrottlingData;
}

export interface EngineMemoryStats {
  usage?: JsonInteger;
  /** cgroup v1 only. */
  max_usage?: JsonInteger;
  /** cgroup v1: memory.failcnt; cgroup v2: the `oom` count of memory.events. Omitted when 0. */
  failcnt?: JsonInteger;
  limit?: JsonInteger;
  /** memory.stat of the cgroup: v1 keys (`cache`, `total_inactive_file`, ...) or v2 keys (`anon`, `inactive_file`, ...). */
  stats?: Readonly<Record<string, JsonInteger>> | null;
  /**
   * Not the Engine's: OOM kills in the container, added by the collector's samplers. The fast
   * path reads the kernel's counter (v1 memory.oom_control, v2 memory.events `oom_kill`;
   * absent on kernels without it), the API path counts the Engine's `oom` events.
   */
  oom_kills?: JsonInteger;
}

export interface EngineNetworkStats {
  rx_bytes?: JsonInteger;
  rx_packets?: JsonInteger;
  rx_errors?: JsonInteger;
  rx_dropped?: JsonInteger;
  tx_bytes?: JsonInteger;
  tx_packets?: JsonInteger;
  tx_errors?: JsonInteger;
  tx_dropped?: JsonInteger;
}

export interface EngineBlkioEntry {
  major: JsonInteger;
  minor: JsonInteger;
  /** v1: `Read`, `Write`, `Sync`, `Async`, `Discard`, `Total`; v2: `read`, `write`. */
  op: string;
  value: JsonInteger;
}

export interface EngineBlkioStats {
  io_service_bytes_recursive?: readonly EngineBlkioEntry[] | null;
  /** cgroup v1 only (null on v2). */
  io_serviced_recursive?: readonly EngineBlkioEntry[] | null;
}

export interface EnginePidsStats {
  current?: JsonInteger;
  /** Omitted (or 0) when the container has no PIDs limit. */
  limit?: JsonInteger;
}

export interface EngineStats {
  id?: string;
  name?: string;
  /** RFC 3339 with ns; "0001-01-01T00:00:00Z" when the container is not running. */
  read?: string;
  cpu_stats?: EngineCpuStats | null;
  memory_stats?: EngineMemoryStats | null;
  /** Absent for host-network containers (and for `none`/`container:` modes). */
  networks?: Readonly<Record<string, EngineNetworkStats>> | null;
  blkio_stats?: EngineBlkioStats | null;
  pids_stats?: EnginePidsStats | null;
}
