import { benchSettings, roundEnvironment, ROUND_DEFAULTS } from './round-settings';

describe('the environment of a round', () => {
  it('gives the benches the round sizes the caller left unset, one round of their own, and the result file', () => {
    const env = roundEnvironment({ PATH: '/bin', BENCH_ROUNDS: '5', BENCH_EVENTS: '50000' }, '/tmp/round-1.jsonl');
    expect(env).toMatchObject({ PATH: '/bin', BENCH_ROUNDS: '1', BENCH_EVENTS: '50000', BENCH_RESULT_FILE: '/tmp/round-1.jsonl' });
    expect(env['BENCH_SECONDS']).toBe(ROUND_DEFAULTS['BENCH_SECONDS']);
  });

  it('reports the benches’ BENCH_* settings, sorted, without those the report sets for itself', () => {
    const env = roundEnvironment({ PATH: '/bin', BENCH_SECONDS: '7', BENCH_UPDATE_README: 'false' }, '/tmp/round-1.jsonl');
    const settings = benchSettings(env);
    expect(Object.keys(settings)).toEqual(Object.keys(settings).sort());
    expect(settings).toMatchObject({ BENCH_SECONDS: '7', BENCH_EVENTS: ROUND_DEFAULTS['BENCH_EVENTS'] });
    expect(Object.keys(settings).filter((name) => ['BENCH_ROUNDS', 'BENCH_RESULT_FILE', 'BENCH_UPDATE_README', 'PATH'].includes(name))).toEqual([]);
  });
});
