import type Docker from 'dockerode';

/** The engine-wide reads: GET /info (one per gather, InputContext.engineInfo) and GET /system/df. */
export type EngineRead = 'info' | 'df';

/**
 * One engine-wide read, aborted by `signal` (a timeout, or the input closing). dockerode
 * honours `abortSignal` on these calls; its typings leave the options out.
 */
export function readEngine(docker: Docker, read: EngineRead, signal: AbortSignal): Promise<unknown> {
  const call = docker[read] as (options: { abortSignal: AbortSignal }) => Promise<unknown>;
  return call.call(docker, { abortSignal: signal });
}

/** A bounded `reason` for a failed engine call: timeout, http_<status>, or the errno code. */
export function engineCallReason(error: unknown): string {
  const e = error as { name?: string; code?: string; statusCode?: number };
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timeout';
  if (e.statusCode) return `http_${e.statusCode}`;
  return e.code ?? 'other';
}

/** A JSON object, as the engine answers on success (anything else is a malformed answer). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
