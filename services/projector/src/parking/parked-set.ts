import type { TopicPartition } from '@scylla-es/es-core/kafka';
import { aggregateKey, type AggregateRef, type ParkedHead } from './parked-head';

/** The parked aggregates of one topic partition, in memory. */
export class ParkedOnPartition {
  private readonly heads = new Map<string, ParkedHead>();

  constructor(heads: readonly ParkedHead[]) {
    for (const head of heads) this.heads.set(aggregateKey(head), head);
  }

  headOf(aggregate: AggregateRef): ParkedHead | undefined {
    return this.heads.get(aggregateKey(aggregate));
  }

  set(head: ParkedHead): void {
    this.heads.set(aggregateKey(head), head);
  }

  delete(aggregate: AggregateRef): void {
    this.heads.delete(aggregateKey(aggregate));
  }

  get size(): number {
    return this.heads.size;
  }
}

/**
 * Which aggregates are parked, for the partitions this member of the group owns, known without a database read
 * per event. All events of an aggregate share one partition, so only the partition's owner parks and releases
 * its aggregates and this view stays true as long as the ownership lasts. A partition's parked aggregates are
 * loaded once per assignment (on the group join, or on its first record when that load failed) and forgotten
 * at the next join, since the partition may have moved to another member and back meanwhile.
 */
export class ParkedSet {
  private partitions = new Map<string, { readonly loading: Promise<ParkedOnPartition>; loaded?: ParkedOnPartition }>();

  constructor(private readonly load: (topic: string, partition: number) => Promise<readonly ParkedHead[]>) {}

  /** The group assigned this member its partitions (again): starts loading them, forgetting everything else. */
  assign(partitions: readonly TopicPartition[]): void {
    this.partitions = new Map();
    // A load that fails here is retried by the first record of its partition, which waits for it.
    for (const { topic, partition } of partitions) this.on(topic, partition).catch(() => undefined);
  }

  /** The parked aggregates of a partition, loaded first if they are not known yet. */
  on(topic: string, partition: number): Promise<ParkedOnPartition> {
    const id = `${topic}\u0000${partition}`;
    const known = this.partitions.get(id);
    if (known) return known.loading;
    const partitions = this.partitions;
    const entry: { loading: Promise<ParkedOnPartition>; loaded?: ParkedOnPartition } = {
      loading: this.load(topic, partition).then(
        (heads) => {
          entry.loaded = new ParkedOnPartition(heads);
          return entry.loaded;
        },
        (error: unknown) => {
          if (partitions.get(id) === entry) partitions.delete(id);
          throw error;
        },
      ),
    };
    partitions.set(id, entry);
    return entry.loading;
  }

  /** Parked aggregates on the partitions loaded so far. */
  get size(): number {
    let size = 0;
    for (const { loaded } of this.partitions.values()) size += loaded?.size ?? 0;
    return size;
  }
}
