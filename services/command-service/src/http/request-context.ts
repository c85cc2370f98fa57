import { randomUUID } from 'node:crypto';
import { ValidationError, type EventMetadata } from '@scylla-es/es-core';
import { correlationIdOf, parseIfMatch, principalOf, traceContextOf } from '@scylla-es/es-core/service';
import type { Request, Response } from 'express';
import type { CommandContext } from '../application/command-context';
import { idempotencyKeyHeader } from './schemas';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The Idempotency-Key header, if sent; a malformed one is a 400 (a silently ignored key would double-append). */
export function idempotencyKeyOf(req: Request): string | undefined {
  const value = req.get(IDEMPOTENCY_KEY_HEADER);
  if (value === undefined) return undefined;
  if (!idempotencyKeyHeader.safeParse(value).success) {
    throw new ValidationError('invalid-idempotency-key', 'Idempotency-Key must be 1 to 200 printable ASCII characters', {
      header: IDEMPOTENCY_KEY_HEADER,
    });
  }
  return value;
}

/** Everything the events will say about who sent the command, in reply to what, and when. */
export function commandContextOf(req: Request, res: Response, idempotencyKey: string | undefined): CommandContext {
  const principal = principalOf(res);
  const traceparent = traceContextOf(res)?.traceparent;
  const metadata: EventMetadata = {
    correlationId: correlationIdOf(res),
    commandId: idempotencyKey ?? randomUUID(),
    ...(principal ? { userId: principal.id } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
  const expectedVersion = parseIfMatch(req.get('if-match'));
  return { metadata, now: new Date(), ...(expectedVersion === undefined ? {} : { expectedVersion }) };
}

export const pathOf = (req: Request): string => req.originalUrl.split('?')[0] ?? '/';
