import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import type { ApiSampler } from './api-sampler.js';
import type { CgroupSampler } from './cgroup-sampler.js';
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
 * counted and logged, and the caller decides what a disagreement means.
 */
export class SelfCheck {
  private cursor = 0;

  constructor(
    private readonly fast: CgroupSampler,
    private readonly api: ApiSampler,
    private readonly metrics: SelfMetrics,
    private readonly logger: Logger,
  ) {}

  /** `acc` receives the errors of the samples taken (no points). */
  async run(containers: readonly TrackedContainer[], acc: Accumulator): Promise<SelfCheckResult> {
    const result: SelfCheckResult = { compared: 0, disagreements: [] };
    const picked: TrackedContainer[] = [];
    for (let i = 0; i < containers.length && picked.length < CONTAINERS_PER_CHECK; i++) {
      const container = containers[(this.cursor + i) % containers.length];
      if (container !== undefined && this.fast.locatable(container)) picked.push(container);
    }
    this.cursor = containers.length === 0 ? 0 : (this.cursor + CONTAINERS_PER_CHECK) % containers.length;

    await Promise.all(
      picked.map(async (container) => {
        const hostBefore = this.fast.hostSnapshot();
        const before = hostBefore && this.fast.read(container, hostBefore, acc);
        const api = await this.api.sample(container, acc);
        const hostAfter = this.fast.hostSnapshot();
        const after = hostAfter && this.fast.read(container, hostAfter, acc);
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
    } else {
      this.logger.debug({ compared: result.compared }, 'self-check: the fast path agrees with the API');
    }
    return result;
  }
}
