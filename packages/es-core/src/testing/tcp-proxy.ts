import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** Chooses the chunks (as a client wrote them) whose forwarding is followed by a cut. */
export type ChunkSelector = (chunk: Buffer) => boolean;

/**
 * How long the upstream side of a cut connection stays open, discarding answers, before it is closed: the engine
 * has read the request and is given time to carry it out, as it would when the client side of a network failed.
 */
const CUT_UPSTREAM_LINGER_MS = 2_000;

/**
 * A TCP relay in front of the database, to cut the service off from it and back again, as a real network or
 * engine outage would (connections reset, new ones refused), without touching the shared engine. `stall` is the
 * other kind of outage: connections stay open and nothing flows, so clients meet timeouts, not refusals. `cut`
 * is the worst moment of a failure: a request reaches the engine, and the connection dies before its answer.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;
  private stalled = false;
  private cuts: { remaining: number; select: ChunkSelector } = { remaining: 0, select: () => true };
  private cutCount = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connections cut so far (see `cut`). */
  get cutsMade(): number {
    return this.cutCount;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
        if (this.stalled) socket.pause();
      }
      client.pipe(upstream).pipe(client);
      // Registered after pipe's own listener, so the chunk has been handed upstream when the cut happens.
      client.on('data', (chunk: Buffer) => {
        if (this.cuts.remaining > 0 && this.cuts.select(chunk)) {
          this.cuts.remaining--;
          this.sever(client, upstream);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /**
   * Arms `count` cuts: each of the next `count` chunks a client sends (among those `select` accepts) is forwarded
   * upstream, then that client's connection is reset before any answer can come back. The engine still carries
   * the request out, so the client cannot know whether it was applied.
   */
  cut(count = 1, select: ChunkSelector = () => true): void {
    this.cuts = { remaining: count, select };
  }

  /** Stops forwarding in both directions, keeping every connection open and accepting new ones. */
  stall(): void {
    this.stalled = true;
    for (const socket of this.sockets) socket.pause();
  }

  /** Forwards again what the stall held back. */
  resume(): void {
    this.stalled = false;
    for (const socket of this.sockets) socket.resume();
  }

  /** Refuses new connections and resets the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private sever(client: net.Socket, upstream: net.Socket): void {
    this.cutCount++;
    upstream.unpipe(client);
    client.unpipe(upstream);
    client.resetAndDestroy();
    // Answers are read and dropped, so the engine is never held up writing them.
    upstream.on('data', () => undefined);
    upstream.resume();
    setTimeout(() => upstream.end(), CUT_UPSTREAM_LINGER_MS).unref();
  }
}
