import type { Kafka } from 'kafkajs';
import { SERVICES, type ServiceName } from '../stack/stack';
import { checkResult, type CheckResult } from './check-result';

/** Services whose /health/ready does not answer 200 now. */
export async function servicesNotReady(urls: Readonly<Record<ServiceName, string>>): Promise<string[]> {
  const answers = await Promise.all(
    SERVICES.map(async (name) => {
      try {
        const response = await fetch(`${urls[name]}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        return response.status === 200 ? undefined : `${name}: ${response.status} ${await response.text()}`;
      } catch (error) {
        return `${name}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }),
  );
  return answers.filter((answer): answer is string => answer !== undefined);
}

export async function readinessCheck(urls: Readonly<Record<ServiceName, string>>): Promise<CheckResult> {
  return checkResult('every service ready again', await servicesNotReady(urls));
}

/**
 * Messages a consumer group has not committed yet, per topic, from the broker's own offsets (not the services'
 * metrics): the topic's end minus the group's committed offset (its start when the group committed nothing there).
 */
export async function consumerLag(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    const lag = new Map<string, number>();
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const offsets = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
      const behind = ends.reduce((sum, { partition, high, low }) => {
        const at = offsets.find((entry) => entry.partition === partition)?.offset ?? '-1';
        return sum + Number(BigInt(high) - (at === '-1' ? BigInt(low) : BigInt(at)));
      }, 0);
      lag.set(topic, behind);
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

export async function lagCheck(kafka: Kafka, groups: readonly { groupId: string; topics: readonly string[] }[]): Promise<CheckResult> {
  const violations: string[] = [];
  const figures: Record<string, number> = {};
  for (const { groupId, topics } of groups) {
    for (const [topic, lag] of await consumerLag(kafka, groupId, topics)) {
      figures[`${groupId} on ${topic}`] = lag;
      if (lag !== 0) violations.push(`${groupId} is ${lag} messages behind on ${topic}`);
    }
  }
  return checkResult('consumer lag back to zero', violations, figures);
}
