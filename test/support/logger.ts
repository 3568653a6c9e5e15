import { Writable } from 'node:stream';
import { pino } from 'pino';

/** A pino logger that keeps each line it writes, parsed, so a test can read what was logged. */
export function memoryLogger(level: pino.Level = 'debug'): {
  logger: pino.Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}
