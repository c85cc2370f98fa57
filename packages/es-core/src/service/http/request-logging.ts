import type { RequestHandler, Response } from 'express';
import type { Logger } from '../../core/logging/logger';
import { correlationIdOf, traceContextOf } from './correlation';
import { routePatternOf } from './route-pattern';

const REQUEST_LOGGER = 'requestLogger';
const REQUEST_LOG_CONTEXT = 'requestLogContext';

interface RequestLogContext {
  readonly logger: Logger;
  readonly fields: Readonly<Record<string, string>>;
}

/** nginx's convention for "the client went away before the response was complete". */
export const CLIENT_CLOSED_REQUEST = 499;

/** Probes and scrapes arrive every few seconds; at info they would drown the real traffic. */
const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)$/;

/** Outcome of a response, read once the connection is done with it. */
export function finalStatusOf(res: Response): number {
  return res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST;
}

/**
 * Gives each request a child logger carrying correlation and trace ids, and logs one line when it ends.
 * Only the path is logged, never the query string or headers, which may carry secrets.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    // Taken now: mounted routers rewrite req.url (and so req.path) while they handle the request.
    const path = req.originalUrl.split('?')[0] ?? '/';
    const traceId = traceContextOf(res)?.traceId;
    const context: RequestLogContext = {
      logger,
      fields: { correlationId: correlationIdOf(res), ...(traceId === undefined ? {} : { traceId }) },
    };
    res.locals[REQUEST_LOG_CONTEXT] = context;
    res.once('close', () => {
      const status = finalStatusOf(res);
      const level = status >= 500 ? 'warn' : QUIET_PATHS.test(path) ? 'debug' : 'info';
      // Most requests end below the configured level: then no child logger and no entry are built at all.
      if (!logger.isLevelEnabled(level)) return;
      requestLoggerOf(res).log(level, 'request completed', {
        method: req.method,
        path,
        route: routePatternOf(req),
        status,
        durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
      });
    });
    next();
  };
}

/**
 * The request's child logger (correlation and trace ids included), made on first use; the fallback keeps
 * handlers total.
 */
export function requestLoggerOf(res: Response, fallback?: Logger): Logger {
  const made: unknown = res.locals[REQUEST_LOGGER];
  if (made !== undefined) return made as Logger;
  const context = res.locals[REQUEST_LOG_CONTEXT] as RequestLogContext | undefined;
  if (context !== undefined) {
    const child = context.logger.child(context.fields);
    res.locals[REQUEST_LOGGER] = child;
    return child;
  }
  if (fallback) return fallback;
  throw new Error('no request logger: the requestLogging() middleware is not mounted');
}
