import { parseWorkflow } from './workflow';
import { checkWorkflowCoverage, ROOT_BUILD_FILES } from './workflow-coverage';
import type { WorkspacePackage } from './workspace';

const core: WorkspacePackage = { name: '@x/core', dir: 'packages/core', workspaceDependencies: [], isService: false };
const domain: WorkspacePackage = { name: '@x/domain', dir: 'packages/domain', workspaceDependencies: ['@x/core'], isService: false };
const writer: WorkspacePackage = { name: '@x/writer', dir: 'services/writer', workspaceDependencies: ['@x/domain'], isService: true };
// Its tests start the writer: a dev dependency, and through it domain and core.
const reader: WorkspacePackage = { name: '@x/reader', dir: 'services/reader', workspaceDependencies: ['@x/writer'], isService: true };
const packages = [core, domain, writer, reader];

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1';

function workflowText(pkg: WorkspacePackage, paths: readonly string[], pullRequestPaths = paths): string {
  const list = (items: readonly string[]) => items.map((item) => `      - '${item}'`).join('\n');
  return [
    'on:',
    '  push:',
    '    branches: [main]',
    '    paths:',
    list(paths),
    '  pull_request:',
    '    paths:',
    list(pullRequestPaths),
    'jobs:',
    '  package:',
    '    uses: ./.github/workflows/package.yml',
    `    with: { package: '${pkg.name}' }`,
  ].join('\n');
}

function completePaths(pkg: WorkspacePackage, folders: readonly string[]): string[] {
  const name = pkg.name.replace('@x/', '');
  return [
    ...folders.map((folder) => `${folder}/**`),
    ...ROOT_BUILD_FILES,
    ...(pkg.isService ? ['Dockerfile', '.dockerignore'] : []),
    `.github/workflows/${name}.yml`,
    '.github/workflows/package.yml',
  ];
}

const complete: Record<string, string[]> = {
  core: completePaths(core, ['packages/core']),
  domain: completePaths(domain, ['packages/domain', 'packages/core']),
  writer: completePaths(writer, ['services/writer', 'packages/domain', 'packages/core']),
  reader: completePaths(reader, ['services/reader', 'services/writer', 'packages/domain', 'packages/core']),
};

function workflows(overrides: Record<string, string> = {}) {
  const reusable = parseWorkflow(
    '.github/workflows/package.yml',
    `on: { workflow_call: {} }\njobs:\n  check:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: ${CHECKOUT}\n`,
  );
  const perPackage = packages.map((pkg) => {
    const name = pkg.name.replace('@x/', '');
    return parseWorkflow(`.github/workflows/${name}.yml`, overrides[name] ?? workflowText(pkg, complete[name] ?? []));
  });
  return [reusable, ...perPackage];
}

