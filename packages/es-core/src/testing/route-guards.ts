import { randomUUID } from 'node:crypto';
import { SCOPES, type Scope } from '../service/http/scopes';
import { fillPath, type WalkedRoute } from './route-walker';

export interface RouteGuardCheck {
  readonly baseUrl: string;
  readonly routes: readonly WalkedRoute[];
  /** `METHOD /path` of the routes meant to be open (health, metrics, …): anything else unguarded is a failure. */
  readonly open: readonly string[];
  /** A valid token per scope. */
  readonly tokens: Readonly<Record<Scope, string>>;
}

const PROBLEM_JSON = /^application\/problem\+json/;

const nameOf = (route: WalkedRoute): string => `${route.method} ${route.path}`;

/** The problems with one answer that should be a 401 or 403 problem with its challenge, or undefined. */
async function deniedProblem(response: Response, status: number): Promise<string | undefined> {
  const text = await response.text();
  if (response.status !== status) return `${response.status} instead of ${status}: ${text.slice(0, 200)}`;
  if (!PROBLEM_JSON.test(response.headers.get('content-type') ?? '')) return `not problem+json: ${response.headers.get('content-type')}`;
  if (!response.headers.get('www-authenticate')) return 'no WWW-Authenticate challenge';
  const body = JSON.parse(text) as { status?: unknown };
  return body.status === status ? undefined : `body status ${String(body.status)}`;
}

/**
 * Walks every route: an unguarded one must be listed as open and answer without a token; a guarded one answers
 * 401 (problem+json, challenge) without a token and with an unknown one, and 403 to a token one scope too low.
 * Returns what failed, one line each, for `expect(...).toEqual([])`.
 */
export async function routeGuardFailures({ baseUrl, routes, open, tokens }: RouteGuardCheck): Promise<string[]> {
  const failures: string[] = [];
  const send = (route: WalkedRoute, authorization?: string) =>
    fetch(`${baseUrl}${fillPath(route.path, () => randomUUID())}`, {
      method: route.method,
      headers: authorization === undefined ? {} : { authorization },
    });
  for (const listed of open) {
    if (!routes.some((route) => nameOf(route) === listed)) failures.push(`${listed}: listed as open but not served`);
  }
  for (const route of routes) {
    const name = nameOf(route);
    if (route.scope === undefined) {
      if (!open.includes(name)) {
        failures.push(`${name}: no scope guard and not listed as open`);
        continue;
      }
      const response = await send(route);
      await response.arrayBuffer();
      if (response.status === 401 || response.status === 403 || response.status >= 500 && response.status !== 503) {
        failures.push(`${name}: open route answered ${response.status}`);
      }
      continue;
    }
    const checks: [string, string | undefined, number][] = [
      ['no token', undefined, 401],
      ['an unknown token', 'Bearer unknown-token-000000', 401],
      ['another scheme', 'Basic dXNlcjpwYXNz', 401],
    ];
    const below = SCOPES[SCOPES.indexOf(route.scope) - 1];
    if (below !== undefined) checks.push([`a ${below} token`, `Bearer ${tokens[below]}`, 403]);
    for (const [label, authorization, status] of checks) {
      const problem = await deniedProblem(await send(route, authorization), status);
      if (problem) failures.push(`${name} with ${label}: ${problem}`);
    }
  }
  return failures;
}
