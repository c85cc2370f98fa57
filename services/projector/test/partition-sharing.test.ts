import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@scylla-es/es-core';
import { eventually } from '@scylla-es/es-core/testing';
import { AssignerProtocol } from 'kafkajs';
import { customerLife, orderLife, ORDER_PATHS } from './support/histories';
import { spawnService, stopped } from './support/processes';
import { projectorFixture, READ_TOKEN, type ProjectorFixture } from './support/projector-fixture';
import { queryClient } from './support/query-client';

jest.setTimeout(240_000);

const PORTS = [3_700, 3_701].map((port) => port + Math.floor(Math.random() * 50) * 2);
const ORDERS = 24;

/** Two projector instances in one consumer group: each gets some of the partitions, and together they apply all. */
describe('two projector instances', () => {
  let fixture: ProjectorFixture;
  const projectors: ChildProcess[] = [];

  beforeAll(async () => {
    fixture = await projectorFixture('projshare');
  });
  afterAll(async () => {
    await Promise.all(projectors.map((projector) => stopped(projector)));
    await fixture?.drop();
  });

  it('split the topics’ partitions between them and together apply every event', async () => {
    for (const port of PORTS) projectors.push(spawnService('projector', fixture.env({ PORT: String(port) })));
    for (const port of PORTS) {
      await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200), 60_000, 100);
    }

    // The fixture's topics have 3 partitions each (KAFKA_TOPIC_PARTITIONS): 6 to share between 2 members.
    const admin = fixture.kafka.admin();
    await admin.connect();
    try {
      await eventually(async () => {
        const { groups } = await admin.describeGroups([`${fixture.keyspace}-projector`]);
        const members = groups[0]?.members ?? [];
        const assigned = members.map((member) =>
          AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {},
        );
        expect(members).toHaveLength(2);
        const counts = assigned.map((assignment) => Object.values(assignment).flat().length);
        expect(counts.every((count) => count > 0)).toBe(true);
        const all = assigned.flatMap((assignment) => Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}:${p}`)));
        expect(new Set(all).size).toBe(6);
        expect(all).toHaveLength(6);
      }, 60_000, 500);
    } finally {
      await admin.disconnect();
    }

    const customerId = randomUUID();
    const published: RecordedEvent[] = await fixture.append('Customer', customerId, 0, customerLife(customerId));
    const orders: { id: string; version: number }[] = [];
    for (let index = 0; index < ORDERS; index++) {
      const id = randomUUID();
      const events = await fixture.append('Order', id, 0, orderLife(id, customerId, ORDER_PATHS[index % ORDER_PATHS.length]!));
      published.push(...events);
      orders.push({ id, version: events.length });
    }
    await fixture.publish(published);

    // Any instance answers any query: ask each order of the instance that did not necessarily apply it.
    await eventually(async () => {
      for (const [index, order] of orders.entries()) {
        const get = queryClient(`http://127.0.0.1:${PORTS[index % 2]}`, READ_TOKEN);
        const response = await get(`/orders/${order.id}`);
        expect(response.status).toBe(200);
        expect(response.body.version).toBe(order.version);
      }
    }, 90_000, 500);
  });
});
