import type { Metrics } from '@scylla-es/es-core/service';
import { Counter, Gauge } from 'prom-client';
import type { CopiesState } from '../copies/copies-state';
import { PHASES, PROJECTIONS } from '../copies/projection-copies';

export interface RebuildMetrics {
  readonly streams: Counter<'projection'>;
  readonly events: Counter<'projection'>;
  readonly rangesScanned: Counter<'projection'>;
  readonly ranges: Gauge<'projection' | 'state'>;
}

/** Rebuild series (docs/operations.md); the phase gauge reads this instance's view of projection_copies at each scrape. */
export function createRebuildMetrics({ registry }: Metrics, state: CopiesState): RebuildMetrics {
  const registers = [registry];
  new Gauge({
    name: 'projector_rebuild_phase',
    help: 'Phase of each projection (1 for the current one): idle, clearing, filling, draining, dropping',
    labelNames: ['projection', 'phase'],
    registers,
    collect() {
      for (const projection of PROJECTIONS) {
        const phase = state.known(projection)?.phase ?? 'idle';
        for (const each of PHASES) this.set({ projection, phase: each }, each === phase ? 1 : 0);
      }
    },
  });
  return {
    streams: new Counter({ name: 'projector_rebuild_streams_total', help: 'Aggregates written into a copy being rebuilt', labelNames: ['projection'], registers }),
    events: new Counter({ name: 'projector_rebuild_events_total', help: 'Events folded into a copy being rebuilt', labelNames: ['projection'], registers }),
    rangesScanned: new Counter({
      name: 'projector_rebuild_ranges_scanned_total',
      help: 'Token ranges of event_store this instance finished scanning for a rebuild',
      labelNames: ['projection'],
      registers,
    }),
    ranges: new Gauge({
      name: 'projector_rebuild_ranges',
      help: 'Token ranges of the rebuild this instance drives: total, and done so far (persisted)',
      labelNames: ['projection', 'state'],
      registers,
    }),
  };
}
