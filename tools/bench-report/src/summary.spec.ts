import type { BenchFigure } from '@scylla-es/es-core/testing';
import { summarize } from './summary';

const figure = (name: string, value: number, extra: Partial<BenchFigure> = {}): BenchFigure => ({ bench: 'relay', name, value, unit: 'events/s', ...extra });

describe('summarizing rounds', () => {
  const rounds = [
    [figure('floor', 1000), figure('relay', 800, { vs: 'floor', target: '≥ 0.70' })],
    [figure('floor', 500), figure('relay', 450, { vs: 'floor', target: '≥ 0.70' })],
    [figure('floor', 2000), figure('relay', 1000, { vs: 'floor', target: '≥ 0.70' })],
  ];

  it('reports each figure’s median and spread over the rounds, in the order first recorded', () => {
    const [floor, relay] = summarize(rounds);
    expect(floor).toMatchObject({ bench: 'relay', name: 'floor', unit: 'events/s', values: [1000, 500, 2000], value: { median: 1000, min: 500, max: 2000 } });
    expect(floor?.ratio).toBeUndefined();
    expect(relay?.value).toEqual({ median: 800, min: 450, max: 1000 });
  });

  it('takes each ratio within its round, then their median: not the ratio of the medians', () => {
    const relay = summarize(rounds)[1];
    expect(relay?.ratio?.values).toEqual([0.8, 0.9, 0.5]);
    expect(relay?.ratio?.spread).toEqual({ median: 0.8, min: 0.5, max: 0.9 });
    expect(relay?.ratio).toMatchObject({ vs: 'floor', target: '≥ 0.70' });
  });

  it('leaves a round out of a figure, and out of its ratio, when the round did not record it or its floor', () => {
    const [floor, relay, memory] = summarize([
      [figure('floor', 1000), figure('relay', 600, { vs: 'floor' })],
      [figure('relay', 700, { vs: 'floor' }), figure('memory', 90, { unit: 'MiB' })],
      [figure('floor', 1000), figure('relay', 900, { vs: 'floor' })],
    ]);
    expect(floor?.values).toEqual([1000, null, 1000]);
    expect(relay?.ratio?.values).toEqual([0.6, null, 0.9]);
    expect(relay?.ratio?.spread).toEqual({ median: 0.75, min: 0.6, max: 0.9 });
    expect(memory).toMatchObject({ unit: 'MiB', values: [null, 90, null], value: { median: 90, min: 90, max: 90 } });
  });

  it('keeps figures of different benches apart, even with the same name', () => {
    const summaries = summarize([[figure('rss', 100, { bench: 'relay' }), figure('rss', 300, { bench: 'projector' })]]);
    expect(summaries.map((summary) => [summary.bench, summary.value.median])).toEqual([
      ['relay', 100],
      ['projector', 300],
    ]);
  });
});
