import { TcpProxy, testEngines } from '@scylla-es/es-core/testing';
import { ensureBuilt, spawnService, type ChildService } from './child-service';
import { apiClient, type ApiClient } from './http';
import { dropKeyspace, testEnvironment, waitForEngine } from './service';

export interface ServiceBehindProxy {
  /** Stands between the service and the database: stop, stall or cut it to make the outage under test. */
  readonly proxy: TcpProxy;
  readonly child: ChildService;
  readonly api: ApiClient;
  /** Ends the service (SIGTERM), then the proxy, and drops the keyspace. */
  stop(): Promise<void>;
}

/**
 * A command-service process whose only way to the database is a TcpProxy, on `keyspace`. It runs as its own
 * process, not in the test runner: after an outage, cassandra-driver keeps reconnection timers alive even once
 * its client is shut down, which would hold an in-process runner for minutes.
 */
export async function serviceBehindProxy(keyspace: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ServiceBehindProxy> {
  await ensureBuilt();
  await waitForEngine();
  const [host = '127.0.0.1', port = '9042'] = (testEngines().cqlContactPoints[0] ?? '').split(':');
  const proxy = new TcpProxy(host, Number(port));
  await proxy.start();
  const child = await spawnService(testEnvironment(keyspace, { ...extraEnv, SCYLLA_NODES: proxy.address })).catch(async (error: unknown) => {
    await proxy.stop();
    await dropKeyspace(keyspace);
    throw error;
  });
  return {
    proxy,
    child,
    api: apiClient(child.url),
    stop: async () => {
      if (process.env.DEBUG_TESTS) console.log('exit code', child.process.exitCode, child.stderr());
      // A test may end with the proxy stopped, and the service shuts down promptly only with its database in
      // reach; a proxy that still runs refuses this second start, which is then of no matter.
      await proxy.start().catch(() => undefined);
      if (child.process.exitCode === null) {
        child.process.kill('SIGTERM');
        await child.exited;
      }
      await proxy.stop();
      await dropKeyspace(keyspace);
    },
  };
}
