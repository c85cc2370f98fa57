#!/usr/bin/env node
// Checks the Grafana dashboards against a real Prometheus, since Grafana itself is not available locally:
// every panel target `expr` runs as an instant query and must succeed with at least one series that is not NaN.
//
//   node infra/grafana/check-dashboards.mjs [dashboard.json ...]     (default: every infra/grafana/dashboards/*.json)
//   PROMETHEUS_URL=http://127.0.0.1:9090 (default)
//
// Grafana variables are substituted first: $__rate_interval → 1m, $__interval → 15s, $__range → 5m, and a
// dashboard template variable → its allValue (or `.*`) when it has "All", else its current value. So "non-empty"
// means: traffic in the last minute; run `node infra/local/demo.mjs` shortly before. Plain Node 20, no deps.
// Also checked: unique panel ids, every target has a refId and uses the `prometheus` datasource uid.
// Exit 0 when every query returns data, 1 otherwise (the failures are listed with panel and expr).
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const prometheus = (process.env.PROMETHEUS_URL || 'http://127.0.0.1:9090').replace(/\/+$/, '');
const DATASOURCE_UID = 'prometheus';
const BUILTINS = { __rate_interval: '1m', __interval: '15s', __range: '5m' };

const dashboardsDir = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(dashboardsDir).filter((name) => name.endsWith('.json')).sort().map((name) => join(dashboardsDir, name));

/** Panels at any depth (rows keep their collapsed panels in `panels`). */
function* panelsOf(container) {
  for (const panel of container.panels ?? []) {
    yield panel;
    yield* panelsOf(panel);
  }
}

function variablesOf(dashboard) {
  const values = { ...BUILTINS };
  for (const variable of dashboard.templating?.list ?? []) {
    const current = variable.current?.value;
    values[variable.name] = variable.includeAll
      ? variable.allValue || '.*'
      : Array.isArray(current) ? current.join('|') : String(current ?? '');
  }
  return values;
}

/** `$name`, `${name}` and `${name:format}`; an unknown variable is an error rather than a silent pass. */
function substitute(expr, values) {
  const unknown = [];
  const text = expr.replace(/\$\{([A-Za-z_]\w*)(?::\w+)?\}|\$([A-Za-z_]\w*)/g, (match, braced, plain) => {
    const name = braced ?? plain;
    if (name in values) return values[name];
    unknown.push(name);
    return match;
  });
  return { text, unknown };
}

async function instantQuery(query) {
  const response = await fetch(`${prometheus}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await response.json().catch(() => ({ status: 'error', error: `HTTP ${response.status}, not JSON` }));
  if (body.status !== 'success') return { error: `${body.errorType ?? 'error'}: ${body.error ?? `HTTP ${response.status}`}` };
  const { resultType, result } = body.data;
  const samples = resultType === 'scalar' || resultType === 'string' ? [result] : result.map((series) => series.value ?? series.values?.at(-1));
  const numbers = samples.filter(Boolean).map(([, value]) => Number(value));
  return { series: samples.length, nan: numbers.filter(Number.isNaN).length, sample: numbers.find((n) => !Number.isNaN(n)) };
}

try {
  await instantQuery('vector(1)');
} catch (error) {
  console.error(`Prometheus is not reachable at ${prometheus} (${error.cause?.code ?? error.cause?.message ?? error.message}); start it with infra/local/engines start prometheus`);
  process.exit(1);
}

const rows = [];
const failures = [];
for (const file of files) {
  const dashboard = JSON.parse(readFileSync(file, 'utf8'));
  const values = variablesOf(dashboard);
  const seenIds = new Set();
  for (const panel of panelsOf(dashboard)) {
    const where = `${basename(file)} › ${panel.title ?? `panel ${panel.id}`}`;
    if (panel.type !== 'row' && seenIds.has(panel.id)) failures.push({ where, problem: `duplicate panel id ${panel.id}` });
    seenIds.add(panel.id);
    for (const target of panel.targets ?? []) {
      const label = `${where} [${target.refId ?? '?'}]`;
      const uid = target.datasource?.uid ?? panel.datasource?.uid;
      if (!target.refId) failures.push({ where: label, problem: 'target without refId' });
      if (uid !== DATASOURCE_UID) failures.push({ where: label, problem: `datasource uid ${uid} is not "${DATASOURCE_UID}"` });
      if (!target.expr?.trim()) {
        failures.push({ where: label, problem: 'target without expr' });
        continue;
      }
      const { text, unknown } = substitute(target.expr, values);
      if (unknown.length) {
        failures.push({ where: label, problem: `unknown variable(s) ${unknown.map((name) => `$${name}`).join(', ')}`, expr: target.expr });
        continue;
      }
      const result = await instantQuery(text);
      let status = 'ok';
      if (result.error) status = 'ERROR';
      else if (result.series === 0) status = 'EMPTY';
      else if (result.nan === result.series) status = 'NaN';
      rows.push({ label, series: result.series ?? '-', status, sample: result.sample });
      if (status !== 'ok') {
        const problem = result.error ?? (status === 'EMPTY' ? 'no series' : 'only NaN (no observations in the rate window)');
        failures.push({ where: label, problem, expr: text });
      }
    }
  }
}

const width = Math.max(...rows.map((row) => row.label.length), 5);
console.log(`${'panel'.padEnd(width)}  series  status  sample`);
for (const row of rows) {
  const sample = row.sample === undefined ? '' : Number(row.sample.toPrecision(4)).toString();
  console.log(`${row.label.padEnd(width)}  ${String(row.series).padStart(6)}  ${row.status.padEnd(6)}  ${sample}`);
}
console.log(`\n${rows.length} queries in ${files.length} dashboards against ${prometheus} ($__rate_interval=1m, $__interval=15s)`);
if (failures.length) {
  console.error(`\n${failures.length} problem(s):`);
  for (const failure of failures) console.error(`- ${failure.where}: ${failure.problem}${failure.expr ? `\n    ${failure.expr}` : ''}`);
  process.exit(1);
}
console.log('every panel query returned data');
