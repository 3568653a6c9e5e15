import { HttpError, InfluxDB, setLogger, type Transport, type WriteApi } from '@influxdata/influxdb-client';
import type { InfluxTarget, WriteSettings } from '../config/config.js';
import type { PointSink } from '../model/point-sink.js';
import type { Point } from '../model/point.js';
import { LineProtocolWriter } from '../schema/line-protocol.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import type { InfluxSeries } from '../influx/influxql.js';
import type { InfluxStatement } from '../rollup/retention-policies.js';
import { V1WriteTransport } from './v1-transport.js';

/**
 * Retries are bounded by time (maxRetryTimeMs) and buffer size (maxBufferLines), not by a
 * count: a count of 5 with back-off loses points in an outage of a minute or two.
 */
const UNBOUNDED_RETRIES = 1_000_000;

/**
 * The InfluxDB sink: a PointSink over the client's WriteApi, which does the batching,
 * optional gzip, retries and the retry buffer. Only wiring and accounting live here.
 */
/** What the sink reports to: write accounting and the client's own log lines. */
export interface InfluxSinkDependencies {
  metrics: SelfMetrics;
  logger: Logger;
  /**
   * v1 with createDatabase: what else to set up once the database exists (the rollups'
   * retention policies); retried with it until both succeed.
   */
  afterCreateDatabase?: (run: InfluxStatement) => Promise<void>;
}

export class InfluxSink implements PointSink {
  private readonly metrics: SelfMetrics;
  private readonly logger: Logger;
  private readonly writeApi: WriteApi;
  private readonly lines = new LineProtocolWriter();
  private closed = false;
  private readonly ensureDatabase: (() => Promise<void>) | undefined;
  private ensureTimer: NodeJS.Timeout | undefined;

  constructor(
    target: InfluxTarget,
    settings: WriteSettings,
    { metrics, logger, afterCreateDatabase }: InfluxSinkDependencies,
  ) {
    this.metrics = metrics;
    this.logger = logger;
    // The client logs retries and failures itself; send those lines through pino.
    setLogger({
      error: (message, error) => logger.error({ err: error }, `influxdb-client: ${message}`),
      warn: (message, error) => logger.warn({ err: error }, `influxdb-client: ${message}`),
    });
    const writeOptions = {
      batchSize: settings.batchSize,
      flushInterval: 1_000,
      maxBufferLines: settings.maxBufferLines,
      maxRetries: UNBOUNDED_RETRIES,
      maxRetryTime: settings.maxRetryTimeMs,
      minRetryDelay: Math.min(1_000, settings.maxRetryDelayMs),
      maxRetryDelay: settings.maxRetryDelayMs,
      exponentialBase: 2,
      retryJitter: 250,
      // The client gzips bodies longer than its threshold, 1,000 bytes unless told otherwise.
      gzipThreshold: settings.gzipThreshold ?? Number.POSITIVE_INFINITY,
      writeSuccess: (lines: string[]) => {
        metrics.pointsWritten.inc(lines.length);
      },
      writeFailed: (error: Error, lines: string[], attempt: number, expires: number) => {
        metrics.pointsFailed.inc(lines.length);
        const reason = this.finalFailureReason(error, attempt, expires);
        if (reason) metrics.pointsDropped.inc({ reason }, lines.length);
        logger.warn(
          { err: error, lines: lines.length, attempt, dropped: reason ?? false },
          'write to InfluxDB failed',
        );
        return undefined; // let the client retry as it decides
      },
      writeRetrySkipped: (entry: { lines: string[] }) => {
        metrics.pointsDropped.inc({ reason: 'buffer_full' }, entry.lines.length);
        logger.error({ lines: entry.lines.length }, 'retry buffer full: oldest points dropped');
      },
    };
    if (target.api === 'v2') {
      const client = new InfluxDB({ url: target.url, token: target.token, timeout: settings.timeoutMs });
      this.writeApi = client.getWriteApi(target.org, target.bucket, 'ns', writeOptions);
    } else {
      const headers: Record<string, string> = {};
      if (target.username !== undefined && target.password !== undefined) {
        headers.Authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`;
      }
      const base = new InfluxDB({ url: target.url, timeout: settings.timeoutMs, headers });
      const transport = new V1WriteTransport(base.transport, { db: target.db, rp: target.rp });
      if (target.createDatabase) {
        // InfluxDB 1.x answers 404 to writes into a missing database, which is not retried.
        const run = influxStatement(base.transport, target.db);
        this.ensureDatabase = async () => {
          await run(`CREATE DATABASE "${target.db.replaceAll('"', '\\"')}"`);
          await afterCreateDatabase?.(run);
        };
      }
      const client = new InfluxDB({ url: target.url, transport });
      this.writeApi = client.getWriteApi('', target.db, 'ns', writeOptions);
    }
  }

  /**
   * v1 only: creates the database if it is missing (idempotent in InfluxDB). Until that
   * succeeds it is tried again every 10 s in the background; never throws.
   */
  async prepare(): Promise<void> {
    const ensure = this.ensureDatabase;
    if (!ensure || this.closed) return;
    try {
      await ensure();
      this.logger.info('InfluxDB database ready');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not create the InfluxDB database; retrying in 10 s');
      this.ensureTimer = setTimeout(() => void this.prepare(), 10_000);
      this.ensureTimer.unref();
    }
  }

  /** Mirrors the client's retry decision, so points it gives up on are counted as dropped. */
  private finalFailureReason(error: Error, attempt: number, expires: number): string | undefined {
    if (this.closed) return 'shutdown';
    if (expires <= Date.now()) return 'retry_time_exceeded';
    if (attempt > UNBOUNDED_RETRIES) return 'retries_exhausted';
    if (error instanceof HttpError && error.statusCode < 429) return 'rejected';
    return undefined;
  }

  add(point: Point): void {
    if (this.closed) return;
    this.writeApi.writeRecord(this.lines.line(point));
  }

  /** Sends what is batched now; failures go to the retry buffer, so this never rejects. */
  async flush(): Promise<void> {
    await this.writeApi.flush().catch(() => undefined);
  }

  /**
   * Flushes the batch and the retry buffer, then closes. What cannot be sent (InfluxDB still
   * down) is counted as dropped and logged; the caller bounds how long this may take.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.ensureTimer);
    await this.writeApi.flush(true).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'final flush failed');
    });
    this.closed = true;
    // dispose() closes without another attempt and says how many lines were left unsent.
    const unsent = this.writeApi.dispose();
    if (unsent > 0) {
      this.metrics.pointsDropped.inc({ reason: 'shutdown' }, unsent);
      this.logger.error({ lines: unsent }, 'points not written before shutdown');
    }
  }
}

/** InfluxQL through the client's transport (its auth headers and timeout): POST /query. */
function influxStatement(transport: Transport, db: string): InfluxStatement {
  return async (statement) => {
    const answer = await transport.request(`/query?${new URLSearchParams({ db, q: statement })}`, '', {
      method: 'POST',
    });
    const body = (typeof answer === 'string' ? JSON.parse(answer) : answer) as {
      results?: { series?: InfluxSeries[]; error?: string }[];
      error?: string;
    };
    const error = body.error ?? body.results?.[0]?.error;
    if (error) throw new Error(`InfluxQL failed: ${error}: ${statement}`);
    return body.results?.[0]?.series ?? [];
  };
}
