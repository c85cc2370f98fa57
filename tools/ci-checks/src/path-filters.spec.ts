import { InvalidPathFilterError } from './errors';
import { matchesPathFilters } from './path-filters';

describe('GitHub path filters', () => {
  it('keeps * inside one folder and lets ** cross folders', () => {
    expect(matchesPathFilters(['services/*'], 'services/Dockerfile')).toBe(true);
    expect(matchesPathFilters(['services/*'], 'services/projector/package.json')).toBe(false);
    expect(matchesPathFilters(['services/**'], 'services/projector/src/main.ts')).toBe(true);
  });

  it('lets **/ match no folder at all, so a root file matches too', () => {
    expect(matchesPathFilters(['**/package.json'], 'package.json')).toBe(true);
    expect(matchesPathFilters(['**/package.json'], 'services/projector/package.json')).toBe(true);
    expect(matchesPathFilters(['**/package.json'], 'services/projector/package.jsonc')).toBe(false);
  });

  it('reads dots and other regular-expression characters literally', () => {
    expect(matchesPathFilters(['pnpm-lock.yaml'], 'pnpm-lock.yaml')).toBe(true);
    expect(matchesPathFilters(['pnpm-lock.yaml'], 'pnpm-lockXyaml')).toBe(false);
    expect(matchesPathFilters(['docs/(draft)/**'], 'docs/(draft)/a.md')).toBe(true);
  });

  it('treats ? and + as GitHub does: the character before them is optional or repeated', () => {
    expect(matchesPathFilters(['*.jsx?'], 'page.js')).toBe(true);
    expect(matchesPathFilters(['*.jsx?'], 'page.jsx')).toBe(true);
    expect(matchesPathFilters(['a+.txt'], 'aaa.txt')).toBe(true);
    expect(matchesPathFilters(['[ab].txt'], 'b.txt')).toBe(true);
  });

  it('lets the last matching pattern decide, so ! excludes what came before and a later pattern re-includes', () => {
    const patterns = ['services/**', '!services/**/*.md', 'services/projector/README.md'];
    expect(matchesPathFilters(patterns, 'services/cdc-relay/README.md')).toBe(false);
    expect(matchesPathFilters(patterns, 'services/projector/README.md')).toBe(true);
    expect(matchesPathFilters(patterns, 'services/cdc-relay/src/main.ts')).toBe(true);
  });

  it('matches nothing without patterns', () => {
    expect(matchesPathFilters([], 'package.json')).toBe(false);
  });

  it('refuses a pattern GitHub could not read', () => {
    expect(() => matchesPathFilters(['src/[ab'], 'src/a')).toThrow(InvalidPathFilterError);
    expect(() => matchesPathFilters(['+x'], 'x')).toThrow(InvalidPathFilterError);
  });
});
