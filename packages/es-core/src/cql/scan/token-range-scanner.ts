import { types, type Client } from 'cassandra-driver';
import { mapAtMost } from '../../core/concurrency/map-at-most';
import { rangeKey, remainingPieces, type TokenRange } from './token-ranges';

/** What a scan reads: `table` qualified by its keyspace; identifiers are the caller's own, never user input. */
export interface ScanTarget {
  readonly table: string;
  readonly partitionKey: readonly string[];
  readonly columns: readonly string[];
}

/** How far one range got: every partition with a token at or below `lastToken` was handed over and handled. */
export interface RangeProgress {
  readonly range: TokenRange;
  readonly lastToken?: bigint;
  readonly done: boolean;
}

/** All rows of one partition, in clustering order. */
export interface ScannedPartition {
  readonly token: bigint;
  readonly rows: readonly types.Row[];
}

export interface ScanOptions {
  readonly ranges: readonly TokenRange[];
  /** Ranges scanned at the same time; each range is scanned strictly in token order. */
  readonly concurrency: number;
  readonly pageSize?: number;
  /** Progress of an earlier scan of the same ranges: done ranges are skipped, the others continue after `lastToken`. */
  readonly resumeFrom?: readonly RangeProgress[];
  readonly signal?: AbortSignal;
  /**
   * Partitions of one page handed over at the same time (default 1: one after the other, in token order). A
   * page counts as progress only once every one of its partitions was handled, so resuming loses nothing.
   */
  readonly partitionsConcurrently?: number;
  /** Awaited before the scan of its range goes on. */
  readonly onPartition: (partition: ScannedPartition, range: TokenRange) => Promise<void>;
  /** Awaited after each page whose partitions were all handled, and when a range is done. */
  readonly onProgress?: (progress: RangeProgress) => Promise<void>;
}

const TOKEN_ALIAS = 'scan_token';
const DEFAULT_PAGE_SIZE = 1_000;

/**
 * Reads a whole table by token ranges with prepared, paged `token(pk) > ? AND token(pk) <= ?` queries, a bounded
 * number of ranges at once. Partitions come out one by one, each complete and in clustering order even when it
 * spans pages. Progress names the last token fully handled rather than a partition key: two partitions may share
 * a token, so a token is only counted once every row having it was handed over, and resuming after it loses nothing.
 */
export class TokenRangeScanner {
  constructor(private readonly client: Client) {}

  async scan(target: ScanTarget, options: ScanOptions): Promise<void> {
    const query = scanQuery(target);
    const earlier = new Map((options.resumeFrom ?? []).map((progress) => [rangeKey(progress.range), progress]));
    const pending = options.ranges.filter((range) => !earlier.get(rangeKey(range))?.done);
    // One failing range stops the others, and the scan settles only once none is still handing partitions over.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const next = { index: 0 };
    const worker = async (): Promise<void> => {
      for (let range = pending[next.index++]; range; range = pending[next.index++]) {
        await this.scanRange(query, target, range, earlier.get(rangeKey(range))?.lastToken, { ...options, signal });
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length)) }, () =>
      worker().catch((error: unknown) => {
        stop.abort();
        throw error;
      }),
    );
    const failed = (await Promise.allSettled(workers)).find((outcome) => outcome.status === 'rejected');
    if (failed) throw options.signal?.aborted ? options.signal.reason : failed.reason;
  }

  private async scanRange(query: string, target: ScanTarget, range: TokenRange, after: bigint | undefined, options: ScanOptions) {
    const keyOf = partitionKeyOf(target.partitionKey);
    let lastToken = after;
    for (const piece of remainingPieces(range, after)) {
      // The rows of the token seen last on a page: the next page may still hold more of them.
      let open: types.Row[] = [];
      let pageState: string | undefined;
      do {
        options.signal?.throwIfAborted();
        const result = await this.client.execute(query, [tokenParam(piece.start), tokenParam(piece.end)], {
          prepare: true,
          fetchSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
          ...(pageState ? { pageState } : {}),
        });
        pageState = result.pageState ?? undefined;
        const rows = [...open, ...result.rows];
        const openFrom = pageState ? startOfLastToken(rows) : rows.length;
        const complete = rows.slice(0, openFrom);
        open = rows.slice(openFrom);
        const partitions = [...partitionsOf(complete, keyOf)];
        await mapAtMost(partitions, options.partitionsConcurrently ?? 1, async (partition) => {
          options.signal?.throwIfAborted();
          await options.onPartition(partition, range);
        });
        lastToken = partitions.at(-1)?.token ?? lastToken;
        if (complete.length > 0 && pageState) await options.onProgress?.({ range, lastToken, done: false });
      } while (pageState);
    }
    await options.onProgress?.({ range, ...(lastToken === undefined ? {} : { lastToken }), done: true });
  }
}

/** The partition key is always selected: it tells partitions that share a token apart. */
function scanQuery({ table, partitionKey, columns }: ScanTarget): string {
  const token = `token(${partitionKey.join(', ')})`;
  const selected = [...new Set([...partitionKey, ...columns]), `${token} AS ${TOKEN_ALIAS}`];
  return `SELECT ${selected.join(', ')} FROM ${table} WHERE ${token} > ? AND ${token} <= ?`;
}

const tokenParam = (token: bigint): types.Long => types.Long.fromString(token.toString());
const tokenOf = (row: types.Row): bigint => BigInt((row.get(TOKEN_ALIAS) as types.Long).toString());

function startOfLastToken(rows: readonly types.Row[]): number {
  const last = rows.at(-1);
  if (!last) return 0;
  const token = tokenOf(last);
  let index = rows.length - 1;
  while (index > 0 && tokenOf(rows[index - 1] as types.Row) === token) index -= 1;
  return index;
}

const partitionKeyOf = (columns: readonly string[]) => (row: types.Row): string =>
  JSON.stringify(columns.map((column) => String(row.get(column))));

/** Rows arrive grouped by partition (token order, then key order within a shared token), in clustering order. */
function* partitionsOf(rows: readonly types.Row[], keyOf: (row: types.Row) => string): Generator<ScannedPartition> {
  let current: { key: string; token: bigint; rows: types.Row[] } | undefined;
  for (const row of rows) {
    const key = keyOf(row);
    if (current && current.key === key) {
      current.rows.push(row);
      continue;
    }
    if (current) yield { token: current.token, rows: current.rows };
    current = { key, token: tokenOf(row), rows: [row] };
  }
  if (current) yield { token: current.token, rows: current.rows };
}
