import { ValidationError } from '../../core/errors/domain-errors';
import { etagFor, parseIfMatch } from './etag';

describe('ETag helpers', () => {
  it('formats a version as a strong tag and refuses non-versions', () => {
    expect(etagFor(0)).toBe('"0"');
    expect(etagFor(42)).toBe('"42"');
    expect(() => etagFor(-1)).toThrow(RangeError);
    expect(() => etagFor(1.5)).toThrow(RangeError);
  });

  it.each([
    [undefined, undefined],
    ['*', undefined],
    ['"7"', 7],
    [' "7" ', 7],
    ['W/"7"', 7],
    ['"0"', 0],
  ])('reads If-Match %p as %p', (header, expected) => {
    expect(parseIfMatch(header)).toBe(expected);
  });

  it.each(['7', '"07"', '"-1"', '"a"', '"1", "2"', 'w/"1"', '""', '"99999999999999999"'])(
    'rejects If-Match %p with a 400 invalid-if-match',
    (header) => {
      expect(() => parseIfMatch(header)).toThrow(ValidationError);
      try {
        parseIfMatch(header);
      } catch (error) {
        expect(error).toMatchObject({ status: 400, type: 'invalid-if-match' });
      }
    },
  );
});
