import type { Registry } from 'prom-client';

/** The sum of a metric's series (every label combination). */
export async function metricTotal(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}
