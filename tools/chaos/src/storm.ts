import { setTimeout as sleep } from 'node:timers/promises';
import { checkResult, type CheckResult } from './check/check-result';
import { runChecks } from './check/run-checks';
import { servicesNotReady } from './check/settled-checks';
import { faultCycle, type Fault, type FaultId } from './faults/fault-catalogue';
import { publishPoison } from './faults/poison';
import { pipelineRecovered, poisonDeadLettered } from './faults/recovery';
import { CommandLedger, loadFigures, type AttemptOutcome, type LoadFigures } from './load/ledger';
import { LoadGenerator } from './load/load-generator';
import type { ChaosSettings } from './settings';
import type { Stack } from './stack/stack';

export type StormSettings = Pick<
  ChaosSettings,
  'CHAOS_DURATION' | 'CHAOS_FAULTS' | 'CHAOS_RATE' | 'CHAOS_FAULT_GAP' | 'CHAOS_RECOVERY_TIMEOUT' | 'CHAOS_SETTLE_TIMEOUT' | 'CHAOS_POISON'
>;

/** One injected (or skipped) fault: how long it lasted, and how long the stack took to work again after it. */
export interface FaultRecord {
  readonly id: FaultId;
  readonly name: string;
  readonly startedAtSecond: number;
  readonly lastedMs?: number;
  readonly recoveredAfterMs?: number;
  /** Why it was skipped, or what went wrong while injecting or recovering. */
  readonly note?: string;
}

export interface StormReport {
  readonly stack: string;
  readonly ratePerSecond: number;
  readonly loadSeconds: number;
  readonly load: LoadFigures;
  /** Commands the domain was expected to accept that were refused: each with its attempts, for a look. */
  readonly unexpectedRejections: readonly string[];
  readonly faults: readonly FaultRecord[];
  readonly checks: readonly CheckResult[];
  /** Seconds from the end of the load until the checks passed (or gave up). */
  readonly settledAfterSeconds: number;
}

type Log = (line: string) => void;

const SETTLE_GRACE_MS = 120_000;
const CHECK_ROUNDS_PAUSE_MS = 15_000;

/**
 * The storm: a steady command load, the fault cycle repeated until CHAOS_DURATION has passed (at least once whole,
 * each fault injected after the previous one was recovered from), then the load stops, the stack settles and the
 * checker holds every store against the commands the load sent.
 */
export async function runStorm(stack: Stack, settings: StormSettings, log: Log): Promise<StormReport> {
  const since = new Date();
  await untilReady(stack, settings.CHAOS_RECOVERY_TIMEOUT * 1000);
  const ledger = new CommandLedger();
  const load = new LoadGenerator(ledger, {
    commandUrl: stack.urls['command-service'],
    writeToken: stack.tokens.write,
    ratePerSecond: settings.CHAOS_RATE,
    settleGraceMs: SETTLE_GRACE_MS,
  });
  const loadStartedAt = Date.now();
  load.start();
  log(`load: ${settings.CHAOS_RATE} commands/s for at least ${settings.CHAOS_DURATION} s on ${stack.description}`);
  const poisoned = new Set<string>();
  const faults: FaultRecord[] = [];
  const cycle = faultCycle(stack.faults, new Set(settings.CHAOS_FAULTS));
  const loadEndsAt = loadStartedAt + settings.CHAOS_DURATION * 1000;
  for (let index = 0; index < cycle.length || Date.now() < loadEndsAt; index += 1) {
    await sleep(settings.CHAOS_FAULT_GAP * 1000);
    const fault = cycle[index % cycle.length];
    if (!fault) break;
    const record = await injectAndRecover(fault, stack, load, settings, poisoned, loadStartedAt);
    faults.push(record);
    log(`fault ${faults.length}: ${describeFault(record)}`);
  }
  const remaining = loadEndsAt - Date.now();
  if (remaining > 0) await sleep(remaining);
  const loadSeconds = (Date.now() - loadStartedAt) / 1000;
  await load.stop();
  log(`load stopped after ${loadSeconds.toFixed(0)} s; ${JSON.stringify(loadFigures(ledger.commands))}`);

  const settleStartedAt = Date.now();
  const settleDeadline = settleStartedAt + settings.CHAOS_SETTLE_TIMEOUT * 1000;
  const maxCopies = 1 + faults.filter((record) => record.lastedMs !== undefined).length;
  let checks: CheckResult[] = [];
  for (;;) {
    await untilReady(stack, Math.max(1_000, settleDeadline - Date.now())).catch(() => undefined);
    checks = [...(await runChecks({ stack, ledger, poisoned, since, maxCopies })), recoveryCheck(faults)];
    const failing = checks.filter((check) => !check.passed).map((check) => check.name);
    if (failing.length === 0 || Date.now() + CHECK_ROUNDS_PAUSE_MS > settleDeadline) break;
    log(`not settled yet (${failing.join('; ')}); checking again in ${CHECK_ROUNDS_PAUSE_MS / 1000} s`);
    await sleep(CHECK_ROUNDS_PAUSE_MS);
  }
  return {
    stack: stack.description,
    ratePerSecond: settings.CHAOS_RATE,
    loadSeconds,
    load: loadFigures(ledger.commands),
    unexpectedRejections: ledger.commands
      .filter((command) => command.final?.kind === 'rejected' && !command.expectRejection)
      .map((command) => `${command.key} ${command.name} on ${command.aggregateId}: ${command.attempts.map(describeAttempt).join(' → ')}`),
    faults,
    checks,
    settledAfterSeconds: (Date.now() - settleStartedAt) / 1000,
  };
}

