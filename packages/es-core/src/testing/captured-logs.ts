import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../core/logging/logger';

/** A service logger whose lines are kept in memory, formatted exactly as on stdout, for a test to read. */
export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line written so far. */
  lines(): readonly string[];
}

export function captureLogs(service: string, level = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter((line) => line.length > 0));
      done();
    },
  });
  return { logger: createLogger(service, level, destination), lines: () => lines };
}

/** Each secret found in a log line, with the start of that line: what a test of clean logs expects to be empty. */
export function leaksOf(lines: readonly string[], secrets: readonly string[]): string[] {
  return lines.flatMap((line) => secrets.filter((secret) => line.includes(secret)).map((secret) => `${secret} in ${line.slice(0, 300)}`));
}
