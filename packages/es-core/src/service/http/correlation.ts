import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { parseTraceparent, type TraceContext } from './trace-context';

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/**
 * A caller's id is reused only if it is a short token of safe characters: it ends up in logs, headers and
 * event metadata, so anything that could forge a log line or bloat a row is replaced by a fresh UUID.
 */
const SANE_CORRELATION_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const CORRELATION_ID = 'correlationId';
const TRACE_CONTEXT = 'traceContext';

export function isSaneCorrelationId(value: string | undefined): value is string {
  return value !== undefined && SANE_CORRELATION_ID.test(value);
}

/** Reads or creates the correlation id, echoes it on the response, and parses `traceparent`. */
export function correlation(): RequestHandler {
  return (req, res, next) => {
    const offered = req.get(CORRELATION_ID_HEADER);
    const correlationId = isSaneCorrelationId(offered) ? offered : randomUUID();
    res.locals[CORRELATION_ID] = correlationId;
    res.setHeader(CORRELATION_ID_HEADER, correlationId);
    const traceContext = parseTraceparent(req.get('traceparent'));
    if (traceContext) res.locals[TRACE_CONTEXT] = traceContext;
    next();
  };
}

/** The request's correlation id, or undefined before the correlation middleware ran. */
export function findCorrelationId(res: Response): string | undefined {
  const value: unknown = res.locals[CORRELATION_ID];
  return typeof value === 'string' ? value : undefined;
}

/** The request's correlation id; throws when the correlation middleware is not mounted (a wiring bug). */
export function correlationIdOf(res: Response): string {
  const value = findCorrelationId(res);
  if (value === undefined) throw new Error('no correlation id: the correlation() middleware is not mounted');
  return value;
}

/** The caller's W3C trace context, when it sent a valid `traceparent`. */
export function traceContextOf(res: Response): TraceContext | undefined {
  const value: unknown = res.locals[TRACE_CONTEXT];
  return typeof value === 'object' && value !== null ? (value as TraceContext) : undefined;
}
