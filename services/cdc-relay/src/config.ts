import { loadConfig } from '@scylla-es/es-core';
import { cqlConfigShape } from '@scylla-es/es-core/cql';
import { cdcReaderConfigShape } from '@scylla-es/es-core/cdc';
import { kafkaConfigShape } from '@scylla-es/es-core/kafka';
import { httpConfigShape } from '@scylla-es/es-core/service';
import { z } from 'zod';

export const CDC_RELAY_PORT = 3003;

/** Everything the relay reads from its environment, validated once at start-up. */
export const cdcRelayConfigShape = {
  ...cqlConfigShape,
  ...kafkaConfigShape,
  ...cdcReaderConfigShape,
  ...httpConfigShape(CDC_RELAY_PORT),
  /** Shared by all relay instances: checkpoints and leases belong to this name. */
  RELAY_CONSUMER_NAME: z.string().regex(/^[\w.-]{1,100}$/).default('cdc-relay'),
  /** Topics created at start-up (rows name their own topic; an unseen one is created on first use too). */
  RELAY_TOPICS: z
    .string()
    .default('orders.events,customers.events')
    .transform((value) => value.split(',').map((topic) => topic.trim()).filter(Boolean)),
  /** Published event ids remembered to drop the log's repeats of re-committed transactions (0 = off). */
  RELAY_RECENT_EVENTS: z.coerce.number().int().min(0).default(100_000),
  DEAD_LETTER_TOPIC: z.string().regex(/^[\w.-]{1,200}$/).default('dead-letters'),
};

export type CdcRelayConfig = z.infer<z.ZodObject<typeof cdcRelayConfigShape>>;

export const loadCdcRelayConfig = (env: NodeJS.ProcessEnv): CdcRelayConfig => loadConfig(cdcRelayConfigShape, env);
