import type { CheckResult } from './check/check-result';
import { describeFault, type StormReport } from './storm';

const MAX_DETAILS = 20;

/** Each failed check with its violations: what makes the storm fail. */
export const failedChecks = (checks: readonly CheckResult[]): { name: string; violations: readonly string[] }[] =>
  checks.filter((check) => check.violations.length > 0).map((check) => ({ name: check.name, violations: check.violations }));

export const verdictPassed = (report: StormReport): boolean => report.checks.every((check) => check.passed);

const figuresOf = (figures: Readonly<Record<string, number | string>>): string =>
  Object.entries(figures)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');

/** The checks' figures that count repeats: event_store (commands stored twice), each topic, the dead letters. */
function duplicatesPerStage(checks: readonly CheckResult[]): string {
  const repeats = checks.flatMap((check) =>
    Object.entries(check.figures).filter(([name]) => /repeat|more than once|most copies/.test(name)),
  );
  return repeats.map(([name, value]) => `${name} ${value}`).join(', ') || 'none counted';
}

/** The storm's report as text: the load, each fault and its recovery, each invariant and its figures, the verdict. */
export function formatReport(report: StormReport): string {
  const { load } = report;
  const lines = [
    `chaos storm on ${report.stack}`,
    `load: ${report.ratePerSecond} commands/s asked, ${(load.requests / report.loadSeconds).toFixed(1)} requests/s sent, for ${report.loadSeconds.toFixed(0)} s; ` +
      `acknowledged in ${load.acknowledgedP50Ms} ms (p50), ${load.acknowledgedP99Ms} ms (p99)`,
    `  commands sent ${load.commands} (${load.requests} requests), acknowledged ${load.acknowledged}, rejected ${load.rejected} ` +
      `(${load.rejectedAsIntended} on purpose), timed out at least once ${load.timedOut}, answered unavailable at least once ${load.unavailable}, ` +
      `never settled ${load.unresolved}, answers replayed by Idempotency-Key ${load.idempotentReplays}`,
    ...(report.unexpectedRejections.length > 0
      ? [`  refused though valid (${report.unexpectedRejections.length}):`, ...report.unexpectedRejections.slice(0, 10).map((line) => `    ${line}`)]
      : []),
    `faults (${report.faults.length}):`,
    ...report.faults.map((fault) => `  ${describeFault(fault)}`),
    `duplicates per stage: ${duplicatesPerStage(report.checks)}`,
    `checks, ${report.settledAfterSeconds.toFixed(0)} s after the load stopped:`,
  ];
  for (const check of report.checks) {
    lines.push(`  ${check.passed ? 'PASS' : 'FAIL'} ${check.name}${Object.keys(check.figures).length > 0 ? `: ${figuresOf(check.figures)}` : ''}`);
    lines.push(...check.violations.slice(0, MAX_DETAILS).map((violation) => `      ${violation}`));
    if (check.violations.length > MAX_DETAILS) lines.push(`      … ${check.violations.length - MAX_DETAILS} more`);
  }
  lines.push(verdictPassed(report) ? 'verdict: every invariant held' : `verdict: ${report.checks.filter((check) => !check.passed).length} invariant(s) broken`);
  return lines.join('\n');
}
