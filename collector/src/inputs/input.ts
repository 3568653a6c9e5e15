import type { Accumulator } from '../model/accumulator.js';

/**
 * One family of metrics (Telegraf's input plugin): each gather it adds its points and its
 * errors to the accumulator. It never imports a sink, never counts or logs its own errors,
 * and keeps whatever per-container state it needs itself.
 */
export interface Input {
  /** The `input` of its errors and the `source` label of collector_gather_duration_seconds. */
  readonly name: string;
  /** Gathers once. Rejects only when the whole gather failed; a single container's failure is an addError. */
  gather(acc: Accumulator): Promise<void>;
  /** Releases what the input holds open (files, timers); called once at shutdown. */
  close?(): void;
}
