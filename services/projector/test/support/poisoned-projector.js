// The projector as its main.js starts it, but with the events of the aggregates listed in POISONED_AGGREGATES
// failing in their projection (src/testing/poisoned-projections.ts): a poison in a process of its own, for tests
// that SIGKILL it. Needs `pnpm build`.
const { poisonedProjections, startProjector, SERVICE_NAME } = require('../../dist/index.js');
const { exitOnStartFailure } = require('@scylla-es/es-core/service');

const poisoned = new Set((process.env.POISONED_AGGREGATES ?? '').split(',').filter(Boolean));

startProjector(process.env, { handleSignals: true, projections: poisonedProjections(poisoned) }).catch(exitOnStartFailure(SERVICE_NAME));