async function injectAndRecover(
  fault: Fault,
  stack: Stack,
  load: LoadGenerator,
  settings: StormSettings,
  poisoned: Set<string>,
  loadStartedAt: number,
): Promise<FaultRecord> {
  const startedAt = Date.now();
  const startedAtSecond = Math.round((startedAt - loadStartedAt) / 1000);
  if (fault.skipped) return { id: fault.id, name: fault.name, startedAtSecond, note: `skipped: ${fault.skipped}` };
  const timeoutMs = settings.CHAOS_RECOVERY_TIMEOUT * 1000;
  try {
    if (fault.proof === 'poison') {
      const ids = await publishPoison(stack.kafka, settings.CHAOS_POISON);
      for (const id of ids) poisoned.add(id);
      const publishedAt = Date.now();
      await poisonDeadLettered(stack, ids, timeoutMs);
      return { id: fault.id, name: `${ids.length} ${fault.name}`, startedAtSecond, lastedMs: publishedAt - startedAt, recoveredAfterMs: Date.now() - publishedAt };
    }
    await fault.inject?.();
    const endedAt = Date.now();
    try {
      await pipelineRecovered(stack, load, timeoutMs);
      return { id: fault.id, name: fault.name, startedAtSecond, lastedMs: endedAt - startedAt, recoveredAfterMs: Date.now() - endedAt };
    } catch (error) {
      return { id: fault.id, name: fault.name, startedAtSecond, lastedMs: endedAt - startedAt, note: `not recovered: ${messageOf(error)}` };
    }
  } catch (error) {
    return { id: fault.id, name: fault.name, startedAtSecond, note: `injection failed: ${messageOf(error)}` };
  }
}

/** Every fault that could be injected was, and the stack worked again within CHAOS_RECOVERY_TIMEOUT. */
function recoveryCheck(faults: readonly FaultRecord[]): CheckResult {
  const failed = faults.filter((record) => record.note !== undefined && !record.note.startsWith('skipped')).map(describeFault);
  return checkResult('every fault recovered from', failed, {
    injected: faults.filter((record) => record.lastedMs !== undefined).length,
    skipped: faults.filter((record) => record.note?.startsWith('skipped')).length,
  });
}

async function untilReady(stack: Stack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let notReady = await servicesNotReady(stack.urls); notReady.length > 0; notReady = await servicesNotReady(stack.urls)) {
    if (Date.now() > deadline) throw new Error(`services not ready: ${notReady.join('; ')}`);
    await sleep(500);
  }
}

const describeAttempt = (attempt: AttemptOutcome): string => {
  const after = `${(attempt.ms / 1000).toFixed(1)} s`;
  switch (attempt.kind) {
    case 'acknowledged':
      return `${attempt.replayed ? 'replayed' : 'acknowledged'} v${attempt.version} (${after})`;
    case 'timed-out':
      return `${attempt.reason} (${after})`;
    default:
      return `${attempt.status} ${attempt.problem} (${after})`;
  }
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function describeFault(record: FaultRecord): string {
  const lasted = record.lastedMs === undefined ? '' : ` lasted ${(record.lastedMs / 1000).toFixed(1)} s,`;
  const recovered = record.recoveredAfterMs === undefined ? '' : ` recovered ${(record.recoveredAfterMs / 1000).toFixed(1)} s later`;
  return `at +${record.startedAtSecond} s ${record.name}:${lasted}${recovered}${record.note ? ` (${record.note})` : ''}`;
}
