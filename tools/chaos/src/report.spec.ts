import { checkResult } from './check/check-result';
import { failedChecks, formatReport } from './report';
import type { StormReport } from './storm';

const partialWrites = 'refused and unsettled commands left no partial write';
const refusedYetStored = 'k1 (cancel): refused with 409 order-already-cancelled, yet stored: o1#3';

describe('failedChecks', () => {
  it('lists each check that found violations, with them, and no other', () => {
    expect(failedChecks([checkResult(partialWrites, [refusedYetStored]), checkResult('every service ready again', [])])).toEqual([
      { name: partialWrites, violations: [refusedYetStored] },
    ]);
  });
});

describe('formatReport', () => {
  it('names each fault with its recovery, each check with its figures and violations, and the verdict', () => {
    const report: StormReport = {
      stack: 'local',
      ratePerSecond: 50,
      loadSeconds: 60,
      load: {
        commands: 10, requests: 12, acknowledged: 8, rejected: 2, rejectedAsIntended: 1, timedOut: 1, unavailable: 1,
        unresolved: 0, idempotentReplays: 1, acknowledgedP50Ms: 20, acknowledgedP99Ms: 90,
      },
      unexpectedRejections: ['k1 cancel on o1: TimeoutError (10.0 s) → 409 order-already-cancelled (0.1 s)'],
      faults: [{ id: 'stall', name: 'database stalled for 20 s', startedAtSecond: 5, lastedMs: 20_000, recoveredAfterMs: 3_500 }],
      checks: [checkResult(partialWrites, [refusedYetStored]), checkResult('consumer lag back to zero', [], { 'g on t': 0 })],
      settledAfterSeconds: 12,
    };
    const text = formatReport(report);
    expect(text).toContain('at +5 s database stalled for 20 s: lasted 20.0 s, recovered 3.5 s later');
    expect(text).toContain(`FAIL ${partialWrites}`);
    expect(text).toContain(`      ${refusedYetStored}`);
    expect(text).toContain('PASS consumer lag back to zero: g on t 0');
    expect(text).toContain('refused though valid (1):');
    expect(text).toMatch(/verdict: 1 invariant\(s\) broken$/);
  });
});
