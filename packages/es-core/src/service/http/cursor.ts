import type { z } from 'zod';
import { ValidationError } from '../../core/errors/domain-errors';

/** A cursor that this API did not hand out for this listing (HTTP 400). */
export class InvalidCursorError extends ValidationError {
  constructor(reason: string) {
    super('invalid-cursor', `the cursor is not valid for this listing: ${reason}`);
  }
}

/**
 * Cursors are opaque to clients: the position after the last row of a page, as base64url JSON. It names the
 * listing it belongs to (`scope`), so a cursor of one customer's orders cannot page through another's.
 */
export function encodeCursor(scope: string, position: object): string {
  return Buffer.from(JSON.stringify({ scope, ...position }), 'utf8').toString('base64url');
}

export function decodeCursor<Schema extends z.ZodObject>(cursor: string, scope: string, schema: Schema): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor');
  }
  const scoped = json as { scope?: unknown } | null;
  if (typeof scoped !== 'object' || scoped === null || scoped.scope !== scope) throw new InvalidCursorError('it belongs to another listing');
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError('not a cursor');
  return parsed.data;
}
