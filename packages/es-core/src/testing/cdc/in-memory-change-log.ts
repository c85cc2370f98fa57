import { CdcOperation, type CdcChange, type CdcOperationCode } from '../../cdc/cdc-change';
import { columnsOf } from '../../cdc/cdc-columns';
import type { ChangeLog } from '../../cdc/cdc-ports';

/** A change as a spec writes it: when, which operation, and the base columns as decoded values. */
export interface LoggedChange {
  readonly time: Date;
  readonly operation?: CdcOperationCode;
  readonly columns: Readonly<Record<string, unknown>>;
}

/** A CDC log in memory, per stream, paged like the database's: a group's streams one after the other. */
export class InMemoryChangeLog implements ChangeLog {
  private readonly streams = new Map<string, CdcChange[]>();

  constructor(private readonly pageSize: number) {}

  write(streamId: Buffer, ...changes: readonly LoggedChange[]): this {
    const key = streamId.toString('hex');
    const logged = this.streams.get(key) ?? [];
    for (const change of changes) {
      logged.push({
        streamId,
        time: change.time,
        batchSeqNo: 0,
        endOfBatch: true,
        operation: change.operation ?? CdcOperation.rowInsert,
        ttl: null,
        columns: columnsOf(change.columns),
      });
    }
    logged.sort((a, b) => a.time.getTime() - b.time.getTime());
    this.streams.set(key, logged);
    return this;
  }

  async *window(streams: readonly Buffer[], after: Date, upTo: Date): AsyncGenerator<CdcChange[]> {
    const inWindow = streams.flatMap((streamId) => this.streams.get(streamId.toString('hex')) ?? []).filter(
      (change) => change.time.getTime() > after.getTime() && change.time.getTime() <= upTo.getTime(),
    );
    for (let start = 0; start < inWindow.length; start += this.pageSize) yield inWindow.slice(start, start + this.pageSize);
  }
}
