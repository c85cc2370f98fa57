import type { Client } from 'cassandra-driver';
import { customerAggregate, orderAggregate } from '@scylla-es/domain';
import { mapAtMost, type RecordedEvent } from '@scylla-es/es-core';
import { CqlEventStore } from '@scylla-es/es-core/cql';
import type { AggregateKind } from '../load/ledger';

/** One aggregate's partition of event_store: its static head version and its events in sequence order. */
export interface StoredStream {
  readonly aggregateId: string;
  readonly kind: AggregateKind;
  readonly version: number;
  readonly events: readonly RecordedEvent[];
}

const upcasting = { Order: orderAggregate().events, Customer: customerAggregate().events };

function upcastingFor(aggregateType: string) {
  if (aggregateType !== 'Order' && aggregateType !== 'Customer') throw new Error(`the storm sends no ${aggregateType} commands`);
  return upcasting[aggregateType];
}

/** Reads the partitions of `aggregates` from event_store, lifted by the domain's upcasters as every reader does. */
export async function readStoredStreams(client: Client, keyspace: string, aggregates: ReadonlyMap<string, AggregateKind>): Promise<Map<string, StoredStream>> {
  const store = new CqlEventStore(client, keyspace, upcastingFor);
  const streams = new Map<string, StoredStream>();
  await mapAtMost([...aggregates], 16, async ([aggregateId, kind]) => {
    const events: RecordedEvent[] = [];
    for await (const event of store.read(aggregateId)) events.push(event);
    streams.set(aggregateId, { aggregateId, kind, version: await store.version(aggregateId), events });
  });
  return streams;
}
