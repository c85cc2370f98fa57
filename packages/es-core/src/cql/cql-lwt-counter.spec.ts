import { isLightweightTransaction } from './cql-lwt-counter';

describe('telling lightweight transactions from plain statements', () => {
  it.each([
    'INSERT INTO ks.cdc_lease_buckets (consumer, bucket) VALUES (?, ?) IF NOT EXISTS USING TTL 15',
    'UPDATE ks.cdc_lease_buckets USING TTL 15 SET owner = ? WHERE consumer = ? IF owner = ?',
    'DELETE FROM ks.t WHERE k = ? IF EXISTS',
    'UPDATE ks.t SET v = ? WHERE k = ? if "version" IN (?, ?)',
  ])('counts %s', (query) => {
    expect(isLightweightTransaction(query)).toBe(true);
  });

  it.each([
    'SELECT * FROM ks.event_store_scylla_cdc_log WHERE "cdc$stream_id" IN ? AND "cdc$time" > ?',
    'UPDATE ks.cdc_checkpoints SET position = ? WHERE consumer = ?',
    'CREATE TABLE IF NOT EXISTS ks.t (k int PRIMARY KEY)',
  ])('does not count %s', (query) => {
    expect(isLightweightTransaction(query)).toBe(false);
  });

  it('counts a batch holding one conditional statement', () => {
    expect(isLightweightTransaction([{ query: 'UPDATE ks.t SET v = 1 WHERE k = 1' }, { query: 'INSERT INTO ks.t (k) VALUES (2) IF NOT EXISTS' }])).toBe(true);
  });
});
