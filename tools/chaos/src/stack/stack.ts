import type { Client } from 'cassandra-driver';
import type { Kafka } from 'kafkajs';

export const SERVICES = ['command-service', 'cdc-relay', 'projector', 'dlq-service'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * What a fault needs from the stack it is injected into. A control the stack cannot offer is absent, and the
 * fault using it is reported as skipped with `unsupported[...]`'s reason.
 */
export interface FaultControls {
  /** SIGKILL, then start the service again as its supervisor would. */
  killService?(name: ServiceName): Promise<void>;
  /** Crash the database (SIGKILL) and start it again; resolves once it answers CQL. */
  restartDatabase?(): Promise<void>;
  killBroker?(): Promise<void>;
  startBroker?(): Promise<void>;
  /** Connections stay open and nothing flows between the services and the database. */
  stallDatabase?(): Promise<void>;
  resumeDatabase?(): Promise<void>;
  /** A new CDC generation; resolves with the instant it takes over. */
  newCdcGeneration?(): Promise<Date>;
  readonly unsupported: Readonly<Record<string, string>>;
}

/** A running stack the storm loads, harms and checks. */
export interface Stack {
  readonly description: string;
  readonly urls: Readonly<Record<ServiceName, string>>;
  readonly tokens: { readonly write: string; readonly read: string; readonly admin: string };
  /** The checker's own session, straight to the database (never through the stall proxy). */
  readonly client: Client;
  readonly keyspace: string;
  readonly kafka: Kafka;
  readonly eventTopics: readonly string[];
  readonly deadLetterTopic: string;
  readonly consumerGroups: { readonly projector: string; readonly dlq: string };
  readonly faults: FaultControls;
  /** Stops what the harness started; keeps the data when `keepData` (for a look after a failed verdict). */
  close(keepData: boolean): Promise<void>;
}
