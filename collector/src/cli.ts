import { Collector } from './collector.js';
import { loadConfig } from './config/config.js';
import { ConfigError } from './config/config-error.js';
import { createHttpServer, listen } from './http/server.js';
import { runOnce } from './once.js';
import { createInfluxSink } from './sink/create-sink.js';
import { createLogger } from './telemetry/logger.js';
import { SelfMetrics } from './telemetry/self-metrics.js';

const USAGE = `usage: collector [--once]
  --once   gather once (two samples internally), print line protocol to stdout, exit
Configuration is read from the environment; see collector/README.md.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--once');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument: ${unknown.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const once = argv.includes('--once');
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, { requireSink: !once });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`collector: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  if (once) {
    await runOnce(config, process.stdout, { logger });
    return 0;
  }

  if (!config.influx) throw new Error('unreachable: loadConfig requires a sink for the daemon');
  const metrics = new SelfMetrics();
  const sink = createInfluxSink(config.influx, config, { metrics, logger });
  const collector = new Collector(config, { logger, metrics, sink });
  const server = createHttpServer(collector);
  const address = await listen(server, config.http.port, config.http.host);
  logger.info(
    {
      address,
      intervalMs: config.intervalMs,
      influx: config.influx.url,
      api: config.influx.api,
      rollups: config.rollups.resolutions.map((r) => `${r.name}:${r.retention}`),
    },
    'collector starting',
  );

  // First signal: stop gathering, flush, exit. Second signal: exit at once.
  let signalled = false;
  const done = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      signalled = true;
      logger.info({ signal }, 'shutting down');
      server.close();
      server.closeAllConnections();
      collector.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await sink.prepare();
  await collector.start();
  return done;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`collector: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
