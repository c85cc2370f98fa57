import type { Metrics } from '@scylla-es/es-core/service';
import { Counter, Gauge } from 'prom-client';

/** Why a dead letter was sent. */
export type DeadLetterReason = 'parked' | 'replay-failed' | 'redelivered-head' | 'malformed';

/** The series of parking and replay (docs/operations.md). */
export interface ParkingMetrics {
  /** `head`: an event that kept failing; `held`: a later event of its aggregate kept behind it. */
  parked(role: 'head' | 'held'): void;
  released(events: number): void;
  deadLetterSent(reason: DeadLetterReason): void;
}

/** `parkedAggregates` is read at each scrape from the in-memory set of the partitions this instance owns. */
export function createParkingMetrics({ registry }: Metrics, parkedAggregates: () => number): ParkingMetrics {
  const registers = [registry];
  const parked = new Counter({
    name: 'projector_events_parked_total',
    help: 'Events parked: heads (events that kept failing) and held events (later events of a parked aggregate)',
    labelNames: ['role'],
    registers,
  });
  const released = new Counter({
    name: 'projector_events_released_total',
    help: 'Parked events applied after a replay of their head released the aggregate (the head included)',
    registers,
  });
  const deadLetters = new Counter({
    name: 'projector_dead_letters_sent_total',
    help: 'Dead letters the projector sent, by reason',
    labelNames: ['reason'],
    registers,
  });
  new Gauge({
    name: 'projector_parked_aggregates',
    help: 'Aggregates parked on the partitions this instance owns',
    registers,
    collect() {
      this.set(parkedAggregates());
    },
  });
  return {
    parked: (role) => parked.inc({ role }),
    released: (events) => released.inc(events),
    deadLetterSent: (reason) => deadLetters.inc({ reason }),
  };
}
