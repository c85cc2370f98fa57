import type { StreamProjection } from '../projection/stream-projection';

/** The error of a projection poisoned on purpose. */
export class PoisonedProjectionError extends Error {
  constructor(aggregateId: string) {
    super(`the projection of ${aggregateId} is poisoned`);
    this.name = 'PoisonedProjectionError';
  }
}

/**
 * For tests, here and in other services': wraps the projector's projections (startProjector's `projections`
 * option) so that applying events of an aggregate in `poisoned` fails, one by one or as a run, deterministically,
 * until the test takes the aggregate out: a poison and its fix.
 */
export function poisonedProjections(poisoned: ReadonlySet<string>) {
  return (defaults: readonly StreamProjection[]): StreamProjection[] =>
    defaults.map((projection) => ({
      aggregateType: projection.aggregateType,
      load: async (aggregateId) => {
        const stream = await projection.load(aggregateId);
        if (!poisoned.has(aggregateId)) return stream;
        const poison = () => Promise.reject(new PoisonedProjectionError(aggregateId));
        return { ...stream, apply: poison, applyAll: poison };
      },
    }));
}
