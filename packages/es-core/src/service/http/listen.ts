import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './http-config';

/**
 * How often Node looks for requests past their header or request deadline. Its default (30 s) would let a slow
 * client hold a connection for up to that long past the deadline.
 */
const DEADLINE_CHECK_INTERVAL_MS = 1_000;

/**
 * Starts listening and resolves once the port is bound (port 0 picks a free one), or rejects (port taken). The
 * server enforces `limits` (slow headers and bodies, idle connections, header counts, connection floods).
 */
export async function listen(
  app: Express,
  port: number,
  host?: string,
  limits: ServerLimits = DEFAULT_SERVER_LIMITS,
): Promise<{ server: Server; port: number }> {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(DEADLINE_CHECK_INTERVAL_MS, limits.headersTimeoutMs),
    },
    app,
  );
  server.maxHeadersCount = limits.maxHeadersCount;
  server.maxConnections = limits.maxConnections;
  // Node's header deadline starts with a request's first byte: a connection that never sends one would keep its
  // slot forever, and enough of them would lock every client out. It gets the same deadline for its first byte.
  server.on('connection', (socket) => {
    setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, limits.headersTimeoutMs).unref();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
    if (host) server.listen(port, host);
    else server.listen(port);
  });
  return { server, port: (server.address() as AddressInfo).port };
}
