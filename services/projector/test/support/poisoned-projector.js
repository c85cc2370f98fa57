// The projector as its main.js starts it, but with the events of the aggregates listed in POISONED_AGGREGATES
// failing in their projection (startProjector's `projections` option, as test/support/poisoned-projections.ts
// does in-process): a poison in a process of its own, for tests that SIGKILL it. Needs `pnpm build`.
const { startProjector, SERVICE_NAME } = require('../../dist/index.js');
const { exitOnStartFailure } = require('@scylla-es/es-core/service');

const poisoned = new Set((process.env.POISONED_AGGREGATES ?? '').split(',').filter(Boolean));

startProjector(process.env, {
  handleSignals: true,
  projections: (defaults) =>
    defaults.map((projection) => ({
      aggregateType: projection.aggregateType,
      load: async (aggregateId) => {
        const stream = await projection.load(aggregateId);
        if (!poisoned.has(aggregateId)) return stream;
        return { ...stream, apply: () => Promise.reject(new Error(`the projection of ${aggregateId} is poisoned`)) };
      },
    })),
}).catch(exitOnStartFailure(SERVICE_NAME));
