import type Docker from 'dockerode';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import type { DiscoveryDependencies } from './container-tracker.js';

/** The part of an Engine event the collector uses. */
export interface ContainerEvent {
  action: string;
  id: string;
  /** Seconds since the epoch, as the Engine's `since` parameter wants it. */
  time: number;
}

export const FOLLOWED_ACTIONS = [
  'start',
  'die',
  'destroy',
  'rename',
  'health_status',
  'oom',
  'update',
] as const;

/** What the watcher calls: each followed event, and after each reconnect (to resync). */
export interface EngineEventHandlers {
  onEvent(event: ContainerEvent): void;
  onReconnect(): Promise<void>;
}

/** Parses one line of the events stream; undefined for anything that is not a container event. */
export function parseEngineEvent(line: string): ContainerEvent | undefined {
  let raw: { Type?: unknown; Action?: unknown; id?: unknown; Actor?: { ID?: unknown }; time?: unknown };
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const id = typeof raw.Actor?.ID === 'string' ? raw.Actor.ID : raw.id;
  if (raw.Type !== 'container' || typeof raw.Action !== 'string' || typeof id !== 'string') return undefined;
  // health_status events carry the state in the action: "health_status: healthy".
  const action = raw.Action.split(':')[0]?.trim() ?? raw.Action;
  return { action, id, time: typeof raw.time === 'number' ? raw.time : Math.floor(Date.now() / 1000) };
}

/**
 * Follows the Engine's container events and reconnects with back-off when the stream ends
 * (dockerd restart). On each reconnect it replays from the last event seen and asks for a
 * full resync, so nothing that happened while disconnected is missed.
 */
export class EngineEventWatcher {
  private stream: NodeJS.ReadableStream | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastEventTime: number | undefined;
  private backoffMs = 500;

  private readonly docker: Docker;
  private readonly metrics: SelfMetrics;
  private readonly logger: Logger;

  constructor(
    private readonly handlers: EngineEventHandlers,
    { docker, metrics, logger }: DiscoveryDependencies,
  ) {
    this.docker = docker;
    this.metrics = metrics;
    this.logger = logger;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect(false);
  }

  private async connect(isReconnect: boolean): Promise<void> {
    if (this.stopped) return;
    try {
      const stream = await this.docker.getEvents({
        since: this.lastEventTime ?? Math.floor(Date.now() / 1000),
        filters: { type: ['container'], event: [...FOLLOWED_ACTIONS] },
      });
      if (this.stopped) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        return;
      }
      this.stream = stream;
      this.backoffMs = 500;
      let pending = '';
      stream.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          const event = parseEngineEvent(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          if (event) {
            this.lastEventTime = event.time;
            this.handlers.onEvent(event);
          }
          newline = pending.indexOf('\n');
        }
      });
      const lost = (error?: Error) => {
        if (this.stream !== stream) return;
        this.stream = undefined;
        if (!this.stopped) {
          this.logger.warn({ err: error }, 'engine events stream ended; reconnecting');
          this.scheduleReconnect();
        }
      };
      stream.on('end', () => lost());
      stream.on('close', () => lost());
      stream.on('error', (error: Error) => lost(error));
      if (isReconnect) {
        this.logger.info('engine events stream reconnected');
        await this.handlers.onReconnect().catch((error: unknown) => {
          this.logger.warn({ err: error }, 'resync after reconnect failed; the periodic resync will retry');
        });
      }
    } catch (error) {
      this.metrics.engineErrors.inc({ call: 'events' });
      if (!isReconnect) throw error;
      this.logger.warn({ err: error, retryInMs: this.backoffMs }, 'engine events reconnect failed');
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect(true);
    }, delay);
  }

  /** True while the stream is open. */
  get connected(): boolean {
    return this.stream !== undefined;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const stream = this.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.stream = undefined;
    stream?.destroy?.();
  }
}
