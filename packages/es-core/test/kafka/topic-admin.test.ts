import { ensureTopics } from '../../src/kafka/topic-admin';
import { deleteTopics, testKafka, uniqueTopic } from './kafka-test-support';

describe('ensureTopics on a real broker', () => {
  const kafka = testKafka('topic-admin-test');
  const topics = [uniqueTopic('orders'), uniqueTopic('customers'), uniqueTopic('dead-letters')];
  const [orders = '', customers = '', deadLetters = ''] = topics;
  const later = uniqueTopic('later');
  afterAll(() => deleteTopics(kafka, [...topics, later]));

  async function partitionsAndLeaders(names: string[]) {
    const admin = kafka.admin();
    await admin.connect();
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
    await admin.disconnect();
    return {
      partitions: Object.fromEntries(metadata.map((topic) => [topic.name, topic.partitions.length])),
      allLed: metadata.every((topic) => topic.partitions.every((partition) => partition.leader >= 0)),
    };
  }

  it('creates missing topics when two instances ensure them at the same time, and again is a no-op', async () => {
    const specs = [
      { topic: orders },
      { topic: customers, partitions: 2 },
      { topic: deadLetters, partitions: 1, config: { 'retention.ms': '604800000' } },
    ];
    const [first, second] = await Promise.all([
      ensureTopics(testKafka('instance-a'), specs, { defaultPartitions: 3 }),
      ensureTopics(testKafka('instance-b'), specs, { defaultPartitions: 3 }),
    ]);
    // No topic is claimed by both; whoever lost a race saw "already exists" and carried on.
    const claimed = [...first.created, ...second.created];
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.every((topic) => topics.includes(topic))).toBe(true);

    await expect(ensureTopics(kafka, specs, { defaultPartitions: 3 })).resolves.toEqual({
      created: [],
      partitions: new Map([[orders, 3], [customers, 2], [deadLetters, 1]]),
    });
    await expect(partitionsAndLeaders(topics)).resolves.toEqual({
      partitions: { [orders]: 3, [customers]: 2, [deadLetters]: 1 },
      allLed: true,
    });

    const admin = kafka.admin();
    await admin.connect();
    const described = await admin.describeConfigs({
      resources: [{ type: 2, name: deadLetters, configNames: ['retention.ms'] }],
      includeSynonyms: false,
    });
    await admin.disconnect();
    expect(described.resources[0]?.configEntries[0]).toMatchObject({ configName: 'retention.ms', configValue: '604800000' });
  });

  it('creates only what is missing next to existing topics', async () => {
    const result = await ensureTopics(kafka, [{ topic: orders }, { topic: later, partitions: 2 }]);
    expect(result.created).toEqual([later]);
    await expect(partitionsAndLeaders([later])).resolves.toEqual({ partitions: { [later]: 2 }, allLed: true });
  });

  it('refuses a list naming a topic twice', async () => {
    await expect(ensureTopics(kafka, [{ topic: orders }, { topic: orders }])).rejects.toThrow(RangeError);
  });
});
