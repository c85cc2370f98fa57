import { existsSync } from 'node:fs';
import path from 'node:path';
import { readWorkflows } from './workflow';
import { checkWorkflowCoverage } from './workflow-coverage';
import { readWorkspace } from './workspace';

/**
 * `node tools/ci-checks/dist/cli.js [repository]` (run by `make check-ci`): exits 1, listing every problem, when a
 * workspace package has no workflow or its workflow's path filters miss what the package is built from.
 */
function main(): number {
  const root = repositoryRoot(path.resolve(process.argv[2] ?? process.cwd()));
  const packages = readWorkspace(root);
  const workflows = readWorkflows(root);
  const problems = checkWorkflowCoverage(packages, workflows);
  if (problems.length > 0) {
    const list = problems.map((problem) => `  ${problem}\n`).join('');
    process.stderr.write(`workflow path filters: ${problems.length} problem(s)\n${list}`);
    return 1;
  }
  const covered = `the workflows of all ${packages.length} workspace packages cover their workspace dependencies`;
  process.stdout.write(`workflow path filters: ${covered}\n`);
  return 0;
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
  process.stderr.write(`workflow path filters: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
