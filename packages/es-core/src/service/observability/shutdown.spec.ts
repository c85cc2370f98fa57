import { EventEmitter } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import { HealthRegistry } from './health';
import { GracefulShutdown } from './shutdown';

const silentLogger = () => winston.createLogger({ silent: true });

function harness(options: { timeoutMs?: number } = {}) {
  const signals = new EventEmitter();
  const exit = jest.fn<void, [number]>();
  const health = new HealthRegistry();
  const shutdown = new GracefulShutdown({
    logger: silentLogger(),
    timeoutMs: options.timeoutMs ?? 1_000,
    health,
    signalSource: signals,
    exit,
  });
  return { signals, exit, health, shutdown };
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

describe('GracefulShutdown', () => {
  it('on SIGTERM marks not ready, then runs the steps in order, then exits 0', async () => {
    const { signals, exit, health, shutdown } = harness();
    const order: string[] = [];
    shutdown
      .addStep('finish in-flight work', async () => {
        expect(health.isShuttingDown).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 10));
        order.push('in-flight');
      })
      .addStep('commit checkpoints', () => {
        order.push('checkpoints');
      })
      .addStep('close clients', async () => {
        order.push('clients');
      })
      .install();

    signals.emit('SIGTERM');
    await expect(shutdown.shutdown('again')).resolves.toBe(0);
    expect(order).toEqual(['in-flight', 'checkpoints', 'clients']);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits 1 when the steps overrun the timeout', async () => {
    const { exit, shutdown } = harness({ timeoutMs: 30 });
    const late = jest.fn();
    shutdown
      .addStep('stuck', () => new Promise<void>((resolve) => setTimeout(resolve, 200).unref()))
      .addStep('never reached in time', late);
    const startedAt = Date.now();
    await expect(shutdown.shutdown('test')).resolves.toBe(1);
    expect(Date.now() - startedAt).toBeLessThan(150);
    expect(exit).toHaveBeenCalledWith(1);
    expect(late).not.toHaveBeenCalled();
  });

  it('still runs the later steps after one fails, then exits 1', async () => {
    const { exit, shutdown } = harness();
    const closeClients = jest.fn();
    shutdown
      .addStep('commit checkpoints', () => Promise.reject(new Error('broker gone')))
      .addStep('close clients', closeClients);
    await expect(shutdown.shutdown('test')).resolves.toBe(1);
    expect(closeClients).toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('exits at once on a second signal', async () => {
    const { signals, exit, shutdown } = harness();
    shutdown.addStep('slow', () => new Promise<void>((resolve) => setTimeout(resolve, 50))).install();
    signals.emit('SIGINT');
    signals.emit('SIGINT');
    expect(exit).toHaveBeenCalledWith(1);
    await shutdown.shutdown('wait for the first');
  });

  it('stops accepting connections, lets an in-flight request finish, and closes idle keep-alive ones', async () => {
    const { exit, shutdown } = harness({ timeoutMs: 2_000 });
    let release: () => void = () => undefined;
    const server = createServer((req, res) => {
      if (req.url === '/slow') {
        release = () => res.end('done');
        return;
      }
      res.end('quick');
    });
    server.keepAliveTimeout = 60_000;
    const port = await listen(server);
    const agent = new (await import('node:http')).Agent({ keepAlive: true });
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        httpRequest({ port, host: '127.0.0.1', path, agent }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(body));
        })
          .on('error', reject)
          .end();
      });

    await get('/quick'); // leaves an idle keep-alive socket behind
    const inFlight = get('/slow');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const afterServer = jest.fn();
    shutdown.addServer(server).addStep('after server', afterServer);
    const done = shutdown.shutdown('test');

    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.listening).toBe(false);
    expect(afterServer).not.toHaveBeenCalled();
    release();
    await expect(inFlight).resolves.toBe('done');
    await expect(done).resolves.toBe(0);
    expect(afterServer).toHaveBeenCalled();
    expect(exit).toHaveBeenCalledWith(0);
    agent.destroy();
  });
});
