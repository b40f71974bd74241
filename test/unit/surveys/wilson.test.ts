/**
 * Wilson score interval: expected bounds from Newcombe (1998), "Two-sided confidence intervals
 * for the single proportion", Statistics in Medicine 17:857-872, table I (method 3), and
 * symmetric cases worked by hand.
 */
import { wilsonInterval } from '../../../server/surveys/wilson';

describe('wilsonInterval', () => {
  it.each([
    // successes, n, low, high
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [5, 10, 0.2366, 0.7634],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
  ])('when %i successes out of %i, then the 95 %% interval is [%f, %f]', (x, n, low, high) => {
    const ci = wilsonInterval(x, n)!;
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('when n is 0, then there is no interval', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('when the interval is computed, then it contains the observed share and stays within [0, 1]', () => {
    for (const [x, n] of [[1, 1], [0, 1], [3, 7], [999, 1000]]) {
      const ci = wilsonInterval(x, n)!;
      expect(ci.low).toBeGreaterThanOrEqual(0);
      expect(ci.high).toBeLessThanOrEqual(1);
      expect(ci.low).toBeLessThanOrEqual(x / n);
      expect(ci.high).toBeGreaterThanOrEqual(x / n);
    }
  });

  it.each([[-1, 5], [6, 5], [1.5, 5], [1, -2]])('when the counts are %p/%p, then it throws', (x, n) => {
    expect(() => wilsonInterval(x, n)).toThrow(RangeError);
  });
});
