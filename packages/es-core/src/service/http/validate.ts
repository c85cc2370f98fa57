import type { Request } from 'express';
import { ZodError, type z } from 'zod';

/** Where a request value came from; it becomes the first segment of every issue's path. */
export type RequestPart = 'body' | 'params' | 'query' | 'headers';

function parsePart<Schema extends z.ZodType>(schema: Schema, value: unknown, part: RequestPart): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Prefixed so a client can tell the body field `id` from the path parameter `id`.
  throw new ZodError(result.error.issues.map((issue) => ({ ...issue, path: [part, ...issue.path] })));
}

/** The JSON body, validated; throws ZodError (→ 400 validation-failed). A missing body validates as undefined. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, req: Request): z.output<Schema> {
  return parsePart(schema, req.body, 'body');
}

/** Path parameters, validated; throws ZodError (→ 400 validation-failed). */
export function parseParams<Schema extends z.ZodType>(schema: Schema, req: Request): z.output<Schema> {
  return parsePart(schema, req.params, 'params');
}

/** The query string, validated; throws ZodError (→ 400 validation-failed). Values arrive as strings: coerce. */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, req: Request): z.output<Schema> {
  return parsePart(schema, req.query, 'query');
}

/** Selected headers, validated; names are lower-case as node delivers them. */
export function parseHeaders<Schema extends z.ZodType>(schema: Schema, req: Request): z.output<Schema> {
  return parsePart(schema, req.headers, 'headers');
}
