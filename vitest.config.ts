import { defineConfig } from 'vitest/config';

// Two suites that can run separately:
//   unit        pure functions over recorded fixtures; no services; parallel
//   integration real Docker engine, real InfluxDB, real nginx/Chromium; files run one at a
//               time so CPU-accuracy tests are not disturbed by neighbours
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
          environment: 'node',
        },
      },
      {
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
