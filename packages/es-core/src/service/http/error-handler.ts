import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../../core/logging/logger';
import { findCorrelationId } from './correlation';
import { RouteNotFoundError } from './errors';
import { problemFromError, sendProblem } from './problem-details';
import { markUnmatched } from './route-pattern';
import { requestLoggerOf } from './request-logging';

const pathOf = (req: Request): string => req.originalUrl.split('?')[0] ?? '/';

/** Error objects lose message and stack in JSON logs (they are not enumerable), so they are spelled out. */
export function errorLogFields(error: unknown): Readonly<Record<string, unknown>> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code: unknown = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    stack: error.stack,
    ...(error.cause === undefined ? {} : { cause: errorLogFields(error.cause) }),
  };
}

/** Last route: nothing matched the method and path. */
export function routeNotFound(): RequestHandler {
  return (req, _res, next) => {
    markUnmatched(req);
    next(new RouteNotFoundError(req.method, pathOf(req)));
  };
}

/**
 * Last middleware: every error becomes `application/problem+json` with the correlation id. Unexpected
 * errors are logged in full here and answered with a generic 500, so nothing internal reaches the client.
 */
export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const log = requestLoggerOf(res, logger);
    if (res.headersSent) {
      // Too late for a problem body: let express abort the connection so the client sees a failure.
      log.error('error after the response started', { error: errorLogFields(error) });
      next(error);
      return;
    }
    const response = problemFromError(error, { instance: pathOf(req), method: req.method });
    const { status, type } = response.problem;
    if (response.fault === 'internal') log.error('request failed', { status, error: errorLogFields(error) });
    else if (response.fault === 'unavailable') log.warn('engine unavailable', { status, error: errorLogFields(error) });
    else log.info('request rejected', { status, problemType: type });
    const correlationId = findCorrelationId(res);
    sendProblem(res, response, correlationId === undefined ? {} : { correlationId });
  };
}
