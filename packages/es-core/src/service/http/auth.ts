import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from './errors';
import { expandScopes, isScope, type Scope } from './scopes';

/** Who made the request: a fingerprint of the token (never the token), a name, and its effective scopes. */
export interface Principal {
  readonly id: string;
  /** The name AUTH_TOKENS gave the token (`name:token:scopes`), else the fingerprint: what audit trails show. */
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
}

/** What one configured token grants, and to whom. */
export interface TokenGrant {
  readonly scopes: readonly Scope[];
  /** Who holds the token; unnamed tokens are named by their fingerprint. */
  readonly name?: string;
}

export interface BearerAuthOptions {
  /** token → its grant (or just its scopes), as parsed from AUTH_TOKENS. */
  readonly tokens: ReadonlyMap<string, TokenGrant | readonly Scope[]>;
  /** Realm announced in `WWW-Authenticate`. */
  readonly realm?: string;
}

export interface BearerAuth {
  /** The principal for an `Authorization` header value, or undefined when it carries no known token. */
  authenticate(authorization: string | undefined): Principal | undefined;
  /** 401 without a valid token, 403 without the scope; on success the principal is on `res.locals`. */
  requireScope(scope: Scope): RequestHandler;
}

const PRINCIPAL = 'principal';
const REQUIRED_SCOPE = Symbol('requiredScope');

/** The scope a handler made by `requireScope` demands; undefined for any other handler. */
export function requiredScopeOf(handler: unknown): Scope | undefined {
  if (typeof handler !== 'function') return undefined;
  const scope: unknown = (handler as unknown as Record<symbol, unknown>)[REQUIRED_SCOPE];
  return typeof scope === 'string' && isScope(scope) ? scope : undefined;
}

// RFC 6750 §2.1: "Bearer" (any case), one space, then a token68.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Quoted-string for a challenge parameter; the realm comes from configuration, not from requests. */
const quoted = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

interface ConfiguredToken {
  readonly digest: Buffer;
  readonly principal: Principal;
}

/**
 * Bearer-token authentication against tokens from configuration. Tokens are compared as SHA-256 digests
 * with timingSafeEqual: equal lengths whatever the input, and no early exit that would time a guess.
 */
export function createBearerAuth(options: BearerAuthOptions): BearerAuth {
  const realm = options.realm ?? 'scylla-es';
  const configured: ConfiguredToken[] = Array.from(options.tokens, ([token, granted]) => {
    const grant: TokenGrant = isScopeList(granted) ? { scopes: granted } : granted;
    const digest = sha256(token);
    // A short digest prefix names the caller in logs and audit trails without revealing the token.
    const id = `token:${digest.toString('hex').slice(0, 12)}`;
    return { digest, principal: { id, name: grant.name ?? id, scopes: expandScopes(grant.scopes) } };
  });

  const authenticate = (authorization: string | undefined): Principal | undefined => {
    const match = authorization === undefined ? null : BEARER.exec(authorization);
    if (!match?.[1]) return undefined;
    const presented = sha256(match[1]);
    let found: Principal | undefined;
    // Every configured token is compared so the time taken does not depend on which one matched.
    for (const candidate of configured) {
      if (timingSafeEqual(presented, candidate.digest)) found = candidate.principal;
    }
    return found;
  };

  const requireScope = (scope: Scope): RequestHandler => {
    const guard: RequestHandler = (req, res, next) => {
      const authorization = req.get('authorization');
      const principal = authenticate(authorization);
      if (!principal) {
        // RFC 6750 §3.1: no error code when no credentials were sent at all.
        const challenge =
          authorization === undefined
            ? `Bearer realm=${quoted(realm)}`
            : `Bearer realm=${quoted(realm)}, error="invalid_token"`;
        next(new UnauthorizedError(challenge));
        return;
      }
      if (!principal.scopes.has(scope)) {
        next(new ForbiddenError(scope, `Bearer realm=${quoted(realm)}, error="insufficient_scope", scope="${scope}"`));
        return;
      }
      res.locals[PRINCIPAL] = principal;
      next();
    };
    // Readable from the mounted route, so a route table (and the test that walks it) knows what each route needs.
    Object.defineProperty(guard, REQUIRED_SCOPE, { value: scope });
    return guard;
  };

  return { authenticate, requireScope };
}

const isScopeList = (granted: TokenGrant | readonly Scope[]): granted is readonly Scope[] => Array.isArray(granted);

/** The authenticated caller, set by requireScope; undefined on open routes. */
export function principalOf(res: Response): Principal | undefined {
  const value: unknown = res.locals[PRINCIPAL];
  return typeof value === 'object' && value !== null ? (value as Principal) : undefined;
}
