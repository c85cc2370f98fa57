import { z } from 'zod';
import { hostList, positiveInt } from '../core/config/environment';

/** Settings every service that talks to ScyllaDB shares. */
export const cqlConfigShape = {
  SCYLLA_NODES: hostList(9042).default(['127.0.0.1:9042']),
  SCYLLA_LOCAL_DC: z.string().min(1).default('datacenter1'),
  SCYLLA_KEYSPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _, starting with a letter')
    .default('scylla_es'),
  SCYLLA_REPLICATION_FACTOR: positiveInt(1),
  SCYLLA_USERNAME: z.string().min(1).optional(),
  SCYLLA_PASSWORD: z.string().min(1).optional(),
  /** `auto` asks the cluster; tests may pin it. */
  SCYLLA_DIALECT: z.enum(['auto', 'scylla', 'cassandra']).default('auto'),
};

export type CqlConfig = z.infer<z.ZodObject<typeof cqlConfigShape>>;
