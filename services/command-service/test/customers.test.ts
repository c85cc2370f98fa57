import { randomUUID } from 'node:crypto';
import { apiClient, expectProblem, type ApiClient } from './support/http';
import { registerCustomer, registration, uniqueEmail } from './support/fixtures';
import { startTestService, type TestService } from './support/service';
import { settledStore, storedEvents } from './support/store';

jest.setTimeout(120_000);

describe('customers', () => {
  let test: TestService;
  let api: ApiClient;

  beforeAll(async () => {
    test = await startTestService('cmdcust');
    api = apiClient(test.url);
  }, 180_000);
  afterAll(async () => test?.stop());

  const eventTypesOf = async (customerId: string) =>
    (await storedEvents(test.cql, test.keyspace))
      .filter((event) => event.aggregateId === customerId)
      .sort((a, b) => a.sequence - b.sequence)
      .map((event) => event.eventType);

  it('serves every customer command, each answering {id, version} with its ETag', async () => {
    const created = await api.post('/customers', registration({ phone: '+44 20 7946 0000' }));
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect(created.headers.get('location')).toBe(`/customers/${id}`);
    const addressId = randomUUID();
    const cardId = randomUUID();
    const walletId = randomUUID();
    const address = { street: '1 Rue', city: 'Paris', state: 'IDF', postalCode: '75001', country: 'FR' };
    const steps: [string, () => Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>][] = [
      ['profile', () => api.patch(`/customers/${id}/profile`, { lastName: 'Byron' })],
      ['email', () => api.put(`/customers/${id}/email`, { email: uniqueEmail('changed') })],
      ['phone', () => api.put(`/customers/${id}/phone`, { phone: '+33 1 23 45 67 89' })],
      ['add address', () => api.post(`/customers/${id}/addresses`, { addressId, address, setAsDefault: true })],
      ['update address', () => api.put(`/customers/${id}/addresses/${addressId}`, { address: { ...address, city: 'Lyon' } })],
      ['add card', () => api.post(`/customers/${id}/payment-methods`, { paymentMethodId: cardId, type: 'CreditCard', lastFour: '1111', setAsDefault: true })],
      ['add wallet', () => api.post(`/customers/${id}/payment-methods`, { paymentMethodId: walletId, type: 'DigitalWallet', lastFour: '2222' })],
      ['remove wallet', () => api.delete(`/customers/${id}/payment-methods/${walletId}`)],
      ['remove address', () => api.delete(`/customers/${id}/addresses/${addressId}`)],
      ['tier', () => api.post(`/customers/${id}/tier`, { tier: 'Silver' })],
      ['suspend', () => api.post(`/customers/${id}/suspend`, { reason: 'chargeback' })],
      ['reactivate', () => api.post(`/customers/${id}/reactivate`)],
      ['deactivate', () => api.post(`/customers/${id}/deactivate`, { reason: 'closed' })],
    ];
    let version = 1;
    for (const [name, step] of steps) {
      const response = await step();
      if (response.status !== 200) throw new Error(`${name}: ${response.status} ${JSON.stringify(response.body)}`);
      version += 1;
      expect(response.body).toEqual({ id, version });
      expect(response.headers.get('etag')).toBe(`"${version}"`);
    }
    expect(await eventTypesOf(id)).toEqual([
      'CustomerRegistered',
      'CustomerProfileUpdated',
      'CustomerEmailChanged',
      'CustomerPhoneChanged',
      'CustomerAddressAdded',
      'CustomerAddressUpdated',
      'CustomerPaymentMethodAdded',
      'CustomerPaymentMethodAdded',
      'CustomerPaymentMethodRemoved',
      'CustomerAddressRemoved',
      'CustomerTierUpgraded',
      'CustomerSuspended',
      'CustomerReactivated',
      'CustomerDeactivated',
    ]);
    const state = await api.get(`/customers/${id}`);
    expect(state.body).toMatchObject({ id, status: 'Deactivated', tier: 'Silver', lastName: 'Byron', version, addresses: [] });
    expectProblem(await api.post(`/customers/${id}/deactivate`, { reason: 'again' }), 409, 'customer-already-deactivated');
    expectProblem(await api.delete(`/customers/${id}/addresses/${randomUUID()}`), 409, 'customer-not-active');
  });

  describe('email uniqueness', () => {
    it('lets exactly one of 20 concurrent registrations of one address win; the rest get 409', async () => {
      const email = uniqueEmail('race');
      const spellings = [email, email.toUpperCase(), `  ${email}  `, email.replace(/^./, (c) => c.toUpperCase())];
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) => api.post('/customers', registration({ email: spellings[index % spellings.length] }))),
      );
      const winners = responses.filter((response) => response.status === 201);
      expect(winners).toHaveLength(1);
      for (const loser of responses.filter((response) => response.status !== 201)) {
        expectProblem(loser, 409, 'customer-email-already-taken');
        expect(loser.text).not.toContain(email);
      }
      const registered = (await storedEvents(test.cql, test.keyspace)).filter(
        (event) => event.eventType === 'CustomerRegistered' && event.data.email === email,
      );
      expect(registered.map((event) => event.aggregateId)).toEqual([winners[0]?.body.id]);
      const { violations } = await settledStore(test.cql, test.keyspace);
      expect(violations).toEqual([]);
    });

    it('reserves the new address, releases the old one, and changes nothing for the same address', async () => {
      const first = await registerCustomer(api, { email: uniqueEmail('first') });
      const secondEmail = uniqueEmail('second');
      const second = await registerCustomer(api, { email: secondEmail });
      expectProblem(await api.put(`/customers/${first}/email`, { email: secondEmail.toUpperCase() }), 409, 'customer-email-already-taken');

      const same = await api.put(`/customers/${second}/email`, { email: ` ${secondEmail.toUpperCase()} ` });
      expect(same.status).toBe(200);
      expect(same.body).toEqual({ id: second, version: 1 });
      expect(await eventTypesOf(second)).toEqual(['CustomerRegistered']);

      const thirdEmail = uniqueEmail('third');
      expect((await api.put(`/customers/${second}/email`, { email: thirdEmail })).body).toEqual({ id: second, version: 2 });
      // The old address is free again; the new one is taken.
      expect((await api.post('/customers', registration({ email: secondEmail }))).status).toBe(201);
      expectProblem(await api.post('/customers', registration({ email: thirdEmail })), 409, 'customer-email-already-taken');
    });

    it('releases the reservation when the append fails, but never the address of the customer that holds it', async () => {
      const existing = await registerCustomer(api, { email: uniqueEmail('holder') });
      const freshEmail = uniqueEmail('fresh');
      // Same id again with a new address: the decider refuses (already exists) and the address is released.
      expectProblem(await api.post('/customers', registration({ customerId: existing, email: freshEmail })), 409, 'customer-already-exists');
      expect((await api.post('/customers', registration({ email: freshEmail }))).status).toBe(201);

      // Same id AND same address again: refused, and the holder keeps its reservation.
      const holderEmail = (await api.get(`/customers/${existing}`)).body.email as string;
      expectProblem(await api.post('/customers', registration({ customerId: existing, email: holderEmail })), 409, 'customer-already-exists');
      expectProblem(await api.post('/customers', registration({ email: holderEmail })), 409, 'customer-email-already-taken');
    });

    it('reclaims an old reservation whose owner never came to exist', async () => {
      const email = uniqueEmail('orphan');
      await test.cql.execute(
        `INSERT INTO ${test.keyspace}.unique_values (scope, value, owner_id, reserved_at) VALUES (?, ?, ?, ?)`,
        ['customer-email', email, randomUUID(), new Date(Date.now() - 120_000)],
        { prepare: true },
      );
      expect((await api.post('/customers', registration({ email }))).status).toBe(201);
    });
  });

  describe('orders reference their customer', () => {
    it('refuses an order for an unknown or inactive customer with 422', async () => {
      const line = [{ productId: randomUUID(), quantity: 1 }];
      expectProblem(await api.post('/orders', { customerId: randomUUID(), items: line }), 422, 'order-customer-unknown');
      const suspended = await registerCustomer(api);
      expect((await api.post(`/customers/${suspended}/suspend`, { reason: 'fraud check' })).status).toBe(200);
      const problem = expectProblem(await api.post('/orders', { customerId: suspended, items: line }), 422, 'order-customer-inactive');
      expect(problem.customerStatus).toBe('Suspended');
      // An order id is not a customer.
      const customer = await registerCustomer(api);
      const order = await api.post('/orders', { customerId: customer, items: line });
      expectProblem(await api.post('/orders', { customerId: order.body.id, items: line }), 422, 'order-customer-unknown');
      expectProblem(await api.get(`/customers/${order.body.id}`), 404, 'customer-not-found');
      expectProblem(await api.post(`/orders/${customer}/confirm`), 404, 'order-not-found');
      expectProblem(await api.post('/orders', { orderId: customer, customerId: customer, items: line }), 409, 'aggregate-id-in-use');
    });
  });
});
