/**
 * The Murmur3 ring: every partition key hashes to a token in (MIN_TOKEN, MAX_TOKEN]. MIN_TOKEN itself is never a
 * partition's token (the partitioner maps it away), which lets every range be half-open on the left.
 */
export const MIN_TOKEN = -(2n ** 63n);
export const MAX_TOKEN = 2n ** 63n - 1n;

/**
 * The tokens in (start, end]. A range whose start is not below its end wraps past the ring's top, as the last
 * vnode range of a cluster does: (start, MAX_TOKEN] then (MIN_TOKEN, end]. start = end is the whole ring.
 */
export interface TokenRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** A stable name for a range, to persist its progress under and to match it again on resume. */
export const rangeKey = (range: TokenRange): string => `${range.start}:${range.end}`;

export const wraps = (range: TokenRange): boolean => range.start >= range.end;

export const containsToken = (range: TokenRange, token: bigint): boolean =>
  wraps(range) ? token > range.start || token <= range.end : token > range.start && token <= range.end;

/** `count` contiguous ranges of (nearly) equal width covering the whole ring, starting after `origin`. */
export function splitRing(count: number, origin: bigint = MIN_TOKEN): TokenRange[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a ring splits into at least one range, not ${count}`);
  if (origin < MIN_TOKEN || origin > MAX_TOKEN) throw new RangeError(`${origin} is not a Murmur3 token`);
  const span = MAX_TOKEN - MIN_TOKEN;
  const ranges: TokenRange[] = [];
  let start = origin;
  for (let index = 1; index <= count; index += 1) {
    const last = origin === MIN_TOKEN ? MAX_TOKEN : origin;
    const end = index === count ? last : onRing(origin + (span * BigInt(index)) / BigInt(count));
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}

/** Steps that run past MAX_TOKEN continue after MIN_TOKEN (MIN_TOKEN is no partition's token, so it is skipped). */
function onRing(token: bigint): bigint {
  return token > MAX_TOKEN ? token - (MAX_TOKEN - MIN_TOKEN) : token;
}

/**
 * The non-wrapping pieces of what is left of a range once every token up to `after` was handed over (all of it
 * when `after` is undefined), in scan order.
 */
export function remainingPieces(range: TokenRange, after?: bigint): TokenRange[] {
  if (!wraps(range)) {
    const from = after === undefined ? range.start : after;
    return from < range.end ? [{ start: from, end: range.end }] : [];
  }
  const tail: TokenRange[] = range.end > MIN_TOKEN ? [{ start: MIN_TOKEN, end: range.end }] : [];
  const head = (from: bigint): TokenRange[] => (from < MAX_TOKEN ? [{ start: from, end: MAX_TOKEN }] : []);
  if (after === undefined) return [...head(range.start), ...tail];
  if (after > range.start) return [...head(after), ...tail];
  return after < range.end ? [{ start: after, end: range.end }] : [];
}
