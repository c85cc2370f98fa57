import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CheckInputError } from './errors';
import { parseFile } from './input-file';
import type { WorkspacePackage } from './workspace';

/** The page whose settings tables must list every variable a service reads, and nothing else. */
export const SETTINGS_PAGE = 'docs/operations.md';

/** The environment variables one service reads: the keys of the zod shapes its `dist/config.js` exports. */
export interface ServiceSettings {
  readonly service: string;
  readonly variables: readonly string[];
}

const SETTING_NAME = /`([A-Z][A-Z0-9_]*)`/g;

/**
 * The variables the settings tables name: the first cell of every table row between `## Settings` and the next
 * `## ` heading (`| \`SCYLLA_USERNAME\`, \`SCYLLA_PASSWORD\` | …` names two).
 */
export function documentedSettings(markdown: string): Set<string> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === '## Settings');
  if (start < 0) return new Set();
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  const section = lines.slice(start + 1, end < 0 ? undefined : end);
  const firstCells = section.filter((line) => line.startsWith('|')).map((line) => line.split('|')[1] ?? '');
  return new Set(firstCells.flatMap((cell) => [...cell.matchAll(SETTING_NAME)].map((match) => match[1] ?? '')));
}

/** One line per variable a service reads that the page does not list, and per listed variable no service reads. */
export function checkSettingsDocs(services: readonly ServiceSettings[], markdown: string): string[] {
  const documented = documentedSettings(markdown);
  const read = new Set(services.flatMap((service) => service.variables));
  const undocumented = services.flatMap((service) =>
    service.variables
      .filter((variable) => !documented.has(variable))
      .map((variable) => `${SETTINGS_PAGE}: ${variable}, read by ${service.service}, is missing from its settings tables`),
  );
  const unread = [...documented]
    .filter((variable) => !read.has(variable))
    .map((variable) => `${SETTINGS_PAGE}: ${variable} is in the settings tables but no service reads it`);
  return [...undocumented, ...unread];
}

/**
 * The settings of every service that has a compiled `dist/config.js` (run after `pnpm build`): the keys of each
 * object it exports under a name ending in `ConfigShape`.
 */
export function readServiceSettings(root: string, packages: readonly WorkspacePackage[]): ServiceSettings[] {
  return packages
    .filter((pkg) => pkg.isService && existsSync(path.join(root, pkg.dir, 'src', 'config.ts')))
    .map((pkg) => {
      const compiled = `${pkg.dir}/dist/config.js`;
      if (!existsSync(path.join(root, compiled))) throw new CheckInputError(compiled, 'is missing: run pnpm build first');
      const exported: unknown = createRequire(__filename)(path.join(root, compiled));
      const shapes = Object.entries(exported as Record<string, unknown>).filter(
        ([name, value]) => name.endsWith('ConfigShape') && typeof value === 'object' && value !== null,
      );
      if (shapes.length === 0) throw new CheckInputError(compiled, 'exports no …ConfigShape object');
      return { service: pkg.name, variables: [...new Set(shapes.flatMap(([, shape]) => Object.keys(shape as object)))].sort() };
    });
}

export function readSettingsPage(root: string): string {
  return parseFile(root, SETTINGS_PAGE, (text) => text);
}
