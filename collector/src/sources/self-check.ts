import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import type { CgroupSource } from './cgroup-source.js';
import type { DockerSource } from './docker-source.js';
import { compareSamples, type Disagreement } from './sample-comparison.js';

/** Containers sampled through both paths per check. */
const CONTAINERS_PER_CHECK = 3;

export interface SelfCheckResult {
  compared: number;
  disagreements: { container: string; found: Disagreement[] }[];
}

/**
 * Samples a few containers through both paths (fast, API, fast again) and compares them.
 * Containers are taken round-robin so every one is checked in time. Disagreements are
 * counted, logged, and reported to `onDisagree` (which falls back to the API path).
 */
export class SelfCheck {
  private cursor = 0;

  constructor(
    private readonly fast: CgroupSource,
    private readonly api: DockerSource,
    private readonly metrics: SelfMetrics,
    private readonly logger: Logger,
    private readonly onDisagree: (result: SelfCheckResult) => void,
  ) {}

  async run(containers: readonly TrackedContainer[]): Promise<SelfCheckResult> {
    const result: SelfCheckResult = { compared: 0, disagreements: [] };
    const picked: TrackedContainer[] = [];
    for (let i = 0; i < containers.length && picked.length < CONTAINERS_PER_CHECK; i++) {
      const container = containers[(this.cursor + i) % containers.length];
      if (container !== undefined && typeof container.cgroup?.location !== 'string') picked.push(container);
    }
    this.cursor = containers.length === 0 ? 0 : (this.cursor + CONTAINERS_PER_CHECK) % containers.length;

    await Promise.all(
      picked.map(async (container) => {
        const hostBefore = this.fast.hostSnapshot();
        const before = hostBefore && this.fast.read(container, hostBefore);
        const api = await this.api.fetch(container);
        const hostAfter = this.fast.hostSnapshot();
        const after = hostAfter && this.fast.read(container, hostAfter);
        if (typeof before !== 'object' || typeof api !== 'object' || typeof after !== 'object') {
          this.metrics.selfChecks.inc({ result: 'skipped' });
          return;
        }
        result.compared++;
        const found = compareSamples(before, api, after);
        this.metrics.selfChecks.inc({ result: found.length === 0 ? 'agree' : 'disagree' });
        if (found.length > 0) result.disagreements.push({ container: container.id, found });
      }),
    );
    if (result.disagreements.length > 0) {
      this.logger.warn(
        { disagreements: result.disagreements },
        'self-check: the fast path disagrees with the API',
      );
      this.onDisagree(result);
    } else {
      this.logger.debug({ compared: result.compared }, 'self-check: the fast path agrees with the API');
    }
    return result;
  }
}
