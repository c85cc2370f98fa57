import { dependencyClosure, unknownDependencies } from './dependency-closure';
import { matchesPathFilters } from './path-filters';
import { WORKFLOWS_DIR, type Workflow } from './workflow';
import type { WorkspacePackage } from './workspace';

/**
 * Root files that change how every package installs, builds, lints or tests: a change to one of them must run
 * every package's workflow.
 */
export const ROOT_BUILD_FILES = [
  'pnpm-lock.yaml',
  'package.json',
  'pnpm-workspace.yaml',
  '.npmrc',
  'tsconfig.base.json',
  'turbo.json',
  'eslint.config.mjs',
  'jest.config.base.js',
] as const;

/** The image recipe of every service. */
export const IMAGE_FILES = ['Dockerfile', '.dockerignore'] as const;

/** A path a package's workflow must be triggered by, and why. */
interface Requirement {
  readonly path: string;
  readonly kind: 'folder' | 'file';
  readonly reason: string;
}

/** The workflow of `@scope/name` is `.github/workflows/name.yml`. */
export function workflowFileOf(pkg: WorkspacePackage): string {
  return `${WORKFLOWS_DIR}/${pkg.name.replace(/^@[^/]+\//, '')}.yml`;
}

/**
 * Every problem found, as one line each naming the file and the missing path or part; none means every workspace
 * package has a workflow whose push and pull_request path filters cover what the package is built from.
 */
export function checkWorkflowCoverage(
  packages: readonly WorkspacePackage[],
  workflows: readonly Workflow[],
): string[] {
  const byFile = new Map(workflows.map((workflow) => [workflow.file, workflow]));
  const packageProblems = packages.flatMap((pkg) => {
    const file = workflowFileOf(pkg);
    const workflow = byFile.get(file);
    if (workflow === undefined) return [`${pkg.name} (${pkg.dir}) has no workflow: expected ${file}`];
    return checkPackageWorkflow(packages, pkg, workflow);
  });
  return [...unknownDependencies(packages), ...packageProblems, ...workflows.flatMap(unpinnedActions)];
}

function checkPackageWorkflow(
  packages: readonly WorkspacePackage[],
  pkg: WorkspacePackage,
  workflow: Workflow,
): string[] {
  const problems: string[] = [];
  if (!namesPackage(workflow.jobsText, pkg.name)) problems.push(`${workflow.file}: its jobs never name ${pkg.name}`);
  if (workflow.pathTriggers.length === 0) {
    return [...problems, `${workflow.file}: has no push or pull_request trigger with path filters`];
  }
  const requirements: Requirement[] = [
    { path: pkg.dir, kind: 'folder', reason: `the folder of ${pkg.name}` },
    ...dependencyClosure(packages, pkg).map(({ pkg: dependency, chain }): Requirement => ({
      path: dependency.dir,
      kind: 'folder',
      reason: `workspace dependency ${chain.join(' → ')}`,
    })),
    ...ROOT_BUILD_FILES.map((path) => file(path, 'root build configuration')),
    ...(pkg.isService ? IMAGE_FILES.map((path) => file(path, 'the image recipe')) : []),
    file(workflow.file, 'the workflow itself'),
    ...localWorkflowCalls(workflow).map((path) => file(path, 'a reusable workflow it calls')),
  ];
  for (const trigger of workflow.pathTriggers) {
    const where = `${workflow.file}: on.${trigger.event}.paths`;
    if (trigger.paths === undefined) {
      problems.push(`${where} is missing (a package workflow runs only for changes to what the package is built from)`);
      continue;
    }
    for (const requirement of requirements) {
      if (!covers(trigger.paths, requirement)) {
        const shown = requirement.kind === 'folder' ? `${requirement.path}/**` : requirement.path;
        problems.push(`${where} miss ${shown} (${requirement.reason})`);
      }
    }
  }
  return problems;
}

function file(path: string, reason: string): Requirement {
  return { path, kind: 'file', reason };
}

/**
 * A folder is covered when a file at its top and a new file of any name at any depth both trigger the workflow:
 * a filter on part of a folder (`src/**`, `*.ts`) misses changes that still change the package.
 */
function covers(paths: readonly string[], requirement: Requirement): boolean {
  const probes =
    requirement.kind === 'file'
      ? [requirement.path]
      : [`${requirement.path}/package.json`, `${requirement.path}/any/depth/new-file.any`];
  return probes.every((probe) => matchesPathFilters(paths, probe));
}

function localWorkflowCalls(workflow: Workflow): string[] {
  return workflow.uses.filter((uses) => uses.startsWith('./')).map((uses) => uses.slice(2).replace(/@.*$/, ''));
}

function namesPackage(text: string, name: string): boolean {
  return new RegExp(`${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w-])`).test(text);
}

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;

/** Actions from other repositories are pinned to a commit: a moved tag must not change what CI runs. */
function unpinnedActions(workflow: Workflow): string[] {
  return workflow.uses
    .filter((uses) => !uses.startsWith('./') && !uses.startsWith('docker://') && !PINNED.test(uses))
    .map((uses) => `${workflow.file}: '${uses}' is not pinned to a full commit SHA`);
}
