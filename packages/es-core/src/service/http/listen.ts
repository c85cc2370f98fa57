import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Starts listening and resolves once the port is bound (port 0 picks a free one), or rejects (port taken). */
export async function listen(app: Express, port: number, host?: string): Promise<{ server: Server; port: number }> {
  const server = host ? app.listen(port, host) : app.listen(port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return { server, port: (server.address() as AddressInfo).port };
}
