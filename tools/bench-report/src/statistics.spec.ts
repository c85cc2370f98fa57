import { median, spread } from './statistics';

describe('median and spread of rounds', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([5])).toBe(5);
  });

  it('takes the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('gives the spread as min–max around the median, and nothing for no values', () => {
    expect(spread([120, 80, 100])).toEqual({ median: 100, min: 80, max: 120 });
    expect(spread([])).toBeUndefined();
    expect(median([])).toBeNaN();
  });
});
