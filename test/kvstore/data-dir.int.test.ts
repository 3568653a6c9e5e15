// KV_DATA_DIR is a directory whatever its name: a dot in it (/var/lib/kv.data, or any
// `mktemp -d` folder such as /tmp/tmp.AbC123) must not make LMDB take it for a file name.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startKvstore } from '../support/kvstore-app.js';

describe('kvstore data directory', () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'kvstore-datadir-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  for (const name of ['kv.data', 'tmp.AbC123']) {
    it(`opens "${name}" as a directory and keeps its data across a restart`, async () => {
      const dataDir = path.join(parent, name);
      const first = await startKvstore({}, { dataDir });
      try {
        const put = await first.api('/api/kv/dotted', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: '{"value":"kept"}',
        });
        expect(put.status).toBe(201);
      } finally {
        await first.close();
      }
      expect(statSync(dataDir).isDirectory()).toBe(true);
      expect(existsSync(path.join(dataDir, 'data.mdb'))).toBe(true);
      // Nothing was created beside it, as a file-named environment would be.
      expect(existsSync(`${dataDir}-lock`)).toBe(false);

      const second = await startKvstore({}, { dataDir });
      try {
        const res = await second.api('/api/kv/dotted');
        expect(res.status).toBe(200);
        expect((await res.json()).value).toBe('kept');
      } finally {
        await second.close();
      }
    });
  }
});
