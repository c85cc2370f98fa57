import { randomUUID } from 'node:crypto';
import { apiClient, expectProblem, type ApiClient } from './support/http';
import { createOrder, items, registerCustomer } from './support/fixtures';
import { startTestService, type TestService } from './support/service';

jest.setTimeout(120_000);

const BODY_LIMIT = 4096;

describe('errors as RFC 9457 problems, auth and the OpenAPI document', () => {
  let test: TestService;
  let api: ApiClient;
  let customerId: string;
  let orderId: string;

  beforeAll(async () => {
    test = await startTestService('cmderr', { HTTP_BODY_LIMIT: String(BODY_LIMIT) });
    api = apiClient(test.url);
    customerId = await registerCustomer(api);
    orderId = await createOrder(api, customerId);
  }, 180_000);
  afterAll(async () => test?.stop());

  describe('400', () => {
    it('for an id that is not a UUID, located in the path', async () => {
      const body = expectProblem(await api.post('/orders/not-a-uuid/confirm'), 400, 'validation-failed');
      expect(body.issues).toEqual([expect.objectContaining({ path: ['params', 'id'] })]);
      expectProblem(await api.get('/customers/123'), 400, 'validation-failed');
      expectProblem(await api.delete(`/customers/${customerId}/addresses/nope`), 400, 'validation-failed');
    });

    it('for unknown fields, wrong types and missing fields, with the zod issues', async () => {
      const unknown = expectProblem(await api.post('/orders', { customerId, items: items(), colour: 'red' }), 400, 'validation-failed');
      expect(unknown.issues).toEqual([expect.objectContaining({ path: ['body'], code: 'unrecognized_keys' })]);
      const nested = expectProblem(
        await api.post('/orders', { customerId, items: [{ productId: randomUUID(), quantity: 1, price: 3 }] }),
        400,
        'validation-failed',
      );
      expect(nested.issues).toEqual([expect.objectContaining({ path: ['body', 'items', 0] })]);
      expectProblem(await api.post('/orders', { customerId, items: [{ productId: randomUUID(), quantity: '1' }] }), 400, 'validation-failed');
      expectProblem(await api.post('/orders', { customerId }), 400, 'validation-failed');
      expectProblem(await api.post(`/orders/${orderId}/ship`), 400, 'validation-failed');
      expectProblem(await api.post(`/orders/${orderId}/confirm`, { force: true }), 400, 'validation-failed');
      expectProblem(await api.patch(`/customers/${customerId}/profile`, {}), 400, 'validation-failed');
    });

    it('for a domain validation (duplicate product lines)', async () => {
      const productId = randomUUID();
      const line = { productId, quantity: 1 };
      expectProblem(await api.put(`/orders/${orderId}/items`, { items: [line, { ...line, productId: productId.toUpperCase() }] }), 400, 'order-item-duplicate-product');
    });

    it('for malformed JSON, a JSON body that is not an object, and a bad If-Match', async () => {
      const headers = { 'content-type': 'application/json' };
      expectProblem(await api.request('POST', '/orders', { rawBody: '{"customerId": ', headers }), 400, 'malformed-json');
      expectProblem(await api.request('POST', '/orders', { rawBody: '"text"', headers }), 400, 'malformed-json');
      expectProblem(await api.request('POST', '/orders', { rawBody: '[1,2]', headers }), 400, 'validation-failed');
      expectProblem(await api.post(`/orders/${orderId}/cancel`, undefined, { headers: { 'If-Match': 'three' } }), 400, 'invalid-if-match');
    });
  });

  describe('401 and 403', () => {
    it('401 without a token, with an unknown one, or another scheme; the challenge says why', async () => {
      const none = await api.get(`/orders/${orderId}`, { token: null });
      expectProblem(none, 401, 'unauthorized');
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="command-service"');
      for (const authorization of ['Bearer not-a-token-at-all', `Basic ${Buffer.from('a:b').toString('base64')}`]) {
        const response = await api.post(`/orders/${orderId}/confirm`, undefined, { token: null, headers: { authorization } });
        expectProblem(response, 401, 'unauthorized');
        expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
      }
    });

    it('403 for a read token on a command; read, write and admin may all read', async () => {
      const forbidden = await api.post(`/orders/${orderId}/confirm`, undefined, { token: 'reader' });
      expect(expectProblem(forbidden, 403, 'forbidden').requiredScope).toBe('write');
      expect(forbidden.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="write"');
      for (const token of ['reader', 'writer', 'admin'] as const) {
        expect((await api.get(`/orders/${orderId}`, { token })).status).toBe(200);
      }
    });

    it('keeps health, metrics and the OpenAPI document open', async () => {
      for (const path of ['/health/live', '/health/ready', '/metrics', '/openapi.json']) {
        expect((await fetch(`${test.url}${path}`)).status).toBe(200);
      }
    });
  });

  it('404 for an unknown aggregate, sub-entity and route', async () => {
    expectProblem(await api.get(`/orders/${randomUUID()}`), 404, 'order-not-found');
    expectProblem(await api.post(`/orders/${randomUUID()}/cancel`), 404, 'order-not-found');
    expectProblem(await api.put(`/customers/${randomUUID()}/phone`, { phone: '+1 555 0100' }), 404, 'customer-not-found');
    expectProblem(await api.delete(`/customers/${customerId}/payment-methods/${randomUUID()}`), 404, 'customer-payment-method-not-found');
    expectProblem(await api.get('/nowhere'), 404, 'route-not-found');
    expectProblem(await api.request('PATCH', `/orders/${orderId}/confirm`), 404, 'route-not-found');
  });

  it('409 for a business rule, with the details as extensions', async () => {
    const order = await createOrder(api, customerId);
    expect((await api.post(`/orders/${order}/confirm`)).status).toBe(200);
    const body = expectProblem(await api.post(`/orders/${order}/confirm`), 409, 'order-already-confirmed');
    expect(body).toMatchObject({ status: 409, instance: `/orders/${order}/confirm`, correlationId: expect.any(String) });
    expectProblem(await api.post(`/customers/${customerId}/tier`, { tier: 'Bronze' }), 409, 'customer-tier-downgrade-not-allowed');
  });

  it('412 for a stale If-Match', async () => {
    const order = await createOrder(api, customerId);
    expectProblem(await api.post(`/orders/${order}/confirm`, undefined, { headers: { 'If-Match': '"5"' } }), 412, 'precondition-failed');
  });

  it('413 for a body over the limit', async () => {
    const body = expectProblem(
      await api.put(`/orders/${orderId}/items`, { items: items(), reason: 'x'.repeat(BODY_LIMIT * 2) }),
      413,
      'payload-too-large',
    );
    expect(body.limitBytes).toBe(BODY_LIMIT);
  });

  it('415 for a body that is not JSON', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await api.request('POST', '/orders', { rawBody: 'customerId=1', headers: { 'content-type': contentType } });
      expectProblem(response, 415, 'unsupported-media-type');
    }
  });

  it('422 for a reference to a missing customer', async () => {
    expectProblem(await api.post('/orders', { customerId: randomUUID(), items: items() }), 422, 'order-customer-unknown');
  });

  describe('/openapi.json', () => {
    it('is OpenAPI 3.1 listing every route with its scope, parameters, body schema and responses', async () => {
      const document = (await (await fetch(`${test.url}/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<string, Record<string, { security: Record<string, string[]>[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, unknown>; parameters: { name: string; in: string }[] }>>;
      };
      expect(document.openapi).toBe('3.1.0');
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
      );
      expect(operations.map((entry) => entry.route).sort()).toEqual(
        [
          'POST /orders',
          'PUT /orders/{id}/items',
          'POST /orders/{id}/confirm',
          'POST /orders/{id}/ship',
          'POST /orders/{id}/deliver',
          'POST /orders/{id}/cancel',
          'GET /orders/{id}',
          'GET /orders/{id}/events',
          'POST /customers',
          'PATCH /customers/{id}/profile',
          'PUT /customers/{id}/email',
          'PUT /customers/{id}/phone',
          'POST /customers/{id}/addresses',
          'PUT /customers/{id}/addresses/{addressId}',
          'DELETE /customers/{id}/addresses/{addressId}',
          'POST /customers/{id}/payment-methods',
          'DELETE /customers/{id}/payment-methods/{paymentMethodId}',
          'POST /customers/{id}/tier',
          'POST /customers/{id}/suspend',
          'POST /customers/{id}/reactivate',
          'POST /customers/{id}/deactivate',
          'GET /customers/{id}',
          'GET /customers/{id}/events',
        ].sort(),
      );
      for (const { route, operation } of operations) {
        const scope = route.startsWith('GET') ? 'read' : 'write';
        expect(operation.security).toEqual([{ bearerAuth: [scope] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '503']));
      }
      const create = document.paths['/orders']?.post;
      expect(create?.requestBody?.content['application/json']?.schema).toMatchObject({
        type: 'object',
        additionalProperties: false,
        required: ['customerId', 'items'],
      });
      expect(Object.keys(create?.responses ?? {})).toEqual(expect.arrayContaining(['201', '409', '412', '413', '415', '422']));
      expect(document.paths['/orders/{id}']?.get?.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual([
        'path:id',
        'query:version',
        'query:asOf',
      ]);
    });
  });
});
