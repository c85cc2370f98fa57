import { formatValue, renderMarkdown, renderTable, type Report } from './render';
import { summarize } from './summary';

const figures = summarize([
  [
    { bench: 'command-service', name: 'append, floor', value: 1234.4, unit: 'ops/s' },
    { bench: 'command-service', name: 'append, service', value: 740, unit: 'ops/s', vs: 'append, floor', target: '≥ 0.60' },
    { bench: 'dlq-service', name: 'list p50 | no filter', value: 4.25, unit: 'ms' },
  ],
  [
    { bench: 'command-service', name: 'append, floor', value: 1000, unit: 'ops/s' },
    { bench: 'command-service', name: 'append, service', value: 700, unit: 'ops/s', vs: 'append, floor', target: '≥ 0.60' },
  ],
]);

describe('rendering the report', () => {
  it('formats values to about three significant digits, thousands grouped', () => {
    expect([formatValue(12_345.6), formatValue(123.4), formatValue(12.34), formatValue(1.234), formatValue(0.1234)]).toEqual(['12,346', '123', '12.3', '1.23', '0.12']);
  });

  it('renders one row per figure: median (min–max) with its unit, the ratio to its floor, the target', () => {
    expect(renderTable(figures).split('\n')).toEqual([
      '| bench | figure | median (min–max) | ratio to | ratio median (min–max) | target |',
      '| --- | --- | --- | --- | --- | --- |',
      '| command-service | append, floor | 1,117 ops/s (1,000–1,234) |  |  |  |',
      '|  | append, service | 720 ops/s (700–740) | append, floor | 0.65 (0.60–0.70) | ≥ 0.60 |',
      '| dlq-service | list p50 \\| no filter | 4.25 ms (4.25–4.25) [1 of 2 rounds] |  |  |  |',
    ]);
  });

  it('states the machine, the rounds, the settings and what failed around the table', () => {
    const report: Report = {
      generatedAt: '2026-03-01T10:00:00.000Z',
      machine: { cpu: 'Some CPU @ 2.20GHz', cores: 2, memoryGiB: 23.5, node: 'v20.19.0', java: 'openjdk version "17.0.15"', loadAtStart: 3.42 },
      rounds: 2,
      settings: { BENCH_ROUNDS: '1', BENCH_SECONDS: '10' },
      failures: ['round 2: `pnpm bench` exited with 1'],
      figures,
    };
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('Measured 2026-03-01 on Some CPU @ 2.20GHz, 2 cores, 24 GiB RAM, Node v20.19.0, openjdk version "17.0.15"; load average 3.4 when the run began. 2 rounds');
    expect(markdown).toContain(renderTable(figures));
    expect(markdown).toContain('Settings: `BENCH_ROUNDS=1`, `BENCH_SECONDS=10`.');
    expect(markdown).toContain('Failures:\n- round 2: `pnpm bench` exited with 1');
  });
});
