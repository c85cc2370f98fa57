import { columnsOf } from './cdc-columns';
import { CdcOperation, type CdcChange } from './cdc-change';
import { DeliveryQueue } from './delivery-queue';
import type { CdcWindow } from './window-reader';

const generation = new Date('2026-06-01T12:00:00Z');
const windowOf = (groupId: number, from = 0, to = 10): CdcWindow => ({ generation, groupIds: [groupId], from: new Date(from), to: new Date(to) });
const changesOf = (...sequences: number[]): CdcChange[] =>
  sequences.map((sequence) => ({
    streamId: Buffer.alloc(16),
    time: generation,
    batchSeqNo: 0,
    endOfBatch: true,
    operation: CdcOperation.rowInsert,
    ttl: null,
    columns: columnsOf({ sequence }),
  }));
const sequencesOf = (changes: readonly CdcChange[]) => changes.map((change) => change.columns.integer('sequence'));

/** A handler that holds every call until released, recording what each call carried. */
function heldHandler() {
  const calls: { sequences: (number | null)[]; window: CdcWindow; release: (error?: Error) => void }[] = [];
  const handler = (changes: readonly CdcChange[], window: CdcWindow) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ sequences: sequencesOf(changes), window, release: (error) => (error ? reject(error) : resolve()) });
    });
  return { calls, handler };
}

describe('the delivery queue', () => {
  it('sends the pages that waited for a free call together, in arrival order, up to the row limit', async () => {
    const { calls, handler } = heldHandler();
    const queue = new DeliveryQueue(handler, 1, 3);
    const first = queue.deliver(changesOf(1), windowOf(1));
    const waiting = [queue.deliver(changesOf(2), windowOf(2, 0, 10)), queue.deliver(changesOf(3, 4), windowOf(3, 5, 20)), queue.deliver(changesOf(5, 6), windowOf(4))];
    expect(calls.map((call) => call.sequences)).toEqual([[1]]);
    calls[0]?.release();
    await first;
    expect(calls.map((call) => call.sequences)).toEqual([[1], [2, 3, 4]]);
    expect(calls[1]?.window).toEqual({ generation, groupIds: [2, 3], from: new Date(0), to: new Date(20) });
    calls[1]?.release();
    await new Promise(setImmediate);
    expect(calls.map((call) => call.sequences)).toEqual([[1], [2, 3, 4], [5, 6]]);
    calls[2]?.release();
    await Promise.all(waiting);
  });

  it('never has more calls in flight than its limit', async () => {
    const { calls, handler } = heldHandler();
    const queue = new DeliveryQueue(handler, 2, 100);
    const delivered = [1, 2, 3, 4].map((sequence) => queue.deliver(changesOf(sequence), windowOf(sequence)));
    expect(calls.map((call) => call.sequences)).toEqual([[1], [2]]);
    calls[1]?.release();
    await delivered[1];
    expect(calls.map((call) => call.sequences)).toEqual([[1], [2], [3, 4]]);
    for (const call of calls) call.release();
    await Promise.all(delivered);
  });

  it('fails every page of a failed call, and goes on with the pages after it', async () => {
    const { calls, handler } = heldHandler();
    const queue = new DeliveryQueue(handler, 1, 100);
    const first = queue.deliver(changesOf(1), windowOf(1));
    const together = [queue.deliver(changesOf(2), windowOf(2)), queue.deliver(changesOf(3), windowOf(3))];
    calls[0]?.release();
    await first;
    const after = queue.deliver(changesOf(4), windowOf(4));
    calls[1]?.release(new Error('broker unavailable'));
    await expect(Promise.all(together.map((delivery) => delivery.catch((error: Error) => error.message)))).resolves.toEqual(['broker unavailable', 'broker unavailable']);
    expect(calls.map((call) => call.sequences)).toEqual([[1], [2, 3], [4]]);
    calls[2]?.release();
    await after;
  });
});
