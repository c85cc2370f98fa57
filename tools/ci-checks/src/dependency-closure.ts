import type { WorkspacePackage } from './workspace';

/** A workspace package reached from another, with the chain of dependencies that reaches it (both ends included). */
export interface ReachedPackage {
  readonly pkg: WorkspacePackage;
  readonly chain: readonly string[];
}

/**
 * Every workspace package `from` depends on, directly or not, each by its shortest chain. A dependency naming no
 * workspace package is left out here; `unknownDependencies` reports it.
 */
export function dependencyClosure(packages: readonly WorkspacePackage[], from: WorkspacePackage): ReachedPackage[] {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const chains = new Map<string, readonly string[]>([[from.name, [from.name]]]);
  const reached: ReachedPackage[] = [];
  const queue: WorkspacePackage[] = [from];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    const chain = chains.get(current.name) ?? [current.name];
    for (const name of current.workspaceDependencies) {
      if (chains.has(name)) continue;
      const dependency = byName.get(name);
      if (dependency === undefined) continue;
      const dependencyChain = [...chain, name];
      chains.set(name, dependencyChain);
      reached.push({ pkg: dependency, chain: dependencyChain });
      queue.push(dependency);
    }
  }
  return reached;
}

/** `workspace:` dependencies that name no package of the workspace, as "dependent → name". */
export function unknownDependencies(packages: readonly WorkspacePackage[]): string[] {
  const names = new Set(packages.map((pkg) => pkg.name));
  return packages.flatMap((pkg) =>
    pkg.workspaceDependencies
      .filter((name) => !names.has(name))
      .map((name) => `${pkg.dir}: workspace dependency ${pkg.name} → ${name} is no workspace package`),
  );
}
