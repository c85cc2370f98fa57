import { setTimeout as sleep } from 'node:timers/promises';
import type { AttemptOutcome, AttemptResult, CommandRecord, FinalOutcome } from './ledger';

/** One REST command of the command-service's API. */
export interface CommandRequest {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: object;
}

export interface SenderOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** How long one attempt waits for its answer. */
  readonly attemptTimeoutMs: number;
  /** Awaited before every attempt: the load's rate. */
  readonly beforeAttempt: () => Promise<void>;
}

/** 409 with Retry-After: the same key is still being executed by an earlier attempt. Everything else 4xx settles. */
function classify(status: number, body: Record<string, unknown>, retryAfter: string | null): AttemptResult {
  const problem = typeof body.type === 'string' ? (body.type.split('/').pop() ?? '') : '';
  if (status >= 200 && status < 300) {
    return { kind: 'acknowledged', version: Number(body.version), replayed: false };
  }
  if (status >= 500 || status === 429 || (status === 409 && retryAfter !== null)) return { kind: 'unavailable', status, problem };
  return { kind: 'rejected', status, problem };
}

async function attempt(request: CommandRequest, key: string, options: SenderOptions): Promise<AttemptOutcome> {
  const startedAt = Date.now();
  const result = await attemptResult(request, key, options);
  return { ...result, ms: Date.now() - startedAt };
}

async function attemptResult(request: CommandRequest, key: string, options: SenderOptions): Promise<AttemptResult> {
  try {
    const response = await fetch(`${options.baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${options.token}`,
        'idempotency-key': key,
        ...(request.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(options.attemptTimeoutMs),
    });
    const text = await response.text();
    const body = parseObject(text);
    const outcome = classify(response.status, body, response.headers.get('retry-after'));
    return outcome.kind === 'acknowledged' ? { ...outcome, replayed: response.headers.get('idempotent-replayed') === 'true' } : outcome;
  } catch (error) {
    return { kind: 'timed-out', reason: error instanceof Error ? error.name : 'unknown' };
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Sends a command until an answer settles it, as a careful client does: the same Idempotency-Key every time, so
 * a command whose first answer was lost runs at most once. Gives up (unresolved) once `giveUpAt` has passed.
 */
export async function sendUntilSettled(
  record: CommandRecord,
  request: CommandRequest,
  options: SenderOptions,
  giveUpAt: () => number,
): Promise<FinalOutcome> {
  let pause = 250;
  for (;;) {
    await options.beforeAttempt();
    const outcome = await attempt(request, record.key, options);
    record.attempts.push(outcome);
    if (outcome.kind === 'acknowledged') return (record.final = { kind: 'acknowledged', version: outcome.version });
    if (outcome.kind === 'rejected') return (record.final = { kind: 'rejected', status: outcome.status, problem: outcome.problem });
    if (Date.now() + pause > giveUpAt()) return (record.final = { kind: 'unresolved' });
    await sleep(pause);
    pause = Math.min(pause * 2, 4_000);
  }
}
