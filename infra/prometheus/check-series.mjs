#!/usr/bin/env node
// Checks that every metric an alert rule or a dashboard panel queries is one the running services expose, so
// no alert watches a series nobody emits. Run against the live stack (the smoke test does, after the demo):
//
//   node infra/prometheus/check-series.mjs
//   SERVICE_METRICS_URLS=http://127.0.0.1:3000/metrics,... (default: the four services of `make dev`)
//
// A metric counts as exposed when a service's /metrics names it in a sample or in its # HELP / # TYPE lines
// (a labelled counter nothing has incremented yet has no sample), histograms with their _bucket/_sum/_count.
// Plain Node 20, no dependencies; exit 1 with the list of unknown metrics and where they are used.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const urls = (process.env.SERVICE_METRICS_URLS ?? [3000, 3001, 3002, 3003].map((port) => `http://127.0.0.1:${port}/metrics`).join(','))
  .split(',')
  .filter(Boolean);
/** Series Prometheus makes itself. */
const PROMETHEUS_OWN = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** Every `expr` of the alert rules, with the alert it belongs to (a block scalar `|` / `>-` spans lines). */
function alertExpressions(text) {
  const found = [];
  const lines = text.split('\n');
  let alert = '?';
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const named = /^\s*-\s*alert:\s*(\S+)/.exec(line);
    if (named) alert = named[1];
    const expr = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!expr) continue;
    if (!/^[|>]/.test(expr[2])) {
      found.push({ where: `alerts.yml › ${alert}`, expr: expr[2] });
      continue;
    }
    const body = [];
    while (index + 1 < lines.length && (lines[index + 1].trim() === '' || lines[index + 1].search(/\S/) > expr[1].length)) body.push(lines[++index]);
    found.push({ where: `alerts.yml › ${alert}`, expr: body.join(' ') });
  }
  return found;
}

function dashboardExpressions() {
  const directory = join(here, '..', 'grafana', 'dashboards');
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      const dashboard = JSON.parse(readFileSync(join(directory, name), 'utf8'));
      const panels = [];
      const walk = (container) => (container.panels ?? []).forEach((panel) => (panels.push(panel), walk(panel)));
      walk(dashboard);
      return panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `${name} › ${panel.title}`, expr: target.expr ?? '' })));
    });
}

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or durations. */
export function metricNames(expr) {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?/g)) {
    const [token, call] = [match[0].replace(/\s*\($/, ''), match[1]];
    if (call || PROMQL_WORDS.has(token.toLowerCase())) continue;
    names.add(token);
  }
  return names;
}

async function exposedNames() {
  const names = new Set(PROMETHEUS_OWN);
  for (const url of urls) {
    const text = await (await fetch(url)).text();
    for (const line of text.split('\n')) {
      const described = /^# (?:HELP|TYPE) (\S+)(?: (\w+))?/.exec(line);
      if (described) {
        names.add(described[1]);
        if (described[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(described[1] + suffix);
        continue;
      }
      const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)/.exec(line);
      if (sample) names.add(sample[1]);
    }
  }
  return names;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const uses = [...alertExpressions(readFileSync(join(here, 'alerts.yml'), 'utf8')), ...dashboardExpressions()];
  const exposed = await exposedNames();
  const unknown = uses.flatMap(({ where, expr }) => [...metricNames(expr)].filter((name) => !exposed.has(name)).map((name) => `${name} (${where})`));
  const checked = new Set(uses.flatMap(({ expr }) => [...metricNames(expr)]));
  if (unknown.length > 0) {
    console.error(`metrics queried by alerts or dashboards that no service exposes:\n  ${[...new Set(unknown)].join('\n  ')}`);
    process.exit(1);
  }
  console.log(`${checked.size} metrics queried by ${uses.length} alert and panel expressions: every one is exposed by ${urls.length} services`);
}
