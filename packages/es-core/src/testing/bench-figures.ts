import { appendFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * One figure a benchmark measured in one run, as `make bench` collects them (tools/bench-report): the report
 * takes each figure's median and spread over its rounds, and its ratio to the figure named in `vs`, computed
 * within each round (the same machine load on both sides of a ratio).
 */
export const benchFigureShape = z.strictObject({
  /** The benchmark that measured it, e.g. `cdc-relay`. */
  bench: z.string().min(1),
  /** Unique within its bench. */
  name: z.string().min(1),
  value: z.number().finite(),
  unit: z.string(),
  /** The name of the figure of the same bench and run it is compared with: a floor, or a bound. */
  vs: z.string().min(1).optional(),
  /** What the ratio should be, e.g. `≥ 0.70`. */
  target: z.string().optional(),
});

export type BenchFigure = z.infer<typeof benchFigureShape>;

/** Where benches append their figures (one JSON object a line); unset when a bench runs on its own. */
export const BENCH_RESULT_FILE_VARIABLE = 'BENCH_RESULT_FILE';

/**
 * Appends `figures` to the file BENCH_RESULT_FILE names, one JSON line each, or does nothing without it. A
 * figure that came out NaN or infinite (a phase that measured nothing) is left out, and said so on stderr: the
 * report then shows it missing from that round.
 */
export function recordBenchFigures(figures: readonly BenchFigure[]): void {
  const file = process.env[BENCH_RESULT_FILE_VARIABLE];
  if (!file) return;
  const lines = figures.flatMap((figure) => {
    if (Number.isFinite(figure.value)) return [JSON.stringify(benchFigureShape.parse(figure))];
    process.stderr.write(`bench figure "${figure.bench}: ${figure.name}" measured nothing (${figure.value}); not recorded\n`);
    return [];
  });
  if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
}
