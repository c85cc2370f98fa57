import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseFile } from './input-file';

export const WORKFLOWS_DIR = '.github/workflows';

/** What the checks read from one workflow file. */
export interface Workflow {
  /** Repository-relative path, e.g. `.github/workflows/projector.yml`. */
  readonly file: string;
  /** Push and pull_request triggers, each with its `paths` filter (undefined: the trigger has none). */
  readonly pathTriggers: readonly PathTrigger[];
  /** Every `uses:` of its jobs and steps: actions, and reusable workflows of this repository (`./...`). */
  readonly uses: readonly string[];
  /** The jobs as text, to see which package a workflow works on. */
  readonly jobsText: string;
}

export interface PathTrigger {
  readonly event: 'push' | 'pull_request';
  readonly paths: readonly string[] | undefined;
}

const trigger = z.object({ paths: z.array(z.string()).optional() }).nullable();
const step = z.object({ uses: z.string().optional() });
const job = z.object({ uses: z.string().optional(), steps: z.array(step).optional() });
const workflowShape = z.object({
  on: z.union([z.string(), z.array(z.string()), z.record(z.string(), z.unknown())]),
  jobs: z.record(z.string(), job),
});

const PATH_EVENTS = ['push', 'pull_request'] as const;

export function parseWorkflow(file: string, text: string): Workflow {
  const raw: unknown = parse(text);
  const parsed = workflowShape.parse(raw);
  const jobs = Object.values(parsed.jobs);
  return {
    file,
    pathTriggers: pathTriggers(parsed.on),
    uses: jobs.flatMap((entry) => [entry.uses, ...(entry.steps ?? []).map((s) => s.uses)]).filter(isDefined),
    // The parsed shape keeps only what the checks read; the package a job works on may be anywhere in it.
    jobsText: JSON.stringify((raw as { jobs: unknown }).jobs),
  };
}

function pathTriggers(on: string | string[] | Record<string, unknown>): PathTrigger[] {
  if (typeof on === 'string' || Array.isArray(on)) {
    const events = typeof on === 'string' ? [on] : on;
    return PATH_EVENTS.filter((event) => events.includes(event)).map((event) => ({ event, paths: undefined }));
  }
  return PATH_EVENTS.filter((event) => event in on).map((event) => ({
    event,
    paths: trigger.parse(on[event])?.paths,
  }));
}

export function readWorkflows(root: string): Workflow[] {
  if (!existsSync(path.join(root, WORKFLOWS_DIR))) return [];
  return readdirSync(path.join(root, WORKFLOWS_DIR))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `${WORKFLOWS_DIR}/${name}`)
    .map((file) => parseFile(root, file, (text) => parseWorkflow(file, text)));
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
