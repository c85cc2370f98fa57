import { replay } from '@scylla-es/es-core';
import { customerDecider } from './decider';
import { customerSnapshotSchema } from './snapshot';
import { historyOf } from './test-fixtures';

describe('Customer snapshot schema', () => {
  it.each(Object.entries(historyOf))('restores a %s customer from snapshot JSON', (_status, history) => {
    const customer = replay(customerDecider, history);
    expect(customerSnapshotSchema.parse(JSON.parse(JSON.stringify(customer)))).toEqual(customer);
  });

  it('rejects JSON that is not a customer', () => {
    expect(customerSnapshotSchema.safeParse({ id: 'x', tier: 'Diamond' }).success).toBe(false);
  });
});
