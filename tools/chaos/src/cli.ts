import { formatReport, verdictPassed } from './report';
import { loadChaosSettings } from './settings';
import { composeStack } from './stack/compose-stack';
import { startLocalStack } from './stack/local-stack';
import { runStorm } from './storm';

/** `make chaos`: the long storm; exit code 0 only when every invariant held. */
async function main(): Promise<number> {
  const settings = loadChaosSettings();
  const stack = settings.CHAOS_STACK === 'compose' ? await composeStack(settings) : await startLocalStack(settings);
  const log = (line: string) => process.stdout.write(`[chaos ${new Date().toISOString()}] ${line}\n`);
  let passed = false;
  try {
    const report = await runStorm(stack, settings, log);
    process.stdout.write(`\n${formatReport(report)}\n`);
    passed = verdictPassed(report);
  } finally {
    // A failed verdict keeps the keyspace and the logs to look at.
    await stack.close(!passed);
  }
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos storm failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
