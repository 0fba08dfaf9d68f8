import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/platform/logger.ts';

/** A real pino logger (with the production redaction) whose lines the test can read. */
export function captureLogs(level = 'debug'): { logger: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const logger = createLogger(level, stream);
  return { logger, lines, text: () => lines.join('') };
}
