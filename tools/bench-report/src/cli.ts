import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { flag, loadConfig, positiveInt } from '@scylla-es/es-core';
import { repositoryRoot } from '@scylla-es/es-core/testing';
import { describeMachine, machineShape } from './machine';
import { replaceSection } from './readme-section';
import { renderMarkdown, renderTable, type Report } from './render';
import { readRound } from './result-file';
import { benchSettings, roundEnvironment } from './round-settings';
import { summarize } from './summary';

const configShape = {
  /** Rounds of every bench; each figure is reported as their median and spread. */
  BENCH_ROUNDS: positiveInt(3),
  /** Where report.md, report.json and the rounds' raw figures (rounds/) go; default <repository>/bench. */
  BENCH_REPORT_DIR: z.string().min(1).optional(),
  /** Whether the README's benchmark table is replaced by this run's. */
  BENCH_UPDATE_README: flag(true),
};

const roundFile = (directory: string, round: number) => path.join(directory, 'rounds', `round-${round}.jsonl`);

/** One round: every package's `bench` script, one after the other (`pnpm bench`), each appending its figures. */
function runRound(root: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['bench', '--continue'], { cwd: root, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** What a run leaves beside its rounds' figures (rounds/run.json), for `render` to report them again. */
const runShape = z.strictObject({
  startedAt: z.string(),
  machine: machineShape,
  rounds: z.number().int().positive(),
  settings: z.record(z.string(), z.string()),
  failures: z.array(z.string()),
});
type Run = z.infer<typeof runShape>;

async function runRounds(root: string, directory: string, rounds: number): Promise<Run> {
  const run: Run = {
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
    rounds,
    settings: benchSettings(roundEnvironment(process.env, '')),
    failures: [],
  };
  rmSync(path.join(directory, 'rounds'), { recursive: true, force: true });
  mkdirSync(path.join(directory, 'rounds'), { recursive: true });
  for (let round = 1; round <= rounds; round++) {
    process.stdout.write(`\n=== bench round ${round} of ${rounds} ===\n`);
    const started = Date.now();
    const code = await runRound(root, roundEnvironment(process.env, roundFile(directory, round)));
    process.stdout.write(`=== bench round ${round} took ${((Date.now() - started) / 60_000).toFixed(1)} min ===\n`);
    if (code !== 0) run.failures.push(`round ${round}: \`pnpm bench\` exited with ${code} (its output says why; what the benches recorded is kept)`);
  }
  writeFileSync(path.join(directory, 'rounds', 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  return run;
}

/**
 * `node tools/bench-report/dist/cli.js [run|render]` (`make bench` runs it with the engines up). `run` runs
 * BENCH_ROUNDS rounds of every bench, then renders; `render` renders the last run's rounds/ again. Writes
 * report.md and report.json, prints the table, and replaces the README's table. Exits 1 when a round failed.
 */
async function main(): Promise<number> {
  const mode = z.enum(['run', 'render']).parse(process.argv[2] ?? 'run');
  const config = loadConfig(configShape);
  const root = repositoryRoot(process.cwd());
  const directory = path.resolve(config.BENCH_REPORT_DIR ?? path.join(root, 'bench'));
  const run =
    mode === 'run'
      ? await runRounds(root, directory, config.BENCH_ROUNDS)
      : runShape.parse(JSON.parse(readFileSync(path.join(directory, 'rounds', 'run.json'), 'utf8')));
  const rounds = Array.from({ length: run.rounds }, (_, index) => readRound(roundFile(directory, index + 1)));
  const report: Report = {
    generatedAt: run.startedAt,
    machine: run.machine,
    rounds: run.rounds,
    settings: benchSettings(run.settings),
    failures: run.failures,
    figures: summarize(rounds),
  };
  const markdown = renderMarkdown(report);
  writeFileSync(path.join(directory, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(directory, 'report.md'), `# Benchmarks\n\nWritten by \`make bench\` (tools/bench-report).\n\n${markdown}`);
  process.stdout.write(`\n${renderTable(report.figures)}\n\nreport: ${path.relative(root, directory)}/report.md, report.json\n`);
  if (config.BENCH_UPDATE_README) {
    const readme = path.join(root, 'README.md');
    writeFileSync(readme, replaceSection(readme, readFileSync(readme, 'utf8'), markdown));
  }
  for (const failure of run.failures) process.stderr.write(`${failure}\n`);
  return run.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench report failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
