// The collector's own metrics are read from its registry's values, not rendered to text and
// parsed back: the samples must be the ones a scrape of /metrics parses.
import { describe, expect, it } from 'vitest';
import { parseExposition, registrySamples, SelfMetrics } from '@dockwatch/collector';

describe('registrySamples', () => {
  it('equals parsing the exposition text, histograms and labelled counters included', async () => {
    const metrics = new SelfMetrics();
    metrics.gatherDuration.observe({ source: 'docker' }, 0.042);
    metrics.gatherDuration.observe({ source: 'prometheus' }, 3);
    metrics.statsErrors.inc({ reason: 'http_404' });
    metrics.pointsDropped.inc({ reason: 'shutdown' }, 7);
    metrics.countInputError('disk', 'read "quoted"\nline');
    metrics.trackedContainers = () => 12;
    metrics.statsSource = () => ({ source: 'cgroupfs', reason: 'host_trees_readable' });
    // Default process metrics change between two reads (CPU, memory, event loop): compare ours.
    const ours = (name: string) => name.startsWith('collector_');
    const fromText = parseExposition(await metrics.registry.metrics()).samples.filter((s) => ours(s.name));
    const fromValues = (await registrySamples(metrics.registry)).filter((s) => ours(s.name));
    expect(fromValues.length).toBeGreaterThan(30);
    expect(fromValues).toEqual(fromText);
  });
});
