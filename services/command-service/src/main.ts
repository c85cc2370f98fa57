import { ConfigurationError } from '@scylla-es/es-core';
import { startCommandService } from './service';

// Wiring only: everything is built in service.ts, which tests also start in-process.
startCommandService(process.env, { handleSignals: true }).catch((error: unknown) => {
  const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`command-service failed to start: ${message}\n`);
  process.exit(1);
});
