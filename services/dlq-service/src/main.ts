import { exitOnStartFailure } from '@scylla-es/es-core/service';
import { SERVICE_NAME, startDlqService } from './service';

startDlqService(process.env, { handleSignals: true }).catch(exitOnStartFailure(SERVICE_NAME));
