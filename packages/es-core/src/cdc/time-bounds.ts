import { types } from 'cassandra-driver';

/**
 * The greatest timeuuid within a millisecond (10,000 ticks of 100 ns, node and clock bits at their maximum).
 * Windows are whole milliseconds, so `(endOfMillisecond(a), endOfMillisecond(b)]` covers exactly the log rows
 * written after millisecond a up to and including millisecond b.
 */
export function endOfMillisecond(instant: Date): types.TimeUuid {
  return types.TimeUuid.max(instant, 9_999);
}
