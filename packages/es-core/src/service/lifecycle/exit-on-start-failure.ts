import { ConfigurationError } from '../../core/config/environment';

/**
 * main.ts's answer to a start-up that failed: the reason on stderr (a configuration error as its list of
 * variables, anything else with its stack) and exit code 1, so an orchestrator sees the failure.
 */
export function exitOnStartFailure(service: string): (error: unknown) => never {
  return (error) => {
    const message = error instanceof ConfigurationError ? error.message : error instanceof Error ? error.stack : String(error);
    process.stderr.write(`${service} failed to start: ${message}\n`);
    process.exit(1);
  };
}
