import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (file: string) => fileURLToPath(new URL(file, import.meta.url));

// Tests import the workspaces as their users do, by package name, but run their sources: no
// build step between an edit and a test run. (test/tsconfig.json maps the types the same way.)
const resolve = {
  alias: [
    { find: /^@dockwatch\/collector$/, replacement: source('./collector/src/index.ts') },
    { find: /^@dockwatch\/grafana$/, replacement: source('./grafana/src/index.ts') },
    { find: /^@dockwatch\/kvstore$/, replacement: source('./kvstore/src/index.ts') },
    { find: /^@dockwatch\/kvstore\/console\/i18n$/, replacement: source('./kvstore/public/i18n.js') },
  ],
};

// Two suites that can run separately:
//   unit        pure functions over recorded fixtures; no services; parallel
//   integration real Docker engine, real InfluxDB, real nginx/Chromium; files run one at a
//               time so CPU-accuracy tests are not disturbed by neighbours
export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // expect.poll's 1 s default is shorter than one scrypt login on a loaded 2-core
          // machine; the value checked is the same, it may just take longer to appear.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
