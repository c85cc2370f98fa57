import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkSettingsDocs, readServiceSettings, readSettingsPage, SETTINGS_PAGE } from './settings-docs';
import { readWorkflows } from './workflow';
import { checkWorkflowCoverage } from './workflow-coverage';
import { readWorkspace, type WorkspacePackage } from './workspace';

interface Check {
  readonly title: string;
  /** Every problem found, one line each. */
  run(root: string, packages: readonly WorkspacePackage[]): string[];
  /** What a clean run proves. */
  passed(packages: readonly WorkspacePackage[]): string;
}

const CHECKS: readonly Check[] = [
  {
    title: 'workflow path filters',
    run: (root, packages) => checkWorkflowCoverage(packages, readWorkflows(root)),
    passed: (packages) => `the workflows of all ${packages.length} workspace packages cover their workspace dependencies`,
  },
  {
    title: 'settings docs',
    run: (root, packages) => checkSettingsDocs(readServiceSettings(root, packages), readSettingsPage(root)),
    passed: () => `${SETTINGS_PAGE} lists every variable the services read, and only those`,
  },
];

/**
 * `node tools/ci-checks/dist/cli.js [repository]` (run by `make check-ci`, after `pnpm build`): exits 1, listing
 * every problem, when a workspace package has no workflow or its workflow's path filters miss what the package is
 * built from, or when the settings tables of the operations page and the services' config shapes disagree.
 */
function main(): number {
  const root = repositoryRoot(path.resolve(process.argv[2] ?? process.cwd()));
  const packages = readWorkspace(root);
  let failed = false;
  for (const check of CHECKS) {
    let problems: string[];
    try {
      problems = check.run(root, packages);
    } catch (error) {
      problems = [error instanceof Error ? error.message : String(error)];
    }
    if (problems.length > 0) {
      const list = problems.map((problem) => `  ${problem}\n`).join('');
      process.stderr.write(`${check.title}: ${problems.length} problem(s)\n${list}`);
      failed = true;
    } else {
      process.stdout.write(`${check.title}: ${check.passed(packages)}\n`);
    }
  }
  return failed ? 1 : 0;
}

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml in ${from} or above`);
  }
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`ci-checks: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
