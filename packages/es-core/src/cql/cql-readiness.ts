import { types, type Client } from 'cassandra-driver';

/** Readiness check: one cheap query the coordinator answers locally. */
export function cqlReadinessCheck(client: Client): () => Promise<void> {
  return async () => {
    await client.execute('SELECT now() FROM system.local', [], { prepare: true, consistency: types.consistencies.localOne });
  };
}
