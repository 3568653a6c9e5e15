// The active half of expiry: every interval, remove due entries through the expiry index in
// small steps (one write transaction each), never by scanning the key table.
import type { Logger } from 'pino';
import type { KvStore } from '../store/kv-store.js';

/** Steps per tick at most, so a backlog is worked off over several ticks without hogging the loop. */
const MAX_STEPS_PER_TICK = 20;

export class ExpirySweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly store: KvStore,
    private readonly options: { intervalMs: number; batch: number; logger: Logger },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Runs one tick now (tests call this); returns entries consumed. Never overlaps itself. */
  tick(): Promise<number> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async sweep(): Promise<number> {
    let total = 0;
    try {
      for (let step = 0; step < MAX_STEPS_PER_TICK; step += 1) {
        const consumed = await this.store.sweepStep(this.options.batch);
        total += consumed;
        if (consumed < this.options.batch) break;
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'expiry sweep failed');
    }
    return total;
  }
}
