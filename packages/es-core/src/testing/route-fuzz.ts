import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Scope } from '../service/http/scopes';
import { hostileRequest, type HostileRequest } from './hostile-input';
import { fillPath, type WalkedRoute } from './route-walker';

export interface RouteFuzzOptions {
  readonly baseUrl: string;
  readonly routes: readonly WalkedRoute[];
  /** A valid token per scope: each case carries the one its route needs, so it gets past authentication. */
  readonly tokens: Readonly<Record<Scope, string>>;
  /** A well-formed value for a path parameter, used when a case leaves the ids alone (default: a random UUID). */
  readonly validParam?: (param: string, route: WalkedRoute) => string;
  /** Cases to run (default FUZZ_RUNS or 300). */
  readonly runs?: number;
  /** Fixed seed (default FUZZ_SEED or 20_240_613): fast-check prints it, with the failing case, on failure. */
  readonly seed?: number;
}

/** How the fuzzed service answered, to print. */
export type StatusCounts = ReadonlyMap<number, number>;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+/;

/** Why an answer to a hostile request is wrong, or undefined when it is right. */
function wrongAnswer(status: number, contentType: string, text: string): string | undefined {
  if (status >= 500) return `answered ${status}`;
  if (STACK_TRACE.test(text)) return 'a stack trace in the body';
  if (status < 400) return undefined;
  if (!/^application\/problem\+json/.test(contentType)) return `a ${status} that is not problem+json (${contentType})`;
  const body = JSON.parse(text) as { status?: unknown; type?: unknown; title?: unknown };
  if (body.status !== status || typeof body.type !== 'string' || typeof body.title !== 'string') return 'a malformed problem body';
  return undefined;
}

/**
 * Sends `runs` hostile requests (see hostile-input) to routes of the running service, with a valid token, and
 * fails (through fast-check, with its seed and the smallest failing case) on any 5xx, any error that is not a
 * problem+json document, or any stack trace in a body.
 */
export async function fuzzRoutes(options: RouteFuzzOptions): Promise<StatusCounts> {
  const { baseUrl, routes, tokens } = options;
  const validParam = options.validParam ?? (() => randomUUID());
  const counts = new Map<number, number>();
  const send = async (route: WalkedRoute, request: HostileRequest): Promise<void> => {
    const path = fillPath(route.path, (param) => request.id ?? validParam(param, route));
    const url = `${baseUrl}${path}${request.query === undefined ? '' : `?${request.query}`}`;
    const withBody = request.body !== undefined && BODY_METHODS.has(route.method);
    const response = await fetch(url, {
      method: route.method,
      headers: {
        ...(route.scope === undefined ? {} : { authorization: `Bearer ${tokens[route.scope]}` }),
        ...(withBody ? { 'content-type': request.contentType } : {}),
      },
      ...(withBody ? { body: request.body } : {}),
    });
    const text = await response.text();
    counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
    const wrong = wrongAnswer(response.status, response.headers.get('content-type') ?? '', text);
    if (wrong) throw new Error(`${route.method} ${path.slice(0, 200)}: ${wrong}: ${text.slice(0, 300)}`);
  };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...routes), hostileRequest, send),
    { numRuns: options.runs ?? Number(process.env.FUZZ_RUNS ?? 300), seed: options.seed ?? Number(process.env.FUZZ_SEED ?? 20_240_613) },
  );
  return counts;
}

/** `400×120, 404×30, …`, for a test's log. */
export const describeCounts = (counts: StatusCounts): string =>
  [...counts].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(', ');
