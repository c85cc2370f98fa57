import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from '@scylla-es/es-core/testing';

const run = promisify(execFile);

/** A ring as one ScyllaDB node presents it: vnodes × shards CDC streams per generation. */
export interface Ring {
  readonly vnodes: number;
  readonly shards: number;
}

export const streamsOf = (ring: Ring): number => ring.vnodes * ring.shards;

/** `16x2,256x8` → rings. */
export function parseRings(text: string): Ring[] {
  return text.split(',').map((item) => {
    const [vnodes, shards] = item.trim().split('x').map(Number);
    if (!Number.isInteger(vnodes) || !Number.isInteger(shards)) throw new Error(`a ring is <vnodes>x<shards>, not '${item}'`);
    return { vnodes: vnodes as number, shards: shards as number };
  });
}

export interface RingNode {
  /** The environment that points the engines helpers (testEngines), a fixture and a relay at this node. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

// Read once: a ring node's callers point process.env at it.
const port = (name: string, fallback: number) => String(Number(process.env[`RING_NODE_${name}`] ?? Number(process.env[name] ?? fallback) + 1));
const ports = {
  CASSANDRA_PORT: port('CASSANDRA_PORT', 9042),
  CASSANDRA_STORAGE_PORT: port('CASSANDRA_STORAGE_PORT', 7000),
  CDC_ADMIN_PORT: port('CDC_ADMIN_PORT', 9180),
};

/**
 * A local Cassandra with the CDC emulation bootstrapped with this ring, in a fresh home of its own beside the
 * engines (a ring's vnodes are fixed at bootstrap), on ports one above the main node's (or RING_NODE_<name> for
 * CASSANDRA_PORT, CASSANDRA_STORAGE_PORT and CDC_ADMIN_PORT).
 */
export async function startRingNode(ring: Ring): Promise<RingNode> {
  const root = repositoryRoot();
  const home = path.join(process.env.ENGINES_HOME ?? path.join(root, '.engines'), `ring-${ring.vnodes}x${ring.shards}`);
  const ctlEnv = {
    ...process.env,
    ...ports,
    ENGINES_HOME: home,
    CASSANDRA_NUM_TOKENS: String(ring.vnodes),
    CDC_SHARDS: String(ring.shards),
    // A fresh node bootstraps its ring and schema first: slow on a busy machine.
    CASSANDRA_START_TIMEOUT: process.env.CASSANDRA_START_TIMEOUT ?? '600',
  };
  const ctl = (command: string) => run(path.join(root, 'infra', 'local', 'cassandra', 'ctl.sh'), [command], { env: ctlEnv, timeout: 900_000 });
  await rm(home, { recursive: true, force: true });
  await ctl('start');
  return {
    env: { SCYLLA_NODES: `127.0.0.1:${ports.CASSANDRA_PORT}`, CDC_ADMIN_PORT: ports.CDC_ADMIN_PORT },
    stop: async () => {
      await ctl('stop');
      await rm(home, { recursive: true, force: true });
    },
  };
}
