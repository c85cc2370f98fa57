import { FAULT_IDS } from '../src/faults/fault-catalogue';
import { failedChecks, formatReport } from '../src/report';
import { loadChaosSettings } from '../src/settings';
import { startLocalStack } from '../src/stack/local-stack';
import { runStorm, type StormReport } from '../src/storm';

/**
 * The short storm of `make test`: the four built services as processes on the test engines, a modest load, every
 * fault of the cycle once, then every invariant checked by reading each store.
 */
describe('the fault storm', () => {
  it('keeps every invariant through each fault once under a steady command load', async () => {
    const settings = loadChaosSettings({
      ...process.env,
      CHAOS_STACK: 'local',
      CHAOS_DURATION: '60s',
      CHAOS_RATE: '50',
      CHAOS_FAULTS: 'all',
      CHAOS_POISON: '2',
      CHAOS_FAULT_GAP: '3s',
    });
    const stack = await startLocalStack(settings);
    let report: StormReport | undefined;
    try {
      report = await runStorm(stack, settings, (line) => console.log(line));
      console.log(formatReport(report));
    } finally {
      await stack.close(false);
    }
    expect(failedChecks(report.checks).map((check) => [check.name, check.violations])).toEqual([]);
    const injected = new Set(report.faults.filter((fault) => fault.lastedMs !== undefined).map((fault) => fault.id));
    const skipped = report.faults.filter((fault) => fault.note?.startsWith('skipped')).map((fault) => fault.id);
    expect(FAULT_IDS.filter((id) => !injected.has(id) && !skipped.includes(id))).toEqual([]);
    expect(report.load.acknowledged).toBeGreaterThan(0);
    expect(report.load.rejectedAsIntended).toBeGreaterThan(0);
  }, 40 * 60_000);
});
