// What the host derivations share: the point options, and how a problem with the host's
// /proc files is described (the input turns each into an acc.addError).

/** The files under HOST_PROC the host inputs read. */
export type ProcFile = 'stat' | 'meminfo' | 'loadavg' | 'uptime';

/** Why a host point could not be made from the files' text. */
export interface ProcProblem {
  /** `proc_malformed` (a line the parser does not understand) or `counter_decreased`. */
  reason: 'proc_malformed' | 'counter_decreased';
  file: ProcFile;
  message: string;
}

export interface HostPointOptions {
  /** The `host` tag: the engine's Name. */
  host: string;
  /** The points' time, ns: when the files were read. */
  time: bigint;
}
