import { exitOnStartFailure } from '@scylla-es/es-core/service';
import { SERVICE_NAME, startCommandService } from './service';

startCommandService(process.env, { handleSignals: true }).catch(exitOnStartFailure(SERVICE_NAME));
