/**
 * The sizes each round runs the benches with, unless the variable is set already: smaller than a bench's own
 * defaults, so three rounds of everything fit in about half an hour on a 2-core machine (the report's median and
 * spread over rounds stands in for the longer single runs). BENCH_ROUNDS=1 makes the relay and projector benches
 * run one round of their own each time: the report's rounds are the repetitions.
 */
export const ROUND_DEFAULTS: Readonly<Record<string, string>> = {
  BENCH_ROUNDS: '1',
  // command-service: floor and service 10 s each, in ABBA rounds of 5 s, in each of its two core settings
  BENCH_SECONDS: '10',
  // cdc-relay: a backlog of 1,000 aggregates × 10 events
  BENCH_AGGREGATES: '1000',
  // projector: a backlog of about 10,000 events (relay, apply, rebuild and raw scan all read it)
  BENCH_EVENTS: '10000',
  // end-to-end: 20 s at its fixed rate
  BENCH_E2E_SECONDS: '20',
  // dlq-service: 3,000 dead letters (the service stores a few dozen a second on a loaded 2-core machine), 50
  // requests per listing query
  BENCH_DEAD_LETTERS: '3000',
  BENCH_DLQ_SAMPLES: '50',
};

/** The variables a round's benches see: the caller's, the round defaults for what it left unset, the result file. */
export function roundEnvironment(env: NodeJS.ProcessEnv, resultFile: string): NodeJS.ProcessEnv {
  const defaults = Object.fromEntries(Object.entries(ROUND_DEFAULTS).filter(([name]) => name === 'BENCH_ROUNDS' || env[name] === undefined));
  return { ...env, ...defaults, BENCH_RESULT_FILE: resultFile };
}

/** Set for every round by the report itself, so not worth a line in it. */
const REPORT_OWN = new Set(['BENCH_ROUNDS', 'BENCH_RESULT_FILE', 'BENCH_REPORT_DIR', 'BENCH_UPDATE_README']);

/** The BENCH_* settings a round's benches ran with, for the report. */
export function benchSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env)
      .filter((entry): entry is [string, string] => entry[0].startsWith('BENCH_') && !REPORT_OWN.has(entry[0]) && entry[1] !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
