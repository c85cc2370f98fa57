import { exitOnStartFailure } from '@scylla-es/es-core/service';
import { SERVICE_NAME, startProjector } from './service';

startProjector(process.env, { handleSignals: true }).catch(exitOnStartFailure(SERVICE_NAME));
