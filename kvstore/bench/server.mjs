// A server for the benchmark, run as its own process so it does not share a core with the load
// generator. `node server.mjs ceiling` is a bare express handler answering a fixed string;
// `node server.mjs kvstore` is the real service from dist/ (build first) on a temp data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';

const mode = process.argv[2];

if (mode === 'ceiling') {
  const app = express();
  app.disable('x-powered-by');
  // `/…/1k` answers a fixed 1 KiB string (the size of a GET's value), anything else `ok`.
  const kibibyte = 'v'.repeat(1024);
  app.use((req, res) => {
    res.send(req.path.endsWith('/1k') ? kibibyte : 'ok');
  });
  const server = app.listen(0, '127.0.0.1', () => {
    server.keepAliveTimeout = 75_000;
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  });
} else if (mode === 'kvstore') {
  const { createApp, loadConfig, start, stop } = await import('../dist/index.js');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kvstore-bench-'));
  // The environment's KV_* settings apply (the bench sets KV_ACCESS_LOG for one row), with a
  // loopback port and a throwaway data directory. Logs go to /dev/null at the configured level
  // (default info, as in production): their cost is measured, their bytes are not kept.
  const config = loadConfig({
    ...process.env,
    KV_PORT: '0',
    KV_HOST: '127.0.0.1',
    KV_DATA_DIR: dataDir,
  });
  const logger = pino({ level: config.logLevel }, pino.destination('/dev/null'));
  const running = await start(createApp(config, { logger }));
  process.stdout.write(`${JSON.stringify({ port: running.port })}\n`);
  process.once('SIGTERM', async () => {
    await stop(running);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
} else {
  process.stderr.write('usage: node server.mjs ceiling|kvstore\n');
  process.exit(2);
}
