import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { SCYLLA_NODE_ARGS } from './scylla-node';

/**
 * Jest global setup: with TEST_ENGINES=containers, starts real ScyllaDB and Redpanda once for the whole run
 * and hands their addresses to the test workers through the environment. With local engines it does nothing.
 * ScyllaDB runs on a network of its own, its own address as seed, so that a test can join a second node to it
 * (joinScyllaNode): the topology change that makes ScyllaDB start a new CDC generation.
 */
const SCYLLA_IMAGE = process.env.TEST_SCYLLA_IMAGE ?? 'scylladb/scylla:2025.1';
const REDPANDA_IMAGE = process.env.TEST_REDPANDA_IMAGE ?? 'redpandadata/redpanda:v24.3.6';

// globalSetup and globalTeardown may be loaded as separate module instances; the global object is shared.
const registry = globalThis as typeof globalThis & { __scyllaEsContainers?: StartedTestContainer[]; __scyllaEsNetwork?: StartedNetwork };
const CQL_PORT = 9042;

export async function startContainers(): Promise<void> {
  if (process.env.TEST_ENGINES !== 'containers') return;
  const { GenericContainer, Network } = await import('testcontainers');
  const { RedpandaContainer } = await import('@testcontainers/redpanda');
  const network = await new Network().start();
  registry.__scyllaEsNetwork = network;
  const [scylla, redpanda] = await Promise.all([
    new GenericContainer(SCYLLA_IMAGE)
      .withNetwork(network)
      .withCommand([...SCYLLA_NODE_ARGS])
      .withExposedPorts(CQL_PORT)
      .withStartupTimeout(300_000)
      .start(),
    new RedpandaContainer(REDPANDA_IMAGE).start(),
  ]);
  registry.__scyllaEsContainers = [scylla, redpanda];
  process.env.SCYLLA_NODES = `${scylla.getHost()}:${scylla.getMappedPort(CQL_PORT)}`;
  process.env.SCYLLA_LOCAL_DC = 'datacenter1';
  process.env.TEST_SCYLLA_IMAGE = SCYLLA_IMAGE;
  process.env.TEST_SCYLLA_NETWORK = network.getName();
  process.env.TEST_SCYLLA_SEED = scylla.getIpAddress(network.getName());
  process.env.REDPANDA_BROKERS = redpanda.getBootstrapServers();
  process.env.TEST_KAFKA_CONTAINER_ID = redpanda.getId();
  process.env.TEST_SCYLLA_CONTAINER_ID = scylla.getId();
}

export async function stopContainers(): Promise<void> {
  const containers = registry.__scyllaEsContainers ?? [];
  delete registry.__scyllaEsContainers;
  await Promise.all(containers.map((container) => container.stop()));
  await registry.__scyllaEsNetwork?.stop();
  delete registry.__scyllaEsNetwork;
}
