/**
 * Wilson score interval for a proportion (pure). Used for the 95 % interval printed beside
 * every satisfaction share: unlike the normal approximation it stays inside [0, 1] and
 * behaves sensibly for small n and for shares near 0 % or 100 %.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Interval for `successes` out of `n` trials; null when n is 0 (no share to estimate).
 * Throws on inputs that cannot be counts, rather than printing a wrong figure.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval | null {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || successes < 0 || n < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: invalid counts ${successes}/${n}`);
  }
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp away floating-point dust (e.g. -1e-17) at the bounds.
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
