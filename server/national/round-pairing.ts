/**
 * The pairs of a national phone round (pure): every participating organisation calls exactly
 * one other and is called by exactly one other, never itself; from three organisations on, no
 * two organisations call each other in the same round (with two, the only possible round is
 * the reciprocal pair). Built as a single cycle over a seeded shuffle (server/random.ts): the
 * same organisations and seed give the same round on every machine.
 *
 * When the previous round's pairs are given, the generator draws a few shuffles from the seed
 * and keeps the first with the fewest pairs repeated from that round (none, from four
 * organisations on, in practice).
 */
import { seededRandom } from '../random';

export interface Pair { caller: string; called: string }

/** How many shuffles are tried at most to avoid repeating the previous round's pairs. */
export const MAX_DRAWS = 64;

function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const cycle = (order: readonly string[]): Pair[] => order.map((caller, i) => ({ caller, called: order[(i + 1) % order.length] }));

/**
 * The round's pairs, one per organisation, in the order of `ids` (sorted first, so the caller's
 * order of listing does not change the result). Needs at least two distinct organisations.
 */
export function roundPairs(ids: readonly string[], seed: number, previous: readonly Pair[] = []): Pair[] {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length < 2) throw new RangeError('A round needs at least two organisations');
  const next = seededRandom(seed);
  const before = new Set(previous.map((p) => `${p.caller}>${p.called}`));
  let best: Pair[] = [];
  let bestRepeats = Infinity;
  for (let draw = 0; draw < (before.size ? MAX_DRAWS : 1); draw++) {
    const pairs = cycle(shuffle(sorted, next));
    const repeats = pairs.filter((p) => before.has(`${p.caller}>${p.called}`)).length;
    if (repeats < bestRepeats) {
      best = pairs;
      bestRepeats = repeats;
      if (repeats === 0) break;
    }
  }
  const rank = new Map(sorted.map((id, i) => [id, i]));
  return best.sort((a, b) => rank.get(a.caller)! - rank.get(b.caller)!);
}
