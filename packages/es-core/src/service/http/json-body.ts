import express, { type RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from './errors';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Only an actual body needs a media type. type-is would count `Content-Length: 0` as a body, which would
 * turn a bare `POST /orders/1/cancel` into a 415.
 */
function carriesBody(headers: { 'transfer-encoding'?: string; 'content-length'?: string }): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = Number(headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

/**
 * 415 for a POST/PUT/PATCH body that is not application/json, then express.json with the size limit.
 * body-parser alone would skip such a body silently and the handler would see `undefined`.
 */
export function jsonBody(limitBytes: number | string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (METHODS_WITH_BODY.has(req.method) && carriesBody(req.headers) && !req.is('application/json')) {
      next(new UnsupportedMediaTypeError());
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit: limitBytes, type: 'application/json', strict: true })];
}
