import { RuleViolationError } from '@scylla-es/es-core';
import type { DeadLetterRecord } from './dead-letter-record';

export const DLQ_STATUSES = ['parked', 'replayed', 'discarded'] as const;
export type DlqStatus = (typeof DLQ_STATUSES)[number];

/** A failed message as the dlq-service keeps it: the original, its last failure, and where it stands. */
export interface DlqMessage extends Omit<DeadLetterRecord, 'delivery' | 'failedAt'> {
  readonly firstFailedAt: Date;
  readonly lastFailedAt: Date;
  readonly status: DlqStatus;
  readonly statusChangedAt: Date;
  readonly replayCount: number;
  /** Dead-letter topic positions already stored ("partition:offset"). */
  readonly deliveries: ReadonlySet<string>;
}

export const AUDIT_ACTIONS = ['parked', 'failed-again', 'replayed', 'replay-failed', 'discarded'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry of a message's append-only trail. */
export interface AuditEntry {
  readonly at: Date;
  /** Unique within the message; derived from the delivery for dead letters, so a repeated write is the same entry. */
  readonly entryId: string;
  readonly action: AuditAction;
  /** The source service for failures, the caller's principal name for operators' actions. */
  readonly actor: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** What one step does to a message: its new state and the entry that says why. */
export interface MessageChange {
  readonly message: DlqMessage;
  readonly audit: AuditEntry;
}

/** Who asks for a change, and when. */
export interface Operator {
  readonly by: string;
  readonly at: Date;
}

/** 409: the message was replayed already; `force` replays it again. */
export class AlreadyReplayedError extends RuleViolationError {
  constructor(id: string) {
    super('message-already-replayed', `message ${id} was replayed already; replay it again with force`, { id });
  }
}

/** 409: the message was discarded; `force` replays it anyway. */
export class DiscardedMessageError extends RuleViolationError {
  constructor(id: string) {
    super('message-discarded', `message ${id} was discarded; replay it anyway with force`, { id });
  }
}

/** 409: discarding a message that is not parked (replayed or discarded already) would hide what happened. */
export class NotParkedError extends RuleViolationError {
  constructor(id: string, status: DlqStatus) {
    super('message-not-parked', `message ${id} is ${status}, only a parked message can be discarded`, { id, status });
  }
}

/**
 * A dead letter arrives. The first one of a message parks it. A later one (a new failure of the same event, e.g. a
 * re-park after a failed replay) raises its attempts, takes its failure as the last one and parks it again, unless
 * it failed before the message was last replayed or discarded (a late delivery does not undo an operator's
 * decision). A delivery already stored changes nothing: undefined.
 */
export function recordFailure(current: DlqMessage | undefined, letter: DeadLetterRecord): MessageChange | undefined {
  const { delivery, failedAt, ...failure } = letter;
  const audit = (action: AuditAction): AuditEntry => ({
    at: failedAt,
    entryId: `dead-letter:${delivery}`,
    action,
    actor: letter.source,
    detail: {
      errorClass: letter.errorClass,
      ...(letter.errorCode !== undefined ? { errorCode: letter.errorCode } : {}),
      errorMessage: letter.errorMessage,
      attempts: letter.attempts,
      delivery,
    },
  });
  if (!current) {
    return {
      message: {
        ...failure,
        firstFailedAt: failedAt,
        lastFailedAt: failedAt,
        status: 'parked',
        statusChangedAt: failedAt,
        replayCount: 0,
        deliveries: new Set([delivery]),
      },
      audit: audit('parked'),
    };
  }
  if (current.deliveries.has(delivery)) return undefined;
  const newest = failedAt.getTime() >= current.lastFailedAt.getTime();
  const reopens = failedAt.getTime() >= current.statusChangedAt.getTime() && current.status !== 'parked';
  return {
    message: {
      ...current,
      ...(newest
        ? { errorClass: letter.errorClass, errorCode: letter.errorCode, errorMessage: letter.errorMessage, lastFailedAt: failedAt }
        : {}),
      // Senders count attempts themselves (replays included): the highest count seen is the true one.
      attempts: Math.max(current.attempts, letter.attempts),
      ...(reopens ? { status: 'parked' as const, statusChangedAt: failedAt } : {}),
      deliveries: new Set([...current.deliveries, delivery]),
    },
    audit: audit('failed-again'),
  };
}

/**
 * A replay was sent. A replayed or discarded message is replayed again only when forced: twice by mistake would
 * hand the consumer the same message twice (harmless for idempotent consumers, confusing for operators).
 */
export function checkReplayable(current: DlqMessage, force: boolean): void {
  if (force) return;
  if (current.status === 'replayed') throw new AlreadyReplayedError(current.id);
  if (current.status === 'discarded') throw new DiscardedMessageError(current.id);
}

export function recordReplay(current: DlqMessage, { by, at }: Operator, detail: Readonly<Record<string, unknown>>): MessageChange {
  return {
    message: { ...current, status: 'replayed', statusChangedAt: at, replayCount: current.replayCount + 1 },
    audit: { at, entryId: `replay:${at.getTime()}:${current.replayCount + 1}`, action: 'replayed', actor: by, detail: { previousStatus: current.status, ...detail } },
  };
}

/** The replay could not be sent: the message stays as it was, the trail says what went wrong. */
export function recordReplayFailure(current: DlqMessage, { by, at }: Operator, error: string): MessageChange {
  return {
    message: current,
    audit: { at, entryId: `replay-failed:${at.getTime()}:${current.replayCount + 1}`, action: 'replay-failed', actor: by, detail: { error } },
  };
}

export function recordDiscard(current: DlqMessage, { by, at }: Operator, reason: string): MessageChange {
  if (current.status !== 'parked') throw new NotParkedError(current.id, current.status);
  return {
    message: { ...current, status: 'discarded', statusChangedAt: at },
    audit: { at, entryId: `discard:${at.getTime()}`, action: 'discarded', actor: by, detail: { reason } },
  };
}
