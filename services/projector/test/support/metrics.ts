import type { Registry } from 'prom-client';

/** The sum of a metric's series (every label combination). */
export async function metricTotal(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}

/** How many observations a histogram holds (its `_count`, every label combination). */
export async function observationCount(registry: Registry, histogram: string): Promise<number> {
  const metric = registry.getSingleMetric(histogram);
  if (!metric) throw new Error(`no metric ${histogram}`);
  const { values } = await metric.get();
  return values.filter((value) => (value as { metricName?: string }).metricName === `${histogram}_count`).reduce((sum, { value }) => sum + value, 0);
}
