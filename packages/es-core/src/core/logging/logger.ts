import type { Writable } from 'node:stream';
import winston from 'winston';

export type Logger = winston.Logger;

const SECRET_KEYS = /pass(word)?|secret|token|authorization|api[-_]?key/i;

/** Replaces the value of any field whose name looks secret, at any depth, so no log line leaks one. */
const redactSecrets = winston.format((info) => {
  const redact = (value: unknown, depth: number): unknown => {
    if (depth > 4 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEYS.test(key) ? '[redacted]' : redact(inner, depth + 1)]),
    );
  };
  for (const [key, value] of Object.entries(info)) {
    info[key] = SECRET_KEYS.test(key) ? '[redacted]' : redact(value, 0);
  }
  return info;
});

/**
 * JSON lines on stdout (or `destination`) with the service name on every line; child loggers add correlation and
 * trace ids. Level `silent` writes nothing (tests).
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: Writable): Logger {
  return winston.createLogger({
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    defaultMeta: { service },
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      redactSecrets(),
      winston.format.timestamp(),
      winston.format.json(),
    ),
    transports: [destination ? new winston.transports.Stream({ stream: destination }) : new winston.transports.Console()],
  });
}
