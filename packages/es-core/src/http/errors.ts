import { EventSourcingError } from '../errors/domain-errors';

/** Seconds a client should wait before retrying when an engine is down: long enough for a driver reconnect. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * An engine the request depends on (ScyllaDB, Redpanda, …) cannot serve it right now (HTTP 503 + Retry-After).
 * Services wrap outages they detect themselves in it; cassandra-driver outages are recognised without wrapping.
 */
export class EngineUnavailableError extends EventSourcingError {
  readonly status = 503;
  readonly retryAfterSeconds: number;
  constructor(
    readonly engine: string,
    options: { readonly retryAfterSeconds?: number; readonly cause?: unknown } = {},
  ) {
    super('engine-unavailable', `${engine} is temporarily unavailable; retry later`, { engine });
    this.retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** No bearer token, or one that matches no configured token (HTTP 401 + WWW-Authenticate). */
export class UnauthorizedError extends EventSourcingError {
  readonly status = 401;
  constructor(
    /** RFC 6750 §3 challenge, e.g. `Bearer realm="api", error="invalid_token"`. */
    readonly challenge: string,
    message = 'a valid bearer token is required',
  ) {
    super('unauthorized', message);
  }
}

/** The token is valid but lacks the scope the route needs (HTTP 403). */
export class ForbiddenError extends EventSourcingError {
  readonly status = 403;
  constructor(
    readonly requiredScope: string,
    readonly challenge: string,
  ) {
    super('forbidden', `this operation needs the '${requiredScope}' scope`, { requiredScope });
  }
}

/** A request body that is not `application/json` (HTTP 415). */
export class UnsupportedMediaTypeError extends EventSourcingError {
  readonly status = 415;
  constructor() {
    super('unsupported-media-type', 'request bodies must be sent as application/json', {
      accepted: ['application/json'],
    });
  }
}

/** No route matches the method and path (HTTP 404); distinct from a domain NotFoundError for an unknown aggregate. */
export class RouteNotFoundError extends EventSourcingError {
  readonly status = 404;
  constructor(method: string, path: string) {
    // The path is echoed for the caller's benefit, cut short so a huge URL is not reflected whole.
    super('route-not-found', `no route for ${method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}`);
  }
}
