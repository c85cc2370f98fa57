/** The items by key, each key's items in their original order, keys in order of first appearance. */
export function groupedBy<Item>(items: Iterable<Item>, keyOf: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export interface ChunkLimits<Item> {
  /** The most weight one chunk carries; an item heavier than this alone forms a chunk of its own. */
  readonly maxWeight: number;
  readonly weightOf: (item: Item) => number;
  /** The most items in one chunk. */
  readonly maxItems?: number;
}

/** The items in order, cut into consecutive chunks that stay within the limits. */
export function chunksWithin<Item>(items: Iterable<Item>, { maxWeight, weightOf, maxItems = Number.POSITIVE_INFINITY }: ChunkLimits<Item>): Item[][] {
  const chunks: Item[][] = [];
  let chunk: Item[] = [];
  let weight = 0;
  for (const item of items) {
    const itemWeight = weightOf(item);
    if (chunk.length > 0 && (chunk.length >= maxItems || weight + itemWeight > maxWeight)) {
      chunks.push(chunk);
      chunk = [];
      weight = 0;
    }
    chunk.push(item);
    weight += itemWeight;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
