import { hostList, loadConfig, positiveInt } from '@scylla-es/es-core';
import { z } from 'zod';
import { FAULT_IDS } from './faults/fault-catalogue';

/** "90", "90s" or "10m" → seconds. */
const seconds = (defaultValue: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+(s|m)?$/, 'whole seconds, or a number followed by s or m')
    .default(defaultValue)
    .transform((text) => (text.endsWith('m') ? Number(text.slice(0, -1)) * 60 : Number(text.replace(/s$/, ''))));

const url = z.url().transform((value) => value.replace(/\/$/, ''));
const token = z.string().min(8);

/**
 * Every variable the storm reads (docs/chaos.md). `local`: the harness starts the four built services itself on the
 * local (or container) engines, in a keyspace of its own. `compose`: the services of `docker compose` are already
 * running; faults become `docker compose` commands.
 */
export const chaosSettingsShape = {
  CHAOS_STACK: z.enum(['local', 'compose']).default('local'),
  /** How long the command load runs; the fault cycle repeats until then, and runs at least once whole. */
  CHAOS_DURATION: seconds('10m'),
  /** Commands sent per second, retries included. */
  CHAOS_RATE: positiveInt(200),
  /** Which faults the cycle holds (ids of docs/chaos.md, comma-separated), or `all`, or `none` (load and checks only). */
  CHAOS_FAULTS: z
    .string()
    .default('all')
    .transform((text) => (text === 'all' ? [...FAULT_IDS] : text === 'none' ? [] : text.split(',').map((id) => id.trim())))
    .pipe(z.array(z.enum(FAULT_IDS))),
  /** Pause between one fault's recovery and the next fault. */
  CHAOS_FAULT_GAP: seconds('5s'),
  /** How long a fault may take to recover from (services ready, a new command visible in the read models). */
  CHAOS_RECOVERY_TIMEOUT: seconds('3m'),
  /** How long, after the load, the pipeline may take to converge before the checks count as failed. */
  CHAOS_SETTLE_TIMEOUT: seconds('5m'),
  /** Poison events published per fault cycle. */
  CHAOS_POISON: z.coerce.number().int().min(0).max(100).default(3),
  /** local: first of four consecutive HTTP ports for the services (0: free ports picked by the system). */
  CHAOS_FIRST_PORT: z.coerce.number().int().min(0).max(65_532).default(0),
  /** local: where the services' logs go (default: <ENGINES_HOME>/chaos). */
  CHAOS_LOG_DIR: z.string().min(1).optional(),
  /** compose: the command that runs `docker compose` in the repository (split on spaces). */
  CHAOS_COMPOSE: z.string().min(1).default('docker compose'),
  CHAOS_COMMAND_URL: url.default('http://127.0.0.1:3000'),
  CHAOS_PROJECTOR_URL: url.default('http://127.0.0.1:3001'),
  CHAOS_DLQ_URL: url.default('http://127.0.0.1:3002'),
  CHAOS_RELAY_URL: url.default('http://127.0.0.1:3003'),
  CHAOS_WRITE_TOKEN: token.default('dev-writer-token'),
  CHAOS_READ_TOKEN: token.default('dev-reader-token'),
  CHAOS_ADMIN_TOKEN: token.default('dev-admin-token'),
  CHAOS_PROJECTOR_GROUP: z.string().min(1).default('projector'),
  CHAOS_DLQ_GROUP: z.string().min(1).default('dlq-service'),
  SCYLLA_NODES: hostList(9042).default(['127.0.0.1:9042']),
  SCYLLA_LOCAL_DC: z.string().min(1).default('datacenter1'),
  /** compose: the services' keyspace. local: ignored, the storm makes its own. */
  SCYLLA_KEYSPACE: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/).default('scylla_es'),
  REDPANDA_BROKERS: hostList(9092).default(['127.0.0.1:9092']),
  /** compose: the services' dead-letter topic. local: ignored, the storm makes its own. */
  DEAD_LETTER_TOPIC: z.string().min(1).default('dead-letters'),
};

export type ChaosSettings = z.infer<z.ZodObject<typeof chaosSettingsShape>>;

export const loadChaosSettings = (env: NodeJS.ProcessEnv = process.env): ChaosSettings => loadConfig(chaosSettingsShape, env);
