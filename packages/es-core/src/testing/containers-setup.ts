import type { StartedTestContainer } from 'testcontainers';

/**
 * Jest global setup: with TEST_ENGINES=containers, starts real ScyllaDB and Redpanda once for the whole run
 * and hands their addresses to the test workers through the environment. With local engines it does nothing.
 */
const SCYLLA_IMAGE = process.env.TEST_SCYLLA_IMAGE ?? 'scylladb/scylla:2025.1';
const REDPANDA_IMAGE = process.env.TEST_REDPANDA_IMAGE ?? 'redpandadata/redpanda:v24.3.6';

// globalSetup and globalTeardown may be loaded as separate module instances; the global object is shared.
const registry = globalThis as typeof globalThis & { __scyllaEsContainers?: StartedTestContainer[] };

export async function startContainers(): Promise<void> {
  if (process.env.TEST_ENGINES !== 'containers') return;
  const { ScyllaContainer } = await import('@testcontainers/scylladb');
  const { RedpandaContainer } = await import('@testcontainers/redpanda');
  const [scylla, redpanda] = await Promise.all([
    new ScyllaContainer(SCYLLA_IMAGE).start(),
    new RedpandaContainer(REDPANDA_IMAGE).start(),
  ]);
  registry.__scyllaEsContainers = [scylla, redpanda];
  process.env.SCYLLA_NODES = scylla.getContactPoint();
  process.env.SCYLLA_LOCAL_DC = scylla.getDatacenter();
  process.env.REDPANDA_BROKERS = redpanda.getBootstrapServers();
  process.env.TEST_KAFKA_CONTAINER_ID = redpanda.getId();
  process.env.TEST_SCYLLA_CONTAINER_ID = scylla.getId();
}

export async function stopContainers(): Promise<void> {
  const containers = registry.__scyllaEsContainers ?? [];
  delete registry.__scyllaEsContainers;
  await Promise.all(containers.map((container) => container.stop()));
}
