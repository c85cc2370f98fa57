import { createLogger } from './logger';

describe('createLogger', () => {
  it('logs at the level asked for, and not at all when silent', () => {
    const warnings = createLogger('spec', 'warn');
    expect([warnings.silent, warnings.isWarnEnabled(), warnings.isInfoEnabled()]).toEqual([false, true, false]);
    expect(createLogger('spec', 'silent').silent).toBe(true);
  });
});
