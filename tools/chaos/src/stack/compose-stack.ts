import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CUSTOMER_TOPIC, ORDER_TOPIC } from '@scylla-es/domain';
import { repositoryRoot } from '@scylla-es/es-core/testing';
import { loadConfig } from '@scylla-es/es-core';
import { cqlConfigShape, createCqlClient } from '@scylla-es/es-core/cql';
import { Kafka, logLevel } from 'kafkajs';
import type { ChaosSettings } from '../settings';
import type { FaultControls, ServiceName, Stack } from './stack';

const run = promisify(execFile);

/**
 * The services of `docker compose up` (already running, one instance each): the storm only reaches them through
 * their URLs, the database and the broker, and injects faults with `docker compose` commands run in the repository.
 * A stall is `docker compose pause scylla` (the node freezes with its connections open). A CDC generation switch
 * needs a topology change a one-node ScyllaDB cannot make, so it is skipped.
 */
export async function composeStack(settings: ChaosSettings): Promise<Stack> {
  const [program = 'docker', ...prefix] = settings.CHAOS_COMPOSE.split(' ').filter(Boolean);
  const compose = async (...args: string[]) => void (await run(program, [...prefix, ...args], { cwd: repositoryRoot(__dirname), timeout: 300_000 }));
  // The database settings of the services, so SCYLLA_USERNAME/PASSWORD work here as they do there.
  const client = createCqlClient(loadConfig(cqlConfigShape, { ...process.env, SCYLLA_NODES: settings.SCYLLA_NODES.join(',') }));
  await client.connect();
  const faults: FaultControls = {
    killService: async (name: ServiceName) => {
      await compose('kill', '-s', 'SIGKILL', name);
      await compose('start', name);
    },
    restartDatabase: async () => {
      await compose('kill', '-s', 'SIGKILL', 'scylla');
      await compose('start', 'scylla');
    },
    killBroker: () => compose('kill', '-s', 'SIGKILL', 'redpanda'),
    startBroker: () => compose('start', 'redpanda'),
    stallDatabase: () => compose('pause', 'scylla'),
    resumeDatabase: () => compose('unpause', 'scylla'),
    unsupported: { newCdcGeneration: 'a one-node ScyllaDB changes its CDC generation only on a topology change' },
  };
  return {
    description: `compose: ${settings.CHAOS_COMMAND_URL} and its neighbours, keyspace ${settings.SCYLLA_KEYSPACE}, faults by '${settings.CHAOS_COMPOSE}'`,
    urls: {
      'command-service': settings.CHAOS_COMMAND_URL,
      projector: settings.CHAOS_PROJECTOR_URL,
      'dlq-service': settings.CHAOS_DLQ_URL,
      'cdc-relay': settings.CHAOS_RELAY_URL,
    },
    tokens: { write: settings.CHAOS_WRITE_TOKEN, read: settings.CHAOS_READ_TOKEN, admin: settings.CHAOS_ADMIN_TOKEN },
    client,
    keyspace: settings.SCYLLA_KEYSPACE,
    kafka: new Kafka({ clientId: 'chaos-checker', brokers: [...settings.REDPANDA_BROKERS], logLevel: logLevel.NOTHING }),
    eventTopics: [ORDER_TOPIC, CUSTOMER_TOPIC],
    deadLetterTopic: settings.DEAD_LETTER_TOPIC,
    consumerGroups: { projector: settings.CHAOS_PROJECTOR_GROUP, dlq: settings.CHAOS_DLQ_GROUP },
    faults,
    close: () => client.shutdown(),
  };
}
