import type { Machine } from './machine';
import type { Spread } from './statistics';
import type { FigureSummary } from './summary';

/** What bench/report.json holds, and what the tables are rendered from. */
export interface Report {
  readonly generatedAt: string;
  readonly machine: Machine;
  readonly rounds: number;
  /** The sizes and settings the benches ran with (BENCH_* variables). */
  readonly settings: Readonly<Record<string, string>>;
  /** What went wrong in a round, e.g. a bench that exited with an error; empty for a clean run. */
  readonly failures: readonly string[];
  readonly figures: readonly FigureSummary[];
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Three significant digits or so, with thousands grouped: 12,345 · 123 · 12.3 · 1.23 · 0.12. */
export function formatValue(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return grouped.format(value);
  return value.toFixed(magnitude >= 10 ? 1 : 2);
}

const formatSpread = (spread: Spread, format: (value: number) => string, unit = ''): string =>
  `${format(spread.median)}${unit} (${format(spread.min)}–${format(spread.max)})`;

export function describeMachineLine(machine: Machine): string {
  return (
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(0)} GiB RAM, Node ${machine.node}, ${machine.java}; ` +
    `load average ${machine.loadAtStart.toFixed(1)} when the run began`
  );
}

/** The table: one row per figure, its median and spread over the rounds, and its ratio to its floor or bound. */
export function renderTable(figures: readonly FigureSummary[]): string {
  const header = ['bench', 'figure', 'median (min–max)', 'ratio to', 'ratio median (min–max)', 'target'];
  const rows = figures.map((figure, index) => {
    const measured = figure.values.filter((value) => value !== null).length;
    const missing = measured < figure.values.length ? ` [${measured} of ${figure.values.length} rounds]` : '';
    const sameBench = index > 0 && figures[index - 1]?.bench === figure.bench;
    const ratio = figure.ratio;
    return [
      sameBench ? '' : figure.bench,
      figure.name,
      `${formatSpread(figure.value, formatValue, ` ${figure.unit}`)}${missing}`,
      ratio?.vs ?? '',
      ratio?.spread ? formatSpread(ratio.spread, (value) => value.toFixed(2)) : ratio ? 'n/a' : '',
      ratio?.target ?? '',
    ];
  });
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`).join('\n');
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|');

/** bench/report.md, and the README's benchmark table: the machine, the rounds, the table, what failed. */
export function renderMarkdown(report: Report): string {
  const lines = [
    `Measured ${report.generatedAt.slice(0, 10)} on ${describeMachineLine(report.machine)}. ` +
      `${report.rounds} round${report.rounds === 1 ? '' : 's'} of every bench; each figure is the median of the rounds, ` +
      `with their spread (min–max), and each ratio is taken within a round before its median is.`,
    '',
    renderTable(report.figures),
  ];
  const settings = Object.entries(report.settings);
  if (settings.length > 0) lines.push('', `Settings: ${settings.map(([name, value]) => `\`${name}=${value}\``).join(', ')}.`);
  if (report.failures.length > 0) lines.push('', 'Failures:', ...report.failures.map((failure) => `- ${failure}`));
  return `${lines.join('\n')}\n`;
}
