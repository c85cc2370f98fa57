import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CheckInputError } from './errors';
import { parseFile } from './input-file';

/** One package of the pnpm workspace, as far as CI cares: where it lives and which workspace packages it uses. */
export interface WorkspacePackage {
  readonly name: string;
  /** Repository-relative folder, with forward slashes. */
  readonly dir: string;
  /** Names of the workspace packages it depends on directly, in any dependency field (dev ones too). */
  readonly workspaceDependencies: readonly string[];
  /** It has a `start` script: the Dockerfile builds an image of it (`--build-arg SERVICE=`). */
  readonly isService: boolean;
}

const workspaceManifest = z.object({ packages: z.array(z.string()).min(1) });

const dependencyMap = z.record(z.string(), z.string()).optional();
const packageManifest = z.object({
  name: z.string().min(1),
  scripts: z.record(z.string(), z.string()).optional(),
  dependencies: dependencyMap,
  devDependencies: dependencyMap,
  optionalDependencies: dependencyMap,
  peerDependencies: dependencyMap,
});

/** Reads pnpm-workspace.yaml and every package.json it points at. */
export function readWorkspace(root: string): WorkspacePackage[] {
  const manifest = parseFile(root, 'pnpm-workspace.yaml', (text) => workspaceManifest.parse(parse(text)));
  return manifest.packages
    .flatMap((pattern) => packageDirs(root, pattern))
    .map((dir) => readPackage(root, dir))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `folder/*` (every sub-folder with a package.json) and plain folders: the forms this workspace uses. */
function packageDirs(root: string, pattern: string): string[] {
  const withPackageJson = (dir: string) => existsSync(path.join(root, dir, 'package.json'));
  if (pattern.endsWith('/*') && !pattern.slice(0, -2).includes('*')) {
    const parent = pattern.slice(0, -2);
    if (!existsSync(path.join(root, parent))) return [];
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`)
      .filter(withPackageJson);
  }
  if (/[*?![\]{}]/.test(pattern)) {
    throw new CheckInputError('pnpm-workspace.yaml', `the pattern '${pattern}' is not one this check understands`);
  }
  if (!withPackageJson(pattern)) throw new CheckInputError('pnpm-workspace.yaml', `${pattern} has no package.json`);
  return [pattern];
}

function readPackage(root: string, dir: string): WorkspacePackage {
  const manifest = parseFile(root, `${dir}/package.json`, (text) => packageManifest.parse(JSON.parse(text)));
  const dependencyFields = [
    manifest.dependencies,
    manifest.devDependencies,
    manifest.optionalDependencies,
    manifest.peerDependencies,
  ];
  const workspaceDependencies = dependencyFields.flatMap((field) =>
    Object.entries(field ?? {})
      .filter(([, version]) => version.startsWith('workspace:'))
      .map(([name]) => name),
  );
  return {
    name: manifest.name,
    dir,
    workspaceDependencies: [...new Set(workspaceDependencies)].sort(),
    isService: manifest.scripts?.start !== undefined,
  };
}