describe('workflow path filters against the workspace graph', () => {
  it('finds nothing wrong when every workflow covers its package, its dependency closure and the build files', () => {
    expect(checkWorkflowCoverage(packages, workflows())).toEqual([]);
  });

  it('names the transitive dev dependency a service workflow misses, and the chain that needs it', () => {
    const withoutCore = (complete.reader ?? []).filter((path) => path !== 'packages/core/**');
    const problems = checkWorkflowCoverage(packages, workflows({ reader: workflowText(reader, withoutCore) }));
    expect(problems).toEqual([
      '.github/workflows/reader.yml: on.push.paths miss packages/core/** (workspace dependency @x/reader → @x/writer → @x/domain → @x/core)',
      '.github/workflows/reader.yml: on.pull_request.paths miss packages/core/** (workspace dependency @x/reader → @x/writer → @x/domain → @x/core)',
    ]);
  });

  it('checks each trigger on its own', () => {
    const withoutLockfile = (complete.domain ?? []).filter((path) => path !== 'pnpm-lock.yaml');
    const problems = checkWorkflowCoverage(packages, workflows({ domain: workflowText(domain, complete.domain ?? [], withoutLockfile) }));
    expect(problems).toEqual(['.github/workflows/domain.yml: on.pull_request.paths miss pnpm-lock.yaml (root build configuration)']);
  });

  it('does not take a filter on part of a folder, or one that excludes some of it, for the folder', () => {
    const partOfCore = (complete.domain ?? []).map((path) => (path === 'packages/core/**' ? 'packages/core/src/**' : path));
    const excludingTests = [...(complete.writer ?? []), '!packages/core/**/*.any'];
    const problems = checkWorkflowCoverage(
      packages,
      workflows({ domain: workflowText(domain, partOfCore), writer: workflowText(writer, excludingTests) }),
    );
    expect(problems).toEqual([
      '.github/workflows/domain.yml: on.push.paths miss packages/core/** (workspace dependency @x/domain → @x/core)',
      '.github/workflows/domain.yml: on.pull_request.paths miss packages/core/** (workspace dependency @x/domain → @x/core)',
      '.github/workflows/writer.yml: on.push.paths miss packages/core/** (workspace dependency @x/writer → @x/domain → @x/core)',
      '.github/workflows/writer.yml: on.pull_request.paths miss packages/core/** (workspace dependency @x/writer → @x/domain → @x/core)',
    ]);
  });

  it('takes broader filters as covering', () => {
    const broad = ['packages/**', ...(complete.domain ?? []).filter((path) => !path.startsWith('packages/'))];
    expect(checkWorkflowCoverage(packages, workflows({ domain: workflowText(domain, broad) }))).toEqual([]);
  });

  it('requires the image recipe of a service and the workflow files themselves', () => {
    const paths = (complete.writer ?? []).filter((path) => path !== 'Dockerfile' && !path.startsWith('.github/'));
    const problems = checkWorkflowCoverage(packages, workflows({ writer: workflowText(writer, paths, complete.writer) }));
    expect(problems).toEqual([
      '.github/workflows/writer.yml: on.push.paths miss Dockerfile (the image recipe)',
      '.github/workflows/writer.yml: on.push.paths miss .github/workflows/writer.yml (the workflow itself)',
      '.github/workflows/writer.yml: on.push.paths miss .github/workflows/package.yml (a reusable workflow it calls)',
    ]);
  });

  it('fails for a workspace package without a workflow', () => {
    const extra: WorkspacePackage = { name: '@x/tools', dir: 'tools/x', workspaceDependencies: [], isService: false };
    expect(checkWorkflowCoverage([...packages, extra], workflows())).toEqual([
      '@x/tools (tools/x) has no workflow: expected .github/workflows/tools.yml',
    ]);
  });

  it('fails for a workflow without path filters, or one whose jobs work on another package', () => {
    const unfiltered = `on: [push, pull_request]\njobs:\n  package:\n    uses: ./.github/workflows/package.yml\n    with: { package: '@x/core' }\n`;
    const copied = workflowText(writer, complete.reader ?? []);
    expect(checkWorkflowCoverage(packages, workflows({ core: unfiltered, reader: copied }))).toEqual([
      '.github/workflows/core.yml: on.push.paths is missing (a package workflow runs only for changes to what the package is built from)',
      '.github/workflows/core.yml: on.pull_request.paths is missing (a package workflow runs only for changes to what the package is built from)',
      '.github/workflows/reader.yml: its jobs never name @x/reader',
    ]);
  });

  it('fails for a workspace dependency that names no workspace package', () => {
    const broken: WorkspacePackage = { ...domain, workspaceDependencies: ['@x/core', '@x/gone'] };
    expect(checkWorkflowCoverage([core, broken, writer, reader], workflows())).toEqual([
      'packages/domain: workspace dependency @x/domain → @x/gone is no workspace package',
    ]);
  });

  it('fails for an action not pinned to a commit', () => {
    const floating = parseWorkflow(
      '.github/workflows/ci.yml',
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n',
    );
    expect(checkWorkflowCoverage(packages, [...workflows(), floating])).toEqual([
      ".github/workflows/ci.yml: 'actions/checkout@v4' is not pinned to a full commit SHA",
    ]);
  });
});
