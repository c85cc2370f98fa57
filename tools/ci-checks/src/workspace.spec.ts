import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CheckInputError } from './errors';
import { readWorkspace } from './workspace';

describe('reading the pnpm workspace', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ci-checks-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(file: string, content: string): void {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }

  it('expands folder/* and plain folders, and keeps workspace dependencies of every field', () => {
    write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - tools/lint\n');
    write('packages/core/package.json', JSON.stringify({ name: '@x/core', dependencies: { zod: '^4' } }));
    write(
      'packages/api/package.json',
      JSON.stringify({
        name: '@x/api',
        scripts: { start: 'node dist/main.js' },
        dependencies: { '@x/core': 'workspace:*', express: '^5' },
        devDependencies: { '@x/lint': 'workspace:^' },
      }),
    );
    write('packages/notes/README.md', 'a folder without package.json is no package');
    write('tools/lint/package.json', JSON.stringify({ name: '@x/lint' }));

    expect(readWorkspace(root)).toEqual([
      { name: '@x/api', dir: 'packages/api', workspaceDependencies: ['@x/core', '@x/lint'], isService: true },
      { name: '@x/core', dir: 'packages/core', workspaceDependencies: [], isService: false },
      { name: '@x/lint', dir: 'tools/lint', workspaceDependencies: [], isService: false },
    ]);
  });

  it('names the file it cannot read', () => {
    write('pnpm-workspace.yaml', 'packages:\n  - packages/**\n');
    expect(() => readWorkspace(root)).toThrow(new CheckInputError('pnpm-workspace.yaml', "the pattern 'packages/**' is not one this check understands"));
    write('pnpm-workspace.yaml', 'packages:\n  - lib\n');
    write('lib/package.json', '{"version": "1.0.0"}');
    expect(() => readWorkspace(root)).toThrow(CheckInputError);
    expect(() => readWorkspace(root)).toThrow(/^lib\/package\.json: /);
  });
});
