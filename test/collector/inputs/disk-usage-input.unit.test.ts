// The disk-usage input's cadence, on an engine whose /system/df answers when the test says so:
// the sweep runs in the background (a gather never waits for it), its points arrive at the
// first gather after it ends, stamped when it answered; never two at once; one per interval;
// a failed sweep is an error of the input; close() aborts the sweep in flight.
import type Docker from 'dockerode';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ArrayAccumulator,
  type DiskUsage,
  DiskUsageInput,
  type InputContext,
  loadConfig,
  MEASUREMENT,
} from '@dockwatch/collector';

const DF: DiskUsage = {
  LayersSize: 1000,
  Images: [{ Id: 'sha256:aaaaaaaaaaaabbbb', RepoTags: ['app:1'], Size: 1000, SharedSize: 0, Containers: 1 }],
  Containers: [{ Id: 'c1', Names: ['/web'], Image: 'app:1', SizeRw: 10, SizeRootFs: 1010 }],
  Volumes: [{ Name: 'data', UsageData: { Size: 5, RefCount: 1 } }],
};

interface PendingSweep {
  resolve(answer: unknown): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
}

/** An engine whose df calls stay pending until the test answers them. */
function engineWithDf() {
  const sweeps: PendingSweep[] = [];
  const docker = {
    df: (options?: { abortSignal?: AbortSignal }) =>
      new Promise((resolve, reject) => sweeps.push({ resolve, reject, signal: options?.abortSignal })),
  } as unknown as Docker;
  return { docker, sweeps };
}

function inputFor(docker: Docker, env: Record<string, string> = {}): DiskUsageInput {
  const config = loadConfig(
    { COLLECT_INTERVAL: '1s', DISK_USAGE_INTERVAL: '1m', ...env },
    { requireSink: false },
  );
  const context = {
    config,
    docker,
    engine: () => ({ host: 'vm', serverVersion: '28.5.2' }),
    logger: pino({ level: 'silent' }),
  } as unknown as InputContext;
  return new DiskUsageInput(context);
}

/** Lets the settled df promise run its callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('DiskUsageInput', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('sweeps in the background and adds the points at the next gather, stamped when df answered', async () => {
    const { docker, sweeps } = engineWithDf();
    const input = inputFor(docker);
    const first = new ArrayAccumulator();
    await input.gather(first); // resolves although df has not answered
    expect(sweeps).toHaveLength(1);
    expect(first.points).toEqual([]);

    vi.setSystemTime(new Date('2026-12-01T00:00:03Z'));
    sweeps[0]?.resolve(DF);
    await settle();
    vi.setSystemTime(new Date('2026-12-01T00:00:04Z'));
    const second = new ArrayAccumulator();
    await input.gather(second);
    expect(second.errors).toEqual([]);
    expect(second.points.map((point) => point.measurement)).toEqual(Array(4).fill(MEASUREMENT.diskUsage));
    expect(new Set(second.points.map((point) => point.time))).toEqual(
      new Set([BigInt(Date.parse('2026-12-01T00:00:03Z')) * 1_000_000n]),
    );
    // Handed over once.
    const third = new ArrayAccumulator();
    await input.gather(third);
    expect(third.points).toEqual([]);
  });

  it('never runs two sweeps at once, and sweeps again once per interval', async () => {
    const { docker, sweeps } = engineWithDf();
    const input = inputFor(docker);
    await input.gather(new ArrayAccumulator());
    // A sweep slower than the interval: later gathers do not start another.
    for (let second = 1; second <= 90; second++) {
      vi.setSystemTime(Date.parse('2026-12-01T00:00:00Z') + second * 1000);
      await input.gather(new ArrayAccumulator());
    }
    expect(sweeps).toHaveLength(1);
    sweeps[0]?.resolve(DF);
    await settle();
    // It ended after the interval: the next gather hands its points over and sweeps again.
    const acc = new ArrayAccumulator();
    await input.gather(acc);
    expect(acc.points.length).toBeGreaterThan(0);
    expect(sweeps).toHaveLength(2);
    sweeps[1]?.resolve(DF);
    await settle();
    // Not due again before a minute from its start (half a gather of slack).
    vi.setSystemTime(Date.now() + 59_000);
    await input.gather(new ArrayAccumulator());
    expect(sweeps).toHaveLength(2);
    vi.setSystemTime(Date.now() + 1_000);
    await input.gather(new ArrayAccumulator());
    expect(sweeps).toHaveLength(3);
  });

  it('reports a failed sweep as an error of the input at the next gather', async () => {
    const { docker, sweeps } = engineWithDf();
    const input = inputFor(docker);
    await input.gather(new ArrayAccumulator());
    sweeps[0]?.reject(Object.assign(new Error('(HTTP code 500) server error'), { statusCode: 500 }));
    await settle();
    const acc = new ArrayAccumulator();
    await input.gather(acc);
    expect(acc.points).toEqual([]);
    expect(acc.errors).toEqual([expect.objectContaining({ reason: 'http_500' })]);
  });

  it('reports an answer that is not an object as malformed', async () => {
    const { docker, sweeps } = engineWithDf();
    const input = inputFor(docker);
    await input.gather(new ArrayAccumulator());
    sweeps[0]?.resolve('<html>proxy error</html>');
    await settle();
    const acc = new ArrayAccumulator();
    await input.gather(acc);
    expect(acc.errors).toEqual([expect.objectContaining({ reason: 'malformed' })]);
  });

  it('honours the container filter on container points', async () => {
    const { docker, sweeps } = engineWithDf();
    const input = inputFor(docker, { CONTAINER_NAME_EXCLUDE: 'web' });
    await input.gather(new ArrayAccumulator());
    sweeps[0]?.resolve(DF);
    await settle();
    const acc = new ArrayAccumulator();
    await input.gather(acc);
    expect(acc.points.some((point) => point.tags.container_name !== undefined)).toBe(false);
    expect(acc.points).toHaveLength(3);
  });

  it('aborts the sweep in flight on close, and reports nothing for it', async () => {
    const { docker, sweeps } = engineWithDf();
    const input = inputFor(docker);
    await input.gather(new ArrayAccumulator());
    input.close();
    expect(sweeps[0]?.signal?.aborted).toBe(true);
    sweeps[0]?.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    await settle();
    const acc = new ArrayAccumulator();
    await input.gather(acc);
    expect(acc.errors).toEqual([]);
  });
});
