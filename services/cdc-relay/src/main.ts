import { exitOnStartFailure } from '@scylla-es/es-core/service';
import { SERVICE_NAME, startCdcRelay } from './service';

startCdcRelay(process.env, { handleSignals: true }).catch(exitOnStartFailure(SERVICE_NAME));
