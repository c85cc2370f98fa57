import { ConfigurationError, loadConfig } from '../../core/config/environment';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_SERVER_LIMITS, DEFAULT_SHUTDOWN_TIMEOUT_MS, httpConfigShape, serverLimitsOf } from './http-config';

const load = (env: NodeJS.ProcessEnv) => loadConfig(httpConfigShape(3000), env);

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('httpConfigShape', () => {
  it('applies the defaults, with the port given by the service', () => {
    expect(load({})).toEqual({
      PORT: 3000,
      AUTH_TOKENS: new Map(),
      HTTP_BODY_LIMIT: DEFAULT_BODY_LIMIT_BYTES,
      SHUTDOWN_TIMEOUT_MS: DEFAULT_SHUTDOWN_TIMEOUT_MS,
      LOG_LEVEL: 'info',
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 5_000,
      HTTP_MAX_HEADERS_COUNT: 100,
      HTTP_MAX_CONNECTIONS: 1_000,
    });
    expect(loadConfig(httpConfigShape(3002), {}).PORT).toBe(3002);
    expect(serverLimitsOf(load({}))).toEqual(DEFAULT_SERVER_LIMITS);
  });

  it('keeps the header deadline within the request deadline, as Node requires', () => {
    const limits = serverLimitsOf(load({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '5000' }));
    expect(limits).toMatchObject({ headersTimeoutMs: 5_000, requestTimeoutMs: 5_000 });
  });

  it('refuses server limits that would disable them or exhaust the process', () => {
    const problems = problemsOf({ HTTP_REQUEST_TIMEOUT_MS: '0', HTTP_MAX_CONNECTIONS: '5', HTTP_MAX_HEADERS_COUNT: 'many' });
    expect(problems).toEqual([
      expect.stringMatching(/^HTTP_REQUEST_TIMEOUT_MS: /),
      expect.stringMatching(/^HTTP_MAX_HEADERS_COUNT: /),
      expect.stringMatching(/^HTTP_MAX_CONNECTIONS: /),
    ]);
  });

  it('parses AUTH_TOKENS into token → scopes, in the older form without names', () => {
    const config = load({ AUTH_TOKENS: ' dev-admin-token:admin , dev-writer-token:read+write,,dev-reader-token:read' });
    expect(config.AUTH_TOKENS).toEqual(
      new Map([
        ['dev-admin-token', { scopes: ['admin'] }],
        ['dev-writer-token', { scopes: ['read', 'write'] }],
        ['dev-reader-token', { scopes: ['read'] }],
      ]),
    );
  });

  it('parses named entries (name:token:scopes) beside unnamed ones', () => {
    const config = load({ AUTH_TOKENS: 'alice:dev-admin-token:admin,ops.bot@example:dev-reader-token:read,dev-writer-token:write' });
    expect(config.AUTH_TOKENS).toEqual(
      new Map([
        ['dev-admin-token', { name: 'alice', scopes: ['admin'] }],
        ['dev-reader-token', { name: 'ops.bot@example', scopes: ['read'] }],
        ['dev-writer-token', { scopes: ['write'] }],
      ]),
    );
  });

  it.each([
    ['no scope separator', 'dev-admin-token'],
    ['an unknown scope', 'dev-admin-token:root'],
    ['an empty scope', 'dev-admin-token:'],
    ['a short token', 'short:read'],
    ['a token with spaces', 'dev admin token:read'],
    ['a duplicated token', 'dev-admin-token:read,dev-admin-token:admin'],
    ['token and scope swapped', 'admin:dev-admin-token'],
    ['a name that is not a name', '1alice:dev-admin-token:admin'],
    ['token and name swapped', 'dev-admin-token:alice!:admin'],
    ['too many parts', 'alice:dev-admin-token:admin:extra'],
    ['one name for two tokens', 'alice:dev-admin-token:admin,alice:dev-admin-token2:read'],
  ])('stops on %s, naming AUTH_TOKENS without quoting the token', (_case, value) => {
    const problems = problemsOf({ AUTH_TOKENS: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AUTH_TOKENS: entry \d+: /);
    expect(problems[0]).not.toContain('dev-admin-token');
    expect(problems[0]).not.toContain('short');
  });

  it.each([
    ['65536', 65_536],
    ['64kb', 65_536],
    ['1MB', 1_048_576],
    ['512 b', 512],
  ])('reads HTTP_BODY_LIMIT %p as %i bytes', (value, bytes) => {
    expect(load({ HTTP_BODY_LIMIT: value }).HTTP_BODY_LIMIT).toBe(bytes);
  });

  it.each(['0', 'lots', '1gb', '17mb', '-5'])('stops on HTTP_BODY_LIMIT=%p', (value) => {
    expect(problemsOf({ HTTP_BODY_LIMIT: value })[0]).toMatch(/^HTTP_BODY_LIMIT: /);
  });

  it('names PORT, SHUTDOWN_TIMEOUT_MS and LOG_LEVEL when they are bad', () => {
    const problems = problemsOf({ PORT: '70000', SHUTDOWN_TIMEOUT_MS: 'soon', LOG_LEVEL: 'verbose' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'SHUTDOWN_TIMEOUT_MS']);
  });
});
