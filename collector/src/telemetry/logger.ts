import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON logs on stderr, so `--once` can keep stdout for line protocol. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'collector' } }, pino.destination(2));
}
