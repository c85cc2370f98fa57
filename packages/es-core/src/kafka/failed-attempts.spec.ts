import type { ConsumedMessage } from './consumed-message';
import { FailedAttempts } from './failed-attempts';

const record = (partition: number, offset: string): ConsumedMessage => ({
  topic: 'orders',
  partition,
  offset,
  key: 'k',
  value: null,
  headers: {},
  timestamp: new Date(0),
});

describe('FailedAttempts', () => {
  it('counts the failures of each record on its own', () => {
    const attempts = new FailedAttempts();
    expect(attempts.count(record(1, '41'))).toBe(1);
    expect(attempts.count(record(1, '41'))).toBe(2);
    expect(attempts.count(record(2, '41'))).toBe(1);
    expect(attempts.count(record(1, '42'))).toBe(1);
  });

  it('starts over for a record once forgotten, and for every record after a clear', () => {
    const attempts = new FailedAttempts();
    attempts.count(record(1, '41'));
    attempts.count(record(1, '42'));
    attempts.forget(record(1, '41'));
    expect(attempts.count(record(1, '41'))).toBe(1);
    attempts.clear();
    expect(attempts.count(record(1, '42'))).toBe(1);
  });
});
