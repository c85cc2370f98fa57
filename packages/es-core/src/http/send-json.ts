import type { Response } from 'express';

/**
 * Answers `status` with `body` as JSON in a single `end()` of the text. Express's `res.json()` turns the text
 * into a Buffer first (for its ETag and length handling, which these responses do not use), and then Node can
 * no longer put the headers and the body in one piece: one more buffer copy and a vectored write per response
 * on the commands' hot path.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
