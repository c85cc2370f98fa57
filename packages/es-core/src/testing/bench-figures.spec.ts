import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_RESULT_FILE_VARIABLE, benchFigureShape, recordBenchFigures } from './bench-figures';

describe('recording bench figures', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-figures-'));
  const file = path.join(directory, 'round.jsonl');
  afterEach(() => delete process.env[BENCH_RESULT_FILE_VARIABLE]);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('appends one JSON line per figure to the file BENCH_RESULT_FILE names, leaving out what measured nothing', () => {
    process.env[BENCH_RESULT_FILE_VARIABLE] = file;
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    recordBenchFigures([{ bench: 'relay', name: 'floor', value: 1000, unit: 'events/s' }]);
    recordBenchFigures([
      { bench: 'relay', name: 'relay', value: 700, unit: 'events/s', vs: 'floor', target: '≥ 0.70' },
      { bench: 'relay', name: 'latency p99', value: Number.NaN, unit: 'ms' },
    ]);
    stderr.mockRestore();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => benchFigureShape.parse(JSON.parse(line)).name)).toEqual(['floor', 'relay']);
    expect(JSON.parse(lines[1] as string)).toEqual({ bench: 'relay', name: 'relay', value: 700, unit: 'events/s', vs: 'floor', target: '≥ 0.70' });
  });

  it('writes nothing without BENCH_RESULT_FILE', () => {
    rmSync(file, { force: true });
    recordBenchFigures([{ bench: 'relay', name: 'floor', value: 1000, unit: 'events/s' }]);
    expect(() => readFileSync(file)).toThrow();
  });
});
