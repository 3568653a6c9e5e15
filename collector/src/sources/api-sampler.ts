import type Docker from 'dockerode';
import type { EngineStats } from '../derive/engine-stats.js';
import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';

/** A sample of a container that is not running carries no cpu_stats and a zero `read`. */
function isStoppedSample(stats: EngineStats): boolean {
  return !stats.cpu_stats || !stats.read || stats.read.startsWith('0001-01-01');
}

function errorReason(error: unknown): string {
  const e = error as { name?: string; code?: string; statusCode?: number };
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timeout';
  if (e.statusCode) return `http_${e.statusCode}`;
  return e.code ?? 'other';
}

/**
 * The API path: one one-shot stats call per container (Engine >= 1.41 answers one sample
 * without waiting for a second; the caller keeps the previous one for the deltas). The
 * Engine's stats carry no OOM kill count, so it counts the Engine's `oom` events of each
 * followed container and adds the count to its samples as `memory_stats.oom_kills`.
 */
export class ApiSampler {
  /** `oom` events per followed container since it was first followed; absent = 0. */
  private readonly oomKills = new Map<string, number>();

  constructor(
    private readonly docker: Docker,
    private readonly timeoutMs: number,
  ) {}

  /**
   * The container's sample, `stopped` when it is not running (a gap), or `failed` (reported
   * to `acc`: collector_stats_errors_total by reason).
   */
  async sample(container: TrackedContainer, acc: Accumulator): Promise<EngineStats | 'stopped' | 'failed'> {
    let stats: EngineStats;
    try {
      stats = await this.docker.getContainer(container.id).stats({
        stream: false,
        'one-shot': true,
        abortSignal: AbortSignal.timeout(this.timeoutMs),
      } as { stream: false; 'one-shot': true });
    } catch (error) {
      const reason = errorReason(error);
      // 404: it was removed while the call was in flight; its destroy event follows.
      acc.addError({
        reason,
        message: 'stats call failed',
        error,
        container: container.id,
        level: reason === 'http_404' ? 'debug' : 'warn',
      });
      return 'failed';
    }
    if (isStoppedSample(stats)) return 'stopped';
    if (stats.memory_stats) stats.memory_stats.oom_kills = this.oomKills.get(container.id) ?? 0;
    return stats;
  }

  /** One `oom` event of a followed container. */
  countOomKill(id: string): void {
    this.oomKills.set(id, (this.oomKills.get(id) ?? 0) + 1);
  }

  /** Forgets a container no longer followed: its count starts at 0 if it is followed again. */
  evict(id: string): void {
    this.oomKills.delete(id);
  }
}
