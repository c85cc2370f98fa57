import type { Response } from 'express';

/**
 * Answers `status` with `body` as JSON in a single `end()` of the text. Express's `res.json()` also turns the
 * text into a Buffer (for ETag and length handling these responses do not use): one more copy per response on
 * the commands' hot path.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
