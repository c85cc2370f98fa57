import { Client, auth, policies, types, type metrics, type tracker } from 'cassandra-driver';
import type { CqlConfig } from './cql-config';

export type CqlDialect = 'scylla' | 'cassandra';

/**
 * The longest the driver waits between two attempts to reach a database it lost. A service thus serves again at
 * most this long (plus opening a connection) after the database is back: the command-service's database-restart
 * test holds it to this plus 1.5 s. On a dead node the attempts are a couple of refused TCP connections per host and
 * process each second, cheap even through a long outage.
 */
export const CQL_RECONNECTION_MAX_DELAY_MS = 1_000;
const CQL_RECONNECTION_BASE_DELAY_MS = 250;

/** The longest one CQL request waits for its answer before it fails (outcome unknown for a write). */
export const CQL_READ_TIMEOUT_MS = 12_000;

/**
 * One driver client per process. Data statements default to LOCAL_QUORUM and LWTs to LOCAL_SERIAL: the
 * driver's own default (LOCAL_ONE) would let a read miss an acknowledged append.
 */
export function createCqlClient(
  config: CqlConfig,
  options: { keyspace?: string; metrics?: metrics.ClientMetrics; requestTracker?: tracker.RequestTracker } = {},
): Client {
  const client = new Client({
    contactPoints: config.SCYLLA_NODES,
    localDataCenter: config.SCYLLA_LOCAL_DC,
    ...(options.keyspace ? { keyspace: options.keyspace } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.requestTracker ? { requestTracker: options.requestTracker } : {}),
    ...(config.SCYLLA_USERNAME && config.SCYLLA_PASSWORD
      ? { authProvider: new auth.PlainTextAuthProvider(config.SCYLLA_USERNAME, config.SCYLLA_PASSWORD) }
      : {}),
    queryOptions: {
      consistency: types.consistencies.localQuorum,
      serialConsistency: types.consistencies.localSerial,
      prepare: true,
    },
    protocolOptions: { maxSchemaAgreementWaitSeconds: 30 },
    // The driver's default waits up to 10 min between attempts, doubling: after a node restart a service would stay
    // unavailable long after the node is back. With 5 s at most, a service restarted with its database took up to
    // 3.4 s after the database answered to serve again; 1 s at most keeps that within a second or two.
    policies: {
      reconnection: new policies.reconnection.ExponentialReconnectionPolicy(CQL_RECONNECTION_BASE_DELAY_MS, CQL_RECONNECTION_MAX_DELAY_MS, false),
    },
    socketOptions: { connectTimeout: 5_000, readTimeout: CQL_READ_TIMEOUT_MS },
  });
  surviveControlConnectionRace(client);
  return client;
}

interface RefreshingControlConnection {
  _refresh?: (hostIterator?: unknown) => Promise<void>;
}

/**
 * cassandra-driver 4.10 (the newest) can end the process when connections die under load, as when the database
 * restarts: a refresh of its control connection that a timer scheduled races one that a closed connection started;
 * the first reads the connection the second has just reset, and its TypeError escapes from the timer as an
 * unhandled rejection. A refresh handles every connection failure itself, so what escapes it is only this race, and
 * the racing refresh carries on with the control connection: the loser's error is dropped. (A fault test with a
 * TCP proxy that cuts connections mid-request crashed the command-service this way.)
 */
function surviveControlConnectionRace(client: Client): void {
  const control = (client as unknown as { controlConnection?: RefreshingControlConnection }).controlConnection;
  const refresh = control?._refresh;
  if (!control || typeof refresh !== 'function') return;
  control._refresh = (hostIterator) => refresh.call(control, hostIterator).catch(() => undefined);
}

/** ScyllaDB has tables in `system` that Cassandra lacks; that is the cheapest reliable tell. */
export async function detectDialect(client: Client, configured: CqlConfig['SCYLLA_DIALECT']): Promise<CqlDialect> {
  if (configured !== 'auto') return configured;
  const result = await client.execute(
    'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?',
    ['system', 'scylla_local'],
    { prepare: true, consistency: types.consistencies.localOne },
  );
  return result.rowLength > 0 ? 'scylla' : 'cassandra';
}
