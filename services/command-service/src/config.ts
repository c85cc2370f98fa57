import { durationMs, loadConfig, positiveInt } from '@scylla-es/es-core';
import { cqlConfigShape } from '@scylla-es/es-core/cql';
import { httpConfigShape } from '@scylla-es/es-core/service';
import { z } from 'zod';

export const COMMAND_SERVICE_PORT = 3000;

/** Everything the command-service reads from its environment, validated once at start-up. */
export const commandServiceConfigShape = {
  ...cqlConfigShape,
  ...httpConfigShape(COMMAND_SERVICE_PORT),
  /** A snapshot is written whenever an aggregate's version crosses a multiple of this. */
  SNAPSHOT_EVERY: positiveInt(100),
  /** load → decide → append attempts when another writer wins the race, before answering 409. */
  COMMAND_MAX_ATTEMPTS: positiveInt(5),
  /**
   * An Idempotency-Key claim older than this whose request never completed is presumed dead: its outcome is
   * recovered from the events it left, or the request is executed again.
   */
  IDEMPOTENCY_STALE_AFTER_MS: durationMs(30_000),
  /**
   * Most recently used aggregate states kept in memory (0 = none). A load then reads only the events after the
   * kept version; the conditional append keeps this correct with any number of instances.
   */
  AGGREGATE_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /**
   * `optimistic`: a command on a kept state is decided without reading the store, and the conditional append
   * catches a newer event (one round trip per command while an aggregate's commands reach this instance).
   * `verified`: the events after the kept state are read first (fewer failed appends when instances share
   * aggregates without routing by id). See HeldStateMode in es-core.
   */
  AGGREGATE_CACHE_MODE: z.enum(['optimistic', 'verified']).default('optimistic'),
};

export type CommandServiceConfig = z.infer<z.ZodObject<typeof commandServiceConfigShape>>;

export function loadCommandServiceConfig(env: NodeJS.ProcessEnv): CommandServiceConfig {
  return loadConfig(commandServiceConfigShape, env);
}
