import type { BenchFigure } from '@scylla-es/es-core/testing';
import { spread, type Spread } from './statistics';

/** The figures one round (one run of every bench) recorded. */
export type Round = readonly BenchFigure[];

/** A figure over every round: its median and spread, and those of its ratio to `vs` taken within each round. */
export interface FigureSummary {
  readonly bench: string;
  readonly name: string;
  readonly unit: string;
  /** Each round's value, null where the round did not record it (its bench failed, or measured nothing). */
  readonly values: readonly (number | null)[];
  readonly value: Spread;
  readonly ratio?: {
    readonly vs: string;
    /** value / the vs figure's value, per round; null where either is missing (or the vs value is 0). */
    readonly values: readonly (number | null)[];
    readonly spread?: Spread;
    readonly target?: string;
  };
}

const keyOf = (figure: Pick<BenchFigure, 'bench' | 'name'>) => `${figure.bench}\u0000${figure.name}`;

/**
 * Every figure any round recorded, in the order first recorded (bench by bench, as the benches print them). A
 * ratio is computed within each round, never as the quotient of two medians: both sides of it shared the load
 * this shared machine happened to have then.
 */
export function summarize(rounds: readonly Round[]): FigureSummary[] {
  const byRound = rounds.map((round) => new Map(round.map((figure) => [keyOf(figure), figure])));
  const firstSeen = new Map<string, BenchFigure>();
  for (const round of rounds) for (const figure of round) if (!firstSeen.has(keyOf(figure))) firstSeen.set(keyOf(figure), figure);
  return [...firstSeen.values()].map((figure) => {
    const values = byRound.map((round) => round.get(keyOf(figure))?.value ?? null);
    const value = spread(values.filter((v): v is number => v !== null)) as Spread;
    if (figure.vs === undefined) return { bench: figure.bench, name: figure.name, unit: figure.unit, values, value };
    const vsKey = keyOf({ bench: figure.bench, name: figure.vs });
    const ratios = byRound.map((round, index) => {
      const own = values[index];
      const vs = round.get(vsKey)?.value;
      return own === null || own === undefined || vs === undefined || vs === 0 ? null : own / vs;
    });
    return {
      bench: figure.bench,
      name: figure.name,
      unit: figure.unit,
      values,
      value,
      ratio: { vs: figure.vs, values: ratios, spread: spread(ratios.filter((r): r is number => r !== null)), target: figure.target },
    };
  });
}
