import express from 'express';
import request from 'supertest';
import { sendJson } from './send-json';

describe('sendJson', () => {
  const app = express();
  app.post('/things', (_req, res) => {
    res.setHeader('ETag', '"3"');
    sendJson(res, 201, { id: 'ü-1', version: 3 });
  });

  it('answers the status, the JSON body with its byte length, and keeps headers set before', async () => {
    const response = await request(app).post('/things');
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength('{"id":"ü-1","version":3}')));
    expect(response.headers.etag).toBe('"3"');
    expect(response.body).toEqual({ id: 'ü-1', version: 3 });
  });
});
