// The input contract's error channel: an input reports through addError; the collector counts
// the error under the input's name and reason and logs it once, with both.
import { describe, expect, it } from 'vitest';
import { ArrayAccumulator, InputErrors, SelfMetrics } from '@dockwatch/collector';
import { memoryLogger } from '../../support/logger.js';

describe('InputErrors', () => {
  it('counts and logs each error once, with the input and the reason', async () => {
    const metrics = new SelfMetrics();
    const { logger, lines } = memoryLogger();
    const errors = new InputErrors(metrics, logger);
    const points = new ArrayAccumulator();
    const acc = errors.accumulator('disk', points);

    acc.add({ measurement: 'm', tags: {}, fields: { f: 1 }, time: 1n });
    acc.addError({
      reason: 'statfs_failed',
      message: 'cannot stat',
      container: 'web',
      detail: { path: '/x' },
    });
    acc.addError({ reason: 'statfs_failed', message: 'cannot stat', level: 'debug' });

    expect(points.points).toHaveLength(1);
    expect(points.errors).toEqual([]);
    const counted = (await metrics.inputErrors.get()).values;
    expect(counted).toEqual([
      expect.objectContaining({ labels: { input: 'disk', reason: 'statfs_failed' }, value: 2 }),
    ]);
    expect(
      lines.map(({ level, input, reason, container, path, msg }) => ({
        level,
        input,
        reason,
        container,
        path,
        msg,
      })),
    ).toEqual([
      { level: 40, input: 'disk', reason: 'statfs_failed', container: 'web', path: '/x', msg: 'cannot stat' },
      {
        level: 20,
        input: 'disk',
        reason: 'statfs_failed',
        container: undefined,
        path: undefined,
        msg: 'cannot stat',
      },
    ]);
  });

  it('keeps the counters dashboards read for the stats and scrape inputs', async () => {
    const metrics = new SelfMetrics();
    const errors = new InputErrors(metrics, memoryLogger().logger);
    errors.report('docker', { reason: 'timeout', message: 'stats call failed' });
    errors.report('prometheus', { reason: 'scrape_failed', message: 'scrape failed' });
    expect((await metrics.statsErrors.get()).values).toEqual([
      expect.objectContaining({ labels: { reason: 'timeout' }, value: 1 }),
    ]);
    expect((await metrics.scrapeErrors.get()).values[0]?.value).toBe(1);
    expect((await metrics.inputErrors.get()).values).toEqual([]);
  });
});
