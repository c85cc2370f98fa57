import type { EventUpcasting } from '@scylla-es/es-core';
import { customerAggregate, orderAggregate } from '@scylla-es/domain';

/** The upcasters of each aggregate type the projector reads, as the command side registers them. */
export function projectedUpcasting(): (aggregateType: string) => EventUpcasting | undefined {
  const byType = new Map<string, EventUpcasting>(
    [orderAggregate(), customerAggregate()].map((definition) => [definition.aggregateType, definition.events]),
  );
  return (aggregateType) => byType.get(aggregateType);
}
