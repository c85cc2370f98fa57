import { containsToken, MAX_TOKEN, MIN_TOKEN, remainingPieces, splitRing, wraps } from './token-ranges';

describe('token ranges', () => {
  it('split the ring into contiguous ranges that cover it once', () => {
    const ranges = splitRing(7);
    expect(ranges).toHaveLength(7);
    expect(ranges[0]?.start).toBe(MIN_TOKEN);
    expect(ranges[6]?.end).toBe(MAX_TOKEN);
    ranges.slice(1).forEach((range, index) => expect(range.start).toBe(ranges[index]?.end));
    expect(ranges.every((range) => !wraps(range))).toBe(true);
  });

  it('split from another origin, so one range wraps past the top of the ring', () => {
    const ranges = splitRing(4, 0n);
    expect(ranges.map((range) => wraps(range))).toEqual([false, false, true, false]);
    expect(ranges[0]).toEqual({ start: 0n, end: MAX_TOKEN / 2n });
    expect(ranges[3]?.end).toBe(0n);
  });

  it('refuse a ring of no ranges', () => {
    expect(() => splitRing(0)).toThrow(RangeError);
  });

  it('leave the unscanned rest of a plain range', () => {
    const range = { start: -10n, end: 10n };
    expect(remainingPieces(range)).toEqual([range]);
    expect(remainingPieces(range, 3n)).toEqual([{ start: 3n, end: 10n }]);
    expect(remainingPieces(range, 10n)).toEqual([]);
  });

  it('leave the unscanned rest of a wrapping range, on either side of the minimum token', () => {
    const range = { start: 100n, end: -100n };
    expect(remainingPieces(range)).toEqual([{ start: 100n, end: MAX_TOKEN }, { start: MIN_TOKEN, end: -100n }]);
    expect(remainingPieces(range, 500n)).toEqual([{ start: 500n, end: MAX_TOKEN }, { start: MIN_TOKEN, end: -100n }]);
    expect(remainingPieces(range, MAX_TOKEN)).toEqual([{ start: MIN_TOKEN, end: -100n }]);
    expect(remainingPieces(range, -200n)).toEqual([{ start: -200n, end: -100n }]);
    expect(remainingPieces(range, -100n)).toEqual([]);
  });

  it('tell whether a token lies in a range, wrapping or not', () => {
    expect(containsToken({ start: -10n, end: 10n }, 10n)).toBe(true);
    expect(containsToken({ start: -10n, end: 10n }, -10n)).toBe(false);
    expect(containsToken({ start: 10n, end: -10n }, MAX_TOKEN)).toBe(true);
    expect(containsToken({ start: 10n, end: -10n }, 0n)).toBe(false);
    expect(containsToken({ start: 5n, end: 5n }, 0n)).toBe(true);
  });

  it('treat a range from a token to itself as the whole ring', () => {
    expect(remainingPieces({ start: MIN_TOKEN, end: MIN_TOKEN })).toEqual([{ start: MIN_TOKEN, end: MAX_TOKEN }]);
  });
});
