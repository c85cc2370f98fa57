import { Writable } from 'node:stream';
import { errors as cassandraErrors, types as cassandraTypes } from 'cassandra-driver';
import express from 'express';
import request from 'supertest';
import winston from 'winston';
import { z } from 'zod';
import { NotFoundError, RuleViolationError, UnprocessableReferenceError } from '../../core/errors/domain-errors';
import { HealthRegistry } from '../observability/health';
import { createMetrics } from '../observability/metrics';
import { PreconditionFailedError } from '../../core/errors/store-errors';
import { createHttpApp } from './app';
import { createBearerAuth, principalOf } from './auth';
import { correlationIdOf, traceContextOf } from './correlation';
import { EngineUnavailableError } from '../../core/errors/engine-unavailable';
import { etagFor, parseIfMatch } from './etag';
import { PROBLEM_TYPE_BASE } from './problem-details';
import { parseBody, parseParams } from './validate';

const TOKENS = {
  reader: 'reader-token-0123456789',
  writer: 'writer-token-0123456789',
  admin: 'admin-token-0123456789',
};

/** A logger whose JSON lines are kept for assertions. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = winston.createLogger({
    level: 'debug',
    defaultMeta: { service: 'test-service' },
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  return { logger, lines };
}

const orderId = z.object({ id: z.string().regex(/^[a-z0-9-]+$/) });
const placeOrder = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() });

function buildApp() {
  const { logger, lines } = capturingLogger();
  const metrics = createMetrics('test-service', { collectDefaultMetrics: false });
  const health = new HealthRegistry(logger);
  let databaseUp = true;
  health.register('database', async () => {
    if (!databaseUp) throw new cassandraErrors.NoHostAvailableError({ '10.0.0.5:9042': new Error('refused') });
  });
  const auth = createBearerAuth({
    realm: 'test-service',
    tokens: new Map([
      [TOKENS.reader, ['read'] as const],
      [TOKENS.writer, ['write'] as const],
      [TOKENS.admin, ['admin'] as const],
    ]),
  });
  const app = createHttpApp({ service: 'test-service', logger, metrics, health, auth, bodyLimit: 1024 }, (app, { auth }) => {
    const orders = express.Router();
    orders.get('/:id', auth.requireScope('read'), (req, res) => {
      const { id } = parseParams(orderId, req);
      if (id === 'missing') throw new NotFoundError('order-not-found', `order ${id} does not exist`, { orderId: id });
      res.setHeader('ETag', etagFor(3));
      res.json({ id, correlationId: correlationIdOf(res), traceId: traceContextOf(res)?.traceId ?? null });
    });
    orders.post('/', auth.requireScope('write'), (req, res) => {
      const command = parseBody(placeOrder, req);
      res.status(201).json({ ...command, by: principalOf(res)?.id });
    });
    orders.post('/:id/ship', auth.requireScope('write'), async () => {
      await Promise.resolve();
      throw new RuleViolationError('order-already-shipped', 'the order has already shipped', { orderId: 'o-1' });
    });
    orders.post('/:id/cancel', auth.requireScope('write'), (req, res) => {
      const expected = parseIfMatch(req.get('if-match'));
      if (expected !== undefined && expected !== 3) throw new PreconditionFailedError('o-1', expected, 3);
      res.status(204).end();
    });
    orders.post('/:id/assign', auth.requireScope('write'), () => {
      throw new UnprocessableReferenceError('customer-inactive', 'the customer is not active', { customerId: 'c-9' });
    });
    orders.delete('/:id', auth.requireScope('admin'), (_req, res) => {
      res.status(204).end();
    });
    app.use('/orders', orders);
    app.get('/failures/bug', () => {
      throw new Error('connection string postgres://admin:hunter2@db failed');
    });
    app.get('/failures/engine', () => {
      throw new EngineUnavailableError('kafka', { retryAfterSeconds: 7 });
    });
    app.get('/failures/no-host', () => {
      throw new cassandraErrors.NoHostAvailableError({ '10.0.0.5:9042': new Error('ECONNREFUSED') });
    });
    app.get('/failures/write-timeout', () => {
      throw new cassandraErrors.ResponseError(cassandraTypes.responseErrorCodes.writeTimeout, 'Operation timed out');
    });
    app.get('/failures/wrapped', () => {
      throw new Error('append failed', { cause: new cassandraErrors.OperationTimedOutError('timed out', '10.0.0.5') });
    });
  });
  return {
    app,
    lines,
    metrics,
    setDatabaseUp: (up: boolean) => {
      databaseUp = up;
    },
  };
}

const bearer = (token: string) => `Bearer ${token}`;

function expectProblem(response: request.Response, status: number, slug: string): Record<string, unknown> {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.text) as Record<string, unknown>;
  expect(body).toMatchObject({ type: `${PROBLEM_TYPE_BASE}${slug}`, status });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.correlationId).toBe(response.headers['x-correlation-id']);
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at /);
  return body;
}

describe('createHttpApp', () => {
  describe('success paths', () => {
    it('serves a guarded route with the version as ETag', async () => {
      const { app } = buildApp();
      const response = await request(app).get('/orders/o-1').set('Authorization', bearer(TOKENS.reader));
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"3"');
      expect(response.body).toMatchObject({ id: 'o-1' });
    });

    it('lets admin do what write and read may (admin ⊇ write ⊇ read)', async () => {
      const { app } = buildApp();
      const response = await request(app)
        .post('/orders')
        .set('Authorization', bearer(TOKENS.admin))
        .send({ sku: 'sku-1', quantity: 2 });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ sku: 'sku-1', quantity: 2, by: expect.stringMatching(/^token:[0-9a-f]{12}$/) });
    });

    it('accepts an action POST without a body and without a content type', async () => {
      const { app } = buildApp();
      const response = await request(app).post('/orders/o-1/cancel').set('Authorization', bearer(TOKENS.writer));
      expect(response.status).toBe(204);
    });
  });

  describe('problem details for every status', () => {
    it('400 with the zod issues, located in the body', async () => {
      const { app } = buildApp();
      const response = await request(app)
        .post('/orders')
        .set('Authorization', bearer(TOKENS.writer))
        .send({ sku: '', quantity: -1 });
      const body = expectProblem(response, 400, 'validation-failed');
      expect(body.issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: ['body', 'sku'], code: 'too_small', message: expect.any(String) }),
          expect.objectContaining({ path: ['body', 'quantity'], code: 'too_small' }),
        ]),
      );
    });

    it('400 for invalid path parameters', async () => {
      const { app } = buildApp();
      const response = await request(app).get('/orders/NOT_VALID').set('Authorization', bearer(TOKENS.reader));
      const body = expectProblem(response, 400, 'validation-failed');
      expect(body.issues).toEqual([expect.objectContaining({ path: ['params', 'id'], code: 'invalid_format' })]);
    });

    it('400 malformed-json for a body that does not parse', async () => {
      const { app } = buildApp();
      const response = await request(app)
        .post('/orders')
        .set('Authorization', bearer(TOKENS.writer))
        .set('Content-Type', 'application/json')
        .send('{"sku": ');
      expectProblem(response, 400, 'malformed-json');
    });

    it('400 invalid-if-match for an If-Match that is not a version tag', async () => {
      const { app } = buildApp();
      const response = await request(app)
        .post('/orders/o-1/cancel')
        .set('Authorization', bearer(TOKENS.writer))
        .set('If-Match', 'three');
      expectProblem(response, 400, 'invalid-if-match');
    });

    it('401 with a bare Bearer challenge when no token is sent', async () => {
      const { app } = buildApp();
      const response = await request(app).get('/orders/o-1');
      expectProblem(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="test-service"');
    });

    it('401 invalid_token for an unknown token or another scheme', async () => {
      const { app } = buildApp();
      for (const authorization of [bearer('not-a-configured-token'), `Basic ${TOKENS.admin}`, 'Bearer']) {
        const response = await request(app).get('/orders/o-1').set('Authorization', authorization);
        expectProblem(response, 401, 'unauthorized');
        expect(response.headers['www-authenticate']).toBe('Bearer realm="test-service", error="invalid_token"');
      }
    });

    it('403 when the token lacks the scope', async () => {
      const { app } = buildApp();
      const write = await request(app).post('/orders').set('Authorization', bearer(TOKENS.reader)).send({});
      const body = expectProblem(write, 403, 'forbidden');
      expect(body.requiredScope).toBe('write');
      expect(write.headers['www-authenticate']).toContain('error="insufficient_scope", scope="write"');
      const admin = await request(app).delete('/orders/o-1').set('Authorization', bearer(TOKENS.writer));
      expectProblem(admin, 403, 'forbidden');
    });

    it('404 route-not-found for an unknown route', async () => {
      const { app } = buildApp();
      const response = await request(app).get('/nowhere?x=1');
      const body = expectProblem(response, 404, 'route-not-found');
      expect(body.instance).toBe('/nowhere');
    });

    it("404 with the domain's slug for an unknown aggregate", async () => {
      const { app } = buildApp();
      const response = await request(app).get('/orders/missing').set('Authorization', bearer(TOKENS.reader));
      const body = expectProblem(response, 404, 'order-not-found');
      expect(body.orderId).toBe('missing');
    });

    it('409 from a RuleViolationError thrown by an async handler, details as extensions', async () => {
      const { app } = buildApp();
      const response = await request(app).post('/orders/o-1/ship').set('Authorization', bearer(TOKENS.writer));
      const body = expectProblem(response, 409, 'order-already-shipped');
      expect(body).toMatchObject({ title: 'Order already shipped', orderId: 'o-1', instance: '/orders/o-1/ship' });
    });

    it('412 when If-Match names another version; weak tags are read as versions', async () => {
      const { app } = buildApp();
      const response = await request(app)
        .post('/orders/o-1/cancel')
        .set('Authorization', bearer(TOKENS.writer))
        .set('If-Match', 'W/"2"');
      const body = expectProblem(response, 412, 'precondition-failed');
      expect(body).toMatchObject({ expectedVersion: 2, actualVersion: 3 });
    });

    it('413 payload-too-large for a body over the limit', async () => {
      const { app } = buildApp();
      const response = await request(app)
        .post('/orders')
        .set('Authorization', bearer(TOKENS.writer))
        .send({ sku: 'x'.repeat(2048), quantity: 1 });
      const body = expectProblem(response, 413, 'payload-too-large');
      expect(body.limitBytes).toBe(1024);
    });

    it('415 unsupported-media-type for a text/plain body', async () => {
      const { app } = buildApp();
      const response = await request(app)
        .post('/orders')
        .set('Authorization', bearer(TOKENS.writer))
        .set('Content-Type', 'text/plain')
        .send('sku=1');
      expectProblem(response, 415, 'unsupported-media-type');
    });

    it('422 from an UnprocessableReferenceError', async () => {
      const { app } = buildApp();
      const response = await request(app).post('/orders/o-1/assign').set('Authorization', bearer(TOKENS.writer));
      const body = expectProblem(response, 422, 'customer-inactive');
      expect(body.customerId).toBe('c-9');
    });

    it('503 + Retry-After from an EngineUnavailableError', async () => {
      const { app } = buildApp();
      const response = await request(app).get('/failures/engine');
      const body = expectProblem(response, 503, 'engine-unavailable');
      expect(response.headers['retry-after']).toBe('7');
      expect(body.engine).toBe('kafka');
    });

    it.each([
      ['a NoHostAvailableError', '/failures/no-host'],
      ['a server WriteTimeout', '/failures/write-timeout'],
      ['a driver timeout wrapped as a cause', '/failures/wrapped'],
    ])('503 + Retry-After from %s, without the driver message', async (_name, path) => {
      const { app } = buildApp();
      const response = await request(app).get(path);
      expectProblem(response, 503, 'engine-unavailable');
      expect(response.headers['retry-after']).toBe('5');
      expect(response.text).not.toContain('10.0.0.5');
      expect(response.text).not.toMatch(/timed out|ECONNREFUSED/i);
    });

    it('500 internal-error that leaks neither message nor stack, and logs both', async () => {
      const { app, lines } = buildApp();
      const response = await request(app).get('/failures/bug');
      const body = expectProblem(response, 500, 'internal-error');
      expect(response.text).not.toContain('hunter2');
      expect(response.text).not.toContain('postgres');
      expect(Object.keys(body).sort()).toEqual(['correlationId', 'detail', 'instance', 'status', 'title', 'type']);
      const logged = lines.find((line) => line.message === 'request failed');
      expect(logged).toMatchObject({ correlationId: body.correlationId, status: 500 });
      expect(JSON.stringify(logged)).toContain('app.spec.ts');
    });
  });

  describe('correlation and trace context', () => {
    it('generates a UUID when the caller sends none', async () => {
      const { app } = buildApp();
      const response = await request(app).get('/health/live');
      expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("echoes a sane caller id and exposes it and the traceparent's trace id to handlers and logs", async () => {
      const { app, lines } = buildApp();
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const response = await request(app)
        .get('/orders/o-1')
        .set('Authorization', bearer(TOKENS.reader))
        .set('X-Correlation-Id', 'client-req_42')
        .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
      expect(response.headers['x-correlation-id']).toBe('client-req_42');
      expect(response.body).toMatchObject({ correlationId: 'client-req_42', traceId });
      expect(lines.find((line) => line.message === 'request completed')).toMatchObject({
        correlationId: 'client-req_42',
        traceId,
        route: '/orders/:id',
        status: 200,
      });
    });

    it('replaces an id that is too long or carries unsafe characters, and ignores an invalid traceparent', async () => {
      const { app } = buildApp();
      for (const offered of ['x'.repeat(129), 'two words', 'line\tbreak']) {
        const response = await request(app)
          .get('/orders/o-1')
          .set('Authorization', bearer(TOKENS.reader))
          .set('X-Correlation-Id', offered)
          .set('traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01');
        expect(response.headers['x-correlation-id']).not.toBe(offered);
        expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(response.body.traceId).toBeNull();
      }
    });

    it('never writes a token to the logs', async () => {
      const { app, lines } = buildApp();
      await request(app).get('/orders/o-1').set('Authorization', bearer(TOKENS.admin));
      await request(app).get('/orders/o-1').set('Authorization', bearer('wrong-token-abcdef'));
      const text = JSON.stringify(lines);
      expect(lines.length).toBeGreaterThan(0);
      expect(text).not.toContain(TOKENS.admin);
      expect(text).not.toContain('wrong-token-abcdef');
    });
  });

  describe('open endpoints', () => {
    it('serves metrics labelled with route patterns, never raw URLs', async () => {
      const { app } = buildApp();
      await request(app).get('/orders/o-1').set('Authorization', bearer(TOKENS.reader));
      await request(app).get('/orders/o-2').set('Authorization', bearer(TOKENS.reader));
      await request(app).post('/orders/o-7/ship').set('Authorization', bearer(TOKENS.writer));
      await request(app).get('/no/such/route');
      const response = await request(app).get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.text).toContain(
        'http_requests_total{method="GET",route="/orders/:id",status="200",service="test-service"} 2',
      );
      expect(response.text).toContain(
        'http_requests_total{method="POST",route="/orders/:id/ship",status="409",service="test-service"} 1',
      );
      expect(response.text).toContain('route="unmatched",status="404"');
      expect(response.text).toContain(
        'http_request_duration_seconds_count{service="test-service",method="GET",route="/orders/:id",status="200"} 2',
      );
      expect(response.text).not.toContain('o-1');
      expect(response.text).not.toContain('/no/such/route');
    });

    it('keeps health and metrics open and flips readiness to 503 when a check fails', async () => {
      const { app, setDatabaseUp } = buildApp();
      expect((await request(app).get('/health/live')).body).toEqual({ status: 'up', service: 'test-service' });
      const ready = await request(app).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'up', checks: { database: { status: 'up' } } });

      setDatabaseUp(false);
      const notReady = await request(app).get('/health/ready');
      expect(notReady.status).toBe(503);
      expect(notReady.body).toMatchObject({
        status: 'down',
        checks: { database: { status: 'down', error: 'NoHostAvailableError' } },
      });
      expect(notReady.text).not.toContain('10.0.0.5');
    });
  });
});
