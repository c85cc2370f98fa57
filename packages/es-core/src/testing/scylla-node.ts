import { setTimeout as sleep } from 'node:timers/promises';
import { Client, types } from 'cassandra-driver';

/** How the containers' ScyllaDB nodes run: small, on a CI runner, and joinable by another node of the same network. */
export const SCYLLA_NODE_ARGS: readonly string[] = [
  '--smp', '1', '--memory', '750M', '--overprovisioned', '1', '--developer-mode', '1', '--skip-wait-for-gossip-to-settle=0',
];

/** Where a new node finds the cluster the containers' global setup started. */
export interface ScyllaCluster {
  readonly image: string;
  readonly network: string;
  readonly seed: string;
  readonly contactPoints: readonly string[];
  readonly localDataCenter: string;
}

/**
 * Joins one more ScyllaDB node to the cluster. A topology change is what makes ScyllaDB start a new CDC
 * generation, a little ahead of now: resolves with that generation's time, read from the cluster itself. The
 * node stays until the test process ends (testcontainers' reaper removes it).
 */
export async function joinScyllaNode(cluster: ScyllaCluster, timeoutMs = 300_000): Promise<Date> {
  const before = await newestGeneration(cluster);
  const { GenericContainer } = await import('testcontainers');
  // Started without waiting: the node has joined once the cluster shows the generation its joining started.
  await new GenericContainer(cluster.image)
    .withNetworkMode(cluster.network)
    .withCommand([...SCYLLA_NODE_ARGS, '--seeds', cluster.seed])
    .start();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const newest = await newestGeneration(cluster);
    if (newest && (!before || newest > before)) return newest;
    if (Date.now() > deadline) throw new Error('the cluster did not start a new CDC generation after a node joined');
    await sleep(1_000);
  }
}

async function newestGeneration(cluster: ScyllaCluster): Promise<Date | undefined> {
  const client = new Client({ contactPoints: [...cluster.contactPoints], localDataCenter: cluster.localDataCenter });
  try {
    const result = await client.execute("SELECT time FROM system_distributed.cdc_generation_timestamps WHERE key = 'timestamps'", [], {
      consistency: types.consistencies.one,
    });
    const times = result.rows.map((row) => (row.get('time') as Date).getTime());
    return times.length > 0 ? new Date(Math.max(...times)) : undefined;
  } finally {
    await client.shutdown();
  }
}
