/**
 * Every read model table exists twice (migration 0006): copy "a" under the table's own name, copy "b" with the
 * suffix `_b`. Queries read a projection's active copy; a rebuild fills the other one.
 */
export const COPIES = ['a', 'b'] as const;
export type Copy = (typeof COPIES)[number];

export const otherCopy = (copy: Copy): Copy => (copy === 'a' ? 'b' : 'a');

/** The qualified name of `table`'s copy. */
export const copyTable = (keyspace: string, table: string, copy: Copy): string => `${keyspace}.${table}${copy === 'a' ? '' : '_b'}`;
