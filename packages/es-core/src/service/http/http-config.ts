import { z } from 'zod';
import { isScope, type Scope } from './scopes';
import { durationMs, port } from '../../core/config/environment';

/** RFC 6750 token68: what a bearer token may contain (and so never `:` or `,`, the list separators). */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Below this a "token" is a placeholder, not a secret. */
const MIN_TOKEN_LENGTH = 8;

/**
 * AUTH_TOKENS = "token:scope1+scope2,token2:scope" (scopes read, write, admin; admin ⊇ write ⊇ read).
 * Empty or unset means no tokens: every protected route then answers 401. Messages name the entry by its
 * position and never quote it, because the entry holds a secret and start-up errors end up in logs.
 */
export const authTokens = z
  .string()
  .default('')
  .transform((value, ctx): ReadonlyMap<string, readonly Scope[]> => {
    const tokens = new Map<string, readonly Scope[]>();
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    entries.forEach((entry, index) => {
      const position = `entry ${index + 1}`;
      const parts = entry.split(':');
      if (parts.length !== 2) {
        ctx.addIssue({ code: 'custom', message: `${position}: expected token:scope1+scope2` });
        return;
      }
      const [token = '', scopeList = ''] = parts;
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
      tokens.set(token, scopes);
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
});

export type HttpConfig = z.infer<z.ZodObject<ReturnType<typeof httpConfigShape>>>;
