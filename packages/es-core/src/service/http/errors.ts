import { EventSourcingError } from '../../core/errors/domain-errors';

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
