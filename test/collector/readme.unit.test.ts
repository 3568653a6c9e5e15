// The README's configuration table and self-metrics list must match the code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT, SelfMetrics } from '@dockwatch/collector';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../collector/README.md'), 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`## ${title}`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 3);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('collector README', () => {
  it('documents every environment variable, and no other', () => {
    const rows = [...section('Configuration').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    const secretFiles = ['INFLUX_TOKEN_FILE', 'INFLUX_PASSWORD_FILE'];
    expect(rows.sort()).toEqual([...Object.keys(ENVIRONMENT), ...secretFiles].sort());
  });

  it('documents every self-metric the collector serves', async () => {
    const metrics = new SelfMetrics();
    const own = (await metrics.registry.getMetricsAsJSON())
      .map((m) => m.name)
      .filter((name) => name.startsWith('collector_'));
    const documented = [...section('Self-observability').matchAll(/^\| `(collector_[a-z_]+)`/gm)].map(
      (m) => m[1],
    );
    expect(documented.sort()).toEqual(own.sort());
  });
});
