// One test per fixture folder: adding a case is adding a folder. Expected outputs are
// file snapshots; after re-recording, `npx vitest run test/collector/derive -u` rewrites them
// and the diff is reviewed by hand.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FIXTURES_DIR,
  fixtureNames,
  fixturePoints,
  loadFixture,
  sortedLineProtocol,
} from './fixture-cases.js';

const names = fixtureNames();

describe('fixture folders', () => {
  it('include every required case', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'v1-burner',
        'v1-cpus-half',
        'v1-cpu-quota',
        'v1-shm-memory-limit',
        'v1-healthcheck',
        'v1-network-traffic',
        'v1-host-network',
        'v1-blkio-devices',
        'v1-no-memory-limit',
        'v1-first-sample',
        'v1-counter-reset',
        'v1-stopped',
        'v2-limits',
        'v2-first-sample-no-memory-limit',
      ]),
    );
  });

  it.each(names)('%s derives its expected.lp', async (name) => {
    const lines = sortedLineProtocol(fixturePoints(loadFixture(name)));
    await expect(lines).toMatchFileSnapshot(join(FIXTURES_DIR, name, 'expected.lp'));
  });
});
