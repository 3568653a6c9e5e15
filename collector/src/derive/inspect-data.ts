/**
 * The parts of `GET /containers/{id}/json` the derivations read. `@types/dockerode`'s
 * `ContainerInspectInfo` is assignable to this; here `null`s the Engine really sends are allowed.
 */
export interface InspectHealth {
  Status: string;
  FailingStreak: number;
}

export interface InspectState {
  Status: string;
  Running: boolean;
  OOMKilled: boolean;
  Pid: number;
  ExitCode: number;
  StartedAt: string;
  FinishedAt: string;
  Health?: InspectHealth | null;
}

export interface InspectHostConfig {
  NetworkMode?: string;
  /** CPU limit in 1e-9 CPUs (`--cpus`). */
  NanoCpus?: number;
  /** CFS quota in µs per period (`--cpu-quota`); <= 0 means none. */
  CpuQuota?: number;
  /** CFS period in µs (`--cpu-period`); 0 means the kernel default of 100 ms. */
  CpuPeriod?: number;
}

export interface InspectData {
  Id: string;
  /** With the leading slash, e.g. "/web-1". */
  Name: string;
  RestartCount: number;
  State: InspectState;
  Config: {
    /** The image reference the container was created from, e.g. "nginx:1.27". */
    Image: string;
    Labels?: Readonly<Record<string, string>> | null;
  };
  HostConfig: InspectHostConfig;
}
