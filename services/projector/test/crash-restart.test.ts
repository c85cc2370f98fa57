import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent } from '@scylla-es/es-core';
import { eventually } from '@scylla-es/es-core/testing';
import { customerLife, orderLife, ORDER_PATHS } from './support/histories';
import { killed, spawnService, stopped } from './support/processes';
import { projectorFixture, READ_TOKEN, type ProjectorFixture } from './support/projector-fixture';
import { queryClient } from './support/query-client';
import { replayedCustomer, replayedOrder, withoutProjectionTimes } from './support/replayed-models';

jest.setTimeout(240_000);

const PORT = 3_600 + Math.floor(Math.random() * 100);
const CUSTOMERS = 5;
const ORDERS_PER_CUSTOMER = 8;

/** The projector SIGKILLed twice while a load streams in: once restarted, every model converges. */
describe('projector killed mid-load', () => {
  let fixture: ProjectorFixture;
  let projector: ChildProcess | undefined;
  const base = `http://127.0.0.1:${PORT}`;
  const get = queryClient(base, READ_TOKEN);

  const start = async () => {
    // A short session hands a killed instance's partitions to the next one sooner.
    projector = spawnService('projector', fixture.env({ PORT: String(PORT), PROJECTOR_SESSION_TIMEOUT_MS: '6000' }));
    await eventually(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), 60_000, 100);
  };

  beforeAll(async () => {
    fixture = await projectorFixture('projkill');
  });
  afterAll(async () => {
    await stopped(projector);
    await fixture?.drop();
  });

  it('converges on the replay of event_store after two SIGKILLs during the load', async () => {
    const streams: { id: string; type: 'Order' | 'Customer'; events: RecordedEvent[] }[] = [];
    for (let c = 0; c < CUSTOMERS; c++) {
      const customerId = randomUUID();
      streams.push({ id: customerId, type: 'Customer', events: await fixture.append('Customer', customerId, 0, customerLife(customerId)) });
      for (let o = 0; o < ORDERS_PER_CUSTOMER; o++) {
        const orderId = randomUUID();
        const path = ORDER_PATHS[(c * ORDERS_PER_CUSTOMER + o) % ORDER_PATHS.length]!;
        streams.push({ id: orderId, type: 'Order', events: await fixture.append('Order', orderId, 0, orderLife(orderId, customerId, path)) });
      }
    }
    // Interleaved as a live load would be: round after round, the next event of every stream.
    const load: RecordedEvent[] = [];
    for (let round = 0; streams.some((stream) => stream.events.length > round); round++) {
      for (const stream of streams) if (stream.events[round]) load.push(stream.events[round]!);
    }

    // Each kill lands right after a third of the load went out, while the projector is still applying it.
    await start();
    const third = Math.ceil(load.length / 3);
    for (let part = 0; part < 3; part++) {
      await fixture.publish(load.slice(part * third, (part + 1) * third));
      if (part < 2) {
        await sleep(100);
        await killed(projector);
        await start();
      }
    }

    await eventually(async () => {
      for (const stream of streams) {
        const path = stream.type === 'Order' ? `/orders/${stream.id}` : `/customers/${stream.id}`;
        expect((await get(path)).body.version).toBe(stream.events.length);
      }
    }, 120_000, 500);
    for (const stream of streams) {
      if (stream.type === 'Order') {
        expect(withoutProjectionTimes((await get(`/orders/${stream.id}`)).body)).toEqual(await replayedOrder(fixture.store, stream.id));
      } else {
        const customer = (await get(`/customers/${stream.id}`)).body;
        expect(withoutProjectionTimes(customer)).toEqual(await replayedCustomer(fixture.store, stream.id));
        expect(customer.orderCount).toBe(ORDERS_PER_CUSTOMER);
      }
    }
  });
});
