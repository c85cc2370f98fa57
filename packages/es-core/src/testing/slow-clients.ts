import net from 'node:net';

/** How a deliberately slow client fared against a server. */
export interface SlowClientOutcome {
  /** The server closed the connection before the client had sent everything (or gave up). */
  readonly closedByServer: boolean;
  /** The status line the server answered with, if any (e.g. `HTTP/1.1 408 Request Timeout`). */
  readonly statusLine?: string;
  /** How long the connection was held, in ms: a figure to print, not to assert on. */
  readonly heldMs: number;
}

export interface TrickleOptions {
  /** One byte is sent each interval. */
  readonly byteIntervalMs?: number;
  /** The client gives up (and reports closedByServer: false) after this long. */
  readonly giveUpAfterMs?: number;
}

const addressOf = (baseUrl: string): { host: string; port: number } => {
  const url = new URL(baseUrl);
  return { host: url.hostname, port: Number(url.port) };
};

/** Sends `head` at once, then `trickle` one byte at a time, until the server closes or the client gives up. */
function trickleRequest(baseUrl: string, head: string, trickle: string, options: TrickleOptions): Promise<SlowClientOutcome> {
  const { byteIntervalMs = 250, giveUpAfterMs = 30_000 } = options;
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect(addressOf(baseUrl));
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      clearInterval(timer);
      socket.destroy();
      const statusLine = received.split('\r\n')[0];
      resolve({ closedByServer, heldMs: Date.now() - started, ...(statusLine ? { statusLine } : {}) });
    };
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.once('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (Date.now() - started > giveUpAfterMs || sent >= trickle.length) {
          socket.removeAllListeners('close');
          finish(false);
          return;
        }
        socket.write(trickle.charAt(sent++));
      }, byteIntervalMs);
    });
  });
}

/** A client that sends its header block one byte at a time and never finishes it (slowloris). */
export function slowHeaders(baseUrl: string, options: TrickleOptions = {}): Promise<SlowClientOutcome> {
  return trickleRequest(baseUrl, 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n', `X-Slow: ${'a'.repeat(100_000)}`, options);
}

/** A client that announces a body of `declaredBytes` and sends it one byte at a time. */
export function slowBody(
  baseUrl: string,
  request: { readonly method: string; readonly path: string; readonly headers?: Readonly<Record<string, string>>; readonly declaredBytes?: number },
  options: TrickleOptions = {},
): Promise<SlowClientOutcome> {
  const declaredBytes = request.declaredBytes ?? 10_000;
  const headers = Object.entries({ ...request.headers, 'content-type': 'application/json', 'content-length': String(declaredBytes) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const head = `${request.method} ${request.path} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`;
  return trickleRequest(baseUrl, head, `{"padding":"${'x'.repeat(declaredBytes)}"}`.slice(0, declaredBytes), options);
}

/** Many connections opened at once that never send a byte. */
export interface ConnectionFlood {
  /** Connections opened that the server has closed so far. */
  closedByServer(): number;
  /** Closes what is still open. */
  end(): void;
}

export async function connectionFlood(baseUrl: string, count: number): Promise<ConnectionFlood> {
  const sockets: net.Socket[] = [];
  let closed = 0;
  let ending = false;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const socket = net.connect(addressOf(baseUrl));
          sockets.push(socket);
          socket.on('error', () => undefined);
          socket.once('close', () => {
            if (!ending) closed++;
            resolve();
          });
          socket.once('connect', () => resolve());
        }),
    ),
  );
  return {
    closedByServer: () => closed,
    end: () => {
      ending = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** What a server did with a round of slow clients and a connection flood. */
export interface AbuseReport {
  readonly slowHeaders: readonly SlowClientOutcome[];
  readonly slowBodies: readonly SlowClientOutcome[];
  readonly floodSize: number;
  /** Flood connections the server closed by itself within `floodDeadlineMs`. */
  readonly floodClosed: number;
  /** The status of a request made once the flood was shed, its connections still held by the client. */
  readonly statusWhileFlooded: number;
}

/**
 * Five slow-header clients and five slow-body clients (on `bodyRequest`, a route that takes a body), then a flood
 * of `floodSize` idle connections, waited for until the server has closed them all or `floodDeadlineMs` passed;
 * then a health request, while the client still holds the flood, shows whether the service serves again.
 */
export async function abuseServer(
  baseUrl: string,
  bodyRequest: Parameters<typeof slowBody>[1],
  { floodSize = 200, floodDeadlineMs = 30_000 }: { floodSize?: number; floodDeadlineMs?: number } = {},
): Promise<AbuseReport> {
  const [headers, bodies] = await Promise.all([
    Promise.all(Array.from({ length: 5 }, () => slowHeaders(baseUrl))),
    Promise.all(Array.from({ length: 5 }, () => slowBody(baseUrl, bodyRequest))),
  ]);
  const flood = await connectionFlood(baseUrl, floodSize);
  const deadline = Date.now() + floodDeadlineMs;
  while (flood.closedByServer() < floodSize && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const floodClosed = flood.closedByServer();
  const statusWhileFlooded = (await fetch(`${baseUrl}/health/live`)).status;
  flood.end();
  return { slowHeaders: headers, slowBodies: bodies, floodSize, floodClosed, statusWhileFlooded };
}

/** What a server did wrong under abuseServer: a slow client it did not cut with 408, or no service while flooded. */
export function abuseFailures(report: AbuseReport): string[] {
  const slow = [...report.slowHeaders.map((outcome) => ['slow headers', outcome] as const), ...report.slowBodies.map((outcome) => ['slow body', outcome] as const)];
  return [
    ...slow
      .filter(([, outcome]) => !outcome.closedByServer || outcome.statusLine !== 'HTTP/1.1 408 Request Timeout')
      .map(([kind, outcome]) => `${kind}: held ${outcome.heldMs} ms, ${outcome.closedByServer ? `closed with ${outcome.statusLine ?? 'no status'}` : 'never closed by the server'}`),
    ...(report.statusWhileFlooded === 200 ? [] : [`a request while flooded answered ${report.statusWhileFlooded}`]),
  ];
}

/** One line of figures for a test's log. */
export const describeAbuse = (report: AbuseReport): string =>
  `slow headers cut after ${report.slowHeaders.map((outcome) => outcome.heldMs).join('/')} ms, ` +
  `slow bodies after ${report.slowBodies.map((outcome) => outcome.heldMs).join('/')} ms, ` +
  `${report.floodClosed} of ${report.floodSize} flood connections closed by the server`;

/** Settings that give a service short deadlines and a low connection cap, so abuseServer meets them in seconds. */
export const SHORT_SERVER_LIMITS: Readonly<Record<string, string>> = {
  HTTP_HEADERS_TIMEOUT_MS: '1000',
  HTTP_REQUEST_TIMEOUT_MS: '2000',
  HTTP_MAX_CONNECTIONS: '60',
};
