import type { TopicPartition } from '@scylla-es/es-core/kafka';
import { InvalidCursorError } from '@scylla-es/es-core/service';
import type { ParkedHead } from './parked-head';
import type { ParkedEvents, ParkedPosition } from './parked-events';

/** Where a page of the listing stopped: a topic partition and the last aggregate shown of it. */
export interface ParkedListingPosition extends TopicPartition, ParkedPosition {}

export interface ParkedEntry extends ParkedHead {
  /** Events held behind the head. */
  readonly held: number;
}

export interface ParkedPage {
  readonly entries: readonly ParkedEntry[];
  readonly next?: ParkedListingPosition;
}

/**
 * Every parked aggregate of the group, whichever member owns its partition: the topic partitions in order, and
 * within each the aggregates by type and id. Partitions hold few parked aggregates, so a page reads a few.
 */
export class ParkedListing {
  constructor(
    private readonly store: ParkedEvents,
    private readonly partitions: readonly TopicPartition[],
  ) {}

  async page(after: ParkedListingPosition | undefined, limit: number): Promise<ParkedPage> {
    const start = after ? this.partitions.findIndex((p) => p.topic === after.topic && p.partition === after.partition) : 0;
    if (start < 0) throw new InvalidCursorError('it names a partition the projector does not read');
    const heads: ParkedHead[] = [];
    // One row more than the page shows tells whether another page follows.
    for (let index = start; index < this.partitions.length && heads.length <= limit; index++) {
      const { topic, partition } = this.partitions[index]!;
      const from = after && index === start ? after : undefined;
      heads.push(...(await this.store.page(topic, partition, from, limit + 1 - heads.length)));
    }
    const shown = heads.slice(0, limit);
    const entries = await Promise.all(shown.map(async (head) => ({ ...head, held: await this.store.heldCount(head) })));
    const last = shown[shown.length - 1];
    return heads.length > limit && last
      ? { entries, next: { topic: last.topic, partition: last.partition, aggregateType: last.aggregateType, aggregateId: last.aggregateId } }
      : { entries };
  }
}
