#!/usr/bin/env node
// `kvstore`: reads the environment, starts the service, stops it on SIGTERM/SIGINT.
import { createApp, start, stop } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { isCommitFailure, observeCommitFailure } from './store/commit-failure.js';

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write('kvstore: configured by KV_* environment variables; see kvstore/README.md\n');
    return;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kvstore: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = createApp(config);
  // The last line for failed LMDB commits (store/commit-failure.ts): the requests in that commit
  // were answered 500, and stray rejections lmdb-js leaves behind must not stop the service.
  // Any other unhandled rejection still ends the process, as Node does by default.
  process.on('unhandledRejection', (reason) => {
    if (!isCommitFailure(reason)) throw reason;
    observeCommitFailure(reason, (cause) => app.logger.error({ err: cause }, 'storage commit failed'));
  });
  const running = await start(app);
  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    stop(running).then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`kvstore: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
