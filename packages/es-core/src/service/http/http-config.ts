import { z } from 'zod';
import type { TokenGrant } from './auth';
import { isScope } from './scopes';
import { durationMs, port } from '../../core/config/environment';

/** RFC 6750 token68: what a bearer token may contain (and so never `:` or `,`, the list separators). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Below this a "token" is a placeholder, not a secret. */
const MIN_TOKEN_LENGTH = 8;

/** Who holds a token, as audit trails show it: short, without spaces, never mistaken for a token's shape. */
const PRINCIPAL_NAME = /^[A-Za-z][A-Za-z0-9._@-]{0,63}$/;

/**
 * AUTH_TOKENS = "name:token:scope1+scope2,token2:scope" (scopes read, write, admin; admin ⊇ write ⊇ read). The
 * name is who holds the token, as audit trails show it; an entry without one (the older form) is named by the
 * token's fingerprint. Empty or unset means no tokens: every protected route then answers 401. Messages name
 * the entry by its position and never quote it, because the entry holds a secret and start-up errors end up
 * in logs.
 */
export const authTokens = z
  .string()
  .default('')
  .transform((value, ctx): ReadonlyMap<string, TokenGrant> => {
    const tokens = new Map<string, TokenGrant>();
    const names = new Set<string>();
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    entries.forEach((entry, index) => {
      const position = `entry ${index + 1}`;
      const parts = entry.split(':');
      if (parts.length !== 2 && parts.length !== 3) {
        ctx.addIssue({ code: 'custom', message: `${position}: expected name:token:scope1+scope2 or token:scope1+scope2` });
        return;
      }
      const [name, token = '', scopeList = ''] = parts.length === 3 ? parts : [undefined, ...parts];
      if (name !== undefined && !PRINCIPAL_NAME.test(name)) {
        // Not echoed: with the parts in the wrong order, the "name" would be the secret.
        ctx.addIssue({ code: 'custom', message: `${position}: the name must be a letter then up to 63 of A-Z a-z 0-9 . _ @ -` });
        return;
      }
      if (!TOKEN68.test(token) || token.length < MIN_TOKEN_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          message: `${position}: the token must be ${MIN_TOKEN_LENGTH}+ characters of A-Z a-z 0-9 - . _ ~ + / (then =)`,
        });
        return;
      }
      const named = scopeList.split('+').map((scope) => scope.trim());
      const scopes = named.filter(isScope);
      if (scopes.length !== named.length) {
        // Not echoed either: with token and scopes swapped by mistake, the "scope" would be the secret.
        ctx.addIssue({ code: 'custom', message: `${position}: scopes must be read, write or admin, joined with +` });
        return;
      }
      if (tokens.has(token)) {
        ctx.addIssue({ code: 'custom', message: `${position}: the same token is listed twice` });
        return;
      }
      if (name !== undefined && names.has(name)) {
        ctx.addIssue({ code: 'custom', message: `${position}: the same name is given to two tokens` });
        return;
      }
      if (name !== undefined) names.add(name);
      tokens.set(token, name === undefined ? { scopes } : { name, scopes });
    });
    return tokens;
  });

const BYTE_SIZE = /^(\d+)\s*(b|kb|mb)?$/i;
const UNIT_BYTES: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 * 1024 };
const MAX_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** "65536", "64kb" or "1mb" → bytes, capped so a typo cannot let a client stream gigabytes into memory. */
export const byteSize = (defaultBytes: number) =>
  z
    .union([z.number(), z.string()])
    .default(defaultBytes)
    .transform((value, ctx) => {
      const match = BYTE_SIZE.exec(String(value).trim());
      const bytes = match ? Number(match[1]) * (UNIT_BYTES[(match[2] ?? 'b').toLowerCase()] ?? 1) : Number.NaN;
      if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_BODY_LIMIT_BYTES) {
        ctx.addIssue({ code: 'custom', message: 'expected a size such as 65536, 64kb or 1mb, from 1 byte to 16mb' });
        return z.NEVER;
      }
      return bytes;
    });

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** What a slow or greedy client may hold of a server; see `serverLimitsOf`. */
export interface ServerLimits {
  /** The whole header block must arrive within this (a slow-headers client is cut, 408). */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (a slow-body client is cut, 408). */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Headers beyond this many are dropped; Node's own 16 KiB cap on their size applies too (431). */
  readonly maxHeadersCount: number;
  /** Connections beyond this many are closed as they arrive, so a flood cannot exhaust memory or descriptors. */
  readonly maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeadersCount: 100,
  maxConnections: 1_000,
};

const positiveMs = (defaultValue: number) => z.coerce.number().int().min(100).max(600_000).default(defaultValue);

/**
 * Settings of every HTTP service. PORT's default differs per service, hence a function:
 * `loadConfig({ ...cqlConfigShape, ...httpConfigShape(3000) })`.
 */
export const httpConfigShape = (defaultPort: number) => ({
  PORT: port(defaultPort),
  AUTH_TOKENS: authTokens,
  HTTP_BODY_LIMIT: byteSize(DEFAULT_BODY_LIMIT_BYTES),
  /** Must stay below the orchestrator's grace period (Kubernetes: 30 s) or the process is killed mid-drain. */
  SHUTDOWN_TIMEOUT_MS: durationMs(DEFAULT_SHUTDOWN_TIMEOUT_MS),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug', 'silent']).default('info'),
  HTTP_HEADERS_TIMEOUT_MS: positiveMs(DEFAULT_SERVER_LIMITS.headersTimeoutMs),
  HTTP_REQUEST_TIMEOUT_MS: positiveMs(DEFAULT_SERVER_LIMITS.requestTimeoutMs),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveMs(DEFAULT_SERVER_LIMITS.keepAliveTimeoutMs),
  HTTP_MAX_HEADERS_COUNT: z.coerce.number().int().min(10).max(2_000).default(DEFAULT_SERVER_LIMITS.maxHeadersCount),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(10).max(100_000).default(DEFAULT_SERVER_LIMITS.maxConnections),
});

/** The limits of an HTTP server, from its settings. Node needs the header deadline within the request's. */
export const serverLimitsOf = (config: HttpConfig): ServerLimits => ({
  headersTimeoutMs: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
  requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
  maxHeadersCount: config.HTTP_MAX_HEADERS_COUNT,
  maxConnections: config.HTTP_MAX_CONNECTIONS,
});

export type HttpConfig = z.infer<z.ZodObject<ReturnType<typeof httpConfigShape>>>;
