import { errors as cassandraErrors, types as cassandraTypes } from 'cassandra-driver';
import { z } from 'zod';
import { EventSourcingError, RuleViolationError } from '../../core/errors/domain-errors';
import { ConcurrencyConflictError } from '../../core/errors/store-errors';
import { engineOutageOf } from '../../cql/engine-errors';
import { EngineUnavailableError } from '../../core/errors/engine-unavailable';
import { WriteOutcomeUnknownError } from '../../core/errors/write-outcome-unknown';
import { PROBLEM_TYPE_BASE, createProblem, problemFromError } from './problem-details';

describe('problemFromError', () => {
  it('maps a typed error to its status, slug and details', () => {
    const { problem: body, fault } = problemFromError(new ConcurrencyConflictError('o-1', 2, 3), { instance: '/orders/o-1' });
    expect(body).toEqual({
      type: `${PROBLEM_TYPE_BASE}concurrency-conflict`,
      title: 'Concurrency conflict',
      status: 409,
      detail: 'aggregate o-1 is at version 3, not the expected 2',
      instance: '/orders/o-1',
      expectedVersion: 2,
      actualVersion: 3,
    });
    expect(fault).toBe('client');
  });

  it('treats a typed error choosing a 5xx other than 500 as a deliberate answer, not a bug', () => {
    class NotBuiltError extends EventSourcingError {
      readonly status = 501;
    }
    class BrokenError extends EventSourcingError {
      readonly status = 500;
    }
    expect(problemFromError(new NotBuiltError('not-built', 'not built'))).toMatchObject({ problem: { status: 501 }, fault: 'client' });
    expect(problemFromError(new BrokenError('broken', 'broken'))).toMatchObject({ problem: { status: 500 }, fault: 'internal' });
  });

  it('never lets details overwrite the standard members', () => {
    const error = new RuleViolationError('rule', 'message', { status: 200, type: 'x', title: 't', extra: 1 });
    expect(problemFromError(error).problem).toMatchObject({ status: 409, type: `${PROBLEM_TYPE_BASE}rule`, extra: 1 });
    expect(createProblem({ slug: 's', status: 400, detail: 'd', extensions: { detail: 'other' } }).detail).toBe('d');
  });

  it('maps a ZodError to 400 validation-failed with path, message and code only', () => {
    const result = z.object({ email: z.email() }).safeParse({ email: 'nope' });
    if (result.success) throw new Error('expected a failure');
    const { problem: body } = problemFromError(result.error);
    expect(body.status).toBe(400);
    expect(body.issues).toEqual([{ path: ['email'], message: expect.any(String), code: 'invalid_format' }]);
  });

  it.each([
    ['entity.parse.failed', 400, 400, 'malformed-json'],
    ['entity.too.large', 413, 413, 'payload-too-large'],
    ['charset.unsupported', 415, 415, 'unsupported-media-type'],
    ['encoding.unsupported', 415, 415, 'unsupported-media-type'],
    ['request.aborted', 400, 400, 'bad-request'],
  ])('maps body-parser %s to %i', (type, libraryStatus, status, slug) => {
    const error = Object.assign(new Error('raw library message'), { type, status: libraryStatus, expose: false });
    const { problem: body } = problemFromError(error);
    expect(body).toMatchObject({ status, type: `${PROBLEM_TYPE_BASE}${slug}` });
    expect(body.detail).not.toContain('raw library message');
  });

  it('maps an http-errors 5xx like any unknown error', () => {
    const error = Object.assign(new Error('socket hang up'), { status: 502, expose: false });
    expect(problemFromError(error)).toMatchObject({ problem: { status: 500 }, fault: 'internal' });
  });

  it.each([
    ['NoHostAvailableError', new cassandraErrors.NoHostAvailableError({})],
    ['OperationTimedOutError', new cassandraErrors.OperationTimedOutError('timed out', '10.0.0.1:9042')],
    ['Unavailable', new cassandraErrors.ResponseError(cassandraTypes.responseErrorCodes.unavailableException, 'x')],
    ['WriteTimeout', new cassandraErrors.ResponseError(cassandraTypes.responseErrorCodes.writeTimeout, 'x')],
    ['ReadTimeout', new cassandraErrors.ResponseError(cassandraTypes.responseErrorCodes.readTimeout, 'x')],
    ['Overloaded', new cassandraErrors.ResponseError(cassandraTypes.responseErrorCodes.overloaded, 'x')],
  ])('maps the driver error %s to 503 + Retry-After', (_name, error) => {
    const response = problemFromError(error);
    expect(response).toMatchObject({ problem: { status: 503 }, headers: { 'Retry-After': '5' }, fault: 'unavailable' });
  });

  it('recognises a driver error from another copy of the driver by its name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'ResponseError', code: 0x1200 });
    expect(engineOutageOf(foreign)).toEqual({ engine: 'database', kind: 'unavailable' });
    expect(engineOutageOf(Object.assign(new Error('x'), { name: 'NoHostAvailableError' }))).toBeDefined();
  });

  it('treats a permanent driver error (syntax, invalid query) as internal', () => {
    const error = new cassandraErrors.ResponseError(cassandraTypes.responseErrorCodes.syntaxError, 'line 1:7 no viable');
    expect(problemFromError(error)).toMatchObject({ problem: { status: 500 }, fault: 'internal' });
    expect(JSON.stringify(problemFromError(error))).not.toContain('viable');
  });

  /** What the driver hands back when a connection dies with requests on it (see its Connection). */
  const socketClosed = (written: boolean) =>
    Object.assign(Object.assign(new Error('Socket was closed'), { name: 'DriverError' }), { isSocketError: true, ...(written ? {} : { requestNotWritten: true }) });

  it('answers a write whose connection died after it was sent with write-outcome-unknown: 503, Retry-After, same key', () => {
    for (const error of [
      socketClosed(true),
      new cassandraErrors.OperationTimedOutError('timed out', '10.0.0.1:9042'),
      new cassandraErrors.ResponseError(cassandraTypes.responseErrorCodes.writeTimeout, 'x'),
      new Error('append failed', { cause: socketClosed(true) }),
    ]) {
      const { problem, headers, fault } = problemFromError(error, { method: 'POST', instance: '/orders' });
      expect(problem).toMatchObject({
        type: `${PROBLEM_TYPE_BASE}write-outcome-unknown`,
        status: 503,
        engine: 'database',
        retryWithSameIdempotencyKey: true,
        detail: expect.stringContaining('same Idempotency-Key'),
      });
      expect(headers).toEqual({ 'Retry-After': '5' });
      expect(fault).toBe('unavailable');
    }
  });

  it('answers the same failures on a read, or before the request was sent, as engine-unavailable', () => {
    expect(problemFromError(socketClosed(true), { method: 'GET' }).problem.type).toBe(`${PROBLEM_TYPE_BASE}engine-unavailable`);
    expect(problemFromError(socketClosed(false), { method: 'POST' }).problem.type).toBe(`${PROBLEM_TYPE_BASE}engine-unavailable`);
    const busy = Object.assign(new Error('all connections busy'), { name: 'BusyConnectionError' });
    expect(problemFromError(busy, { method: 'PUT' })).toMatchObject({ problem: { status: 503, engine: 'database' }, fault: 'unavailable' });
  });

  it('recognises Kafka failures by kafkajs\'s own retriable flag, through an exhausted retry', () => {
    const kafkaError = (name: string, retriable: boolean, cause?: unknown) =>
      Object.assign(new Error('broker'), { name, retriable, ...(cause === undefined ? {} : { cause }) });
    for (const error of [
      kafkaError('KafkaJSConnectionError', true),
      kafkaError('KafkaJSRequestTimeoutError', true),
      kafkaError('KafkaJSNumberOfRetriesExceeded', false, kafkaError('KafkaJSProtocolError', true)),
    ]) {
      expect(problemFromError(error, { method: 'POST' })).toMatchObject({
        problem: { type: `${PROBLEM_TYPE_BASE}engine-unavailable`, status: 503, engine: 'kafka' },
        headers: { 'Retry-After': '5' },
      });
    }
    // Not retriable (authorisation, a bad request): an operator's or a programmer's problem, not an outage.
    expect(problemFromError(kafkaError('KafkaJSProtocolError', false), { method: 'POST' }).problem.status).toBe(500);
  });

  it("uses the WriteOutcomeUnknownError's own Retry-After", () => {
    const response = problemFromError(new WriteOutcomeUnknownError('database', { retryAfterSeconds: 30 }));
    expect(response).toMatchObject({ problem: { status: 503, type: `${PROBLEM_TYPE_BASE}write-outcome-unknown` }, headers: { 'Retry-After': '30' } });
  });

  it("uses the EngineUnavailableError's own Retry-After", () => {
    const response = problemFromError(new EngineUnavailableError('kafka', { retryAfterSeconds: 30 }));
    expect(response).toMatchObject({ problem: { status: 503, engine: 'kafka' }, headers: { 'Retry-After': '30' } });
  });

  it('answers anything unknown with a generic 500', () => {
    for (const thrown of [new TypeError('x is undefined'), 'a string', { weird: true }, undefined]) {
      const { problem: body, fault } = problemFromError(thrown);
      expect(body).toEqual({
        type: `${PROBLEM_TYPE_BASE}internal-error`,
        title: 'Internal server error',
        status: 500,
        detail: expect.not.stringContaining('undefined'),
      });
      expect(fault).toBe('internal');
    }
  });
});
