import { replay } from '@scylla-es/es-core';
import { orderDecider } from './decider';
import { orderSnapshotSchema } from './snapshot';
import { historyOf } from './test-fixtures';

describe('Order snapshot schema', () => {
  it.each(Object.entries(historyOf))('restores a %s order from snapshot JSON, dates included', (_status, history) => {
    const order = replay(orderDecider, history);
    expect(orderSnapshotSchema.parse(JSON.parse(JSON.stringify(order)))).toEqual(order);
  });

  it('rejects JSON that is not an order', () => {
    expect(orderSnapshotSchema.safeParse({ id: 'x', status: 'Lost' }).success).toBe(false);
  });
});
