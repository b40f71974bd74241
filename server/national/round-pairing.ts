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
 *
 * When regional neighbours are to be avoided (each organisation's region given), the chosen
 * cycle is then improved by seeded swaps of two organisations' places: a swap is kept when it
 * lowers the number of pairs within one region (then of repeated pairs). A swap keeps a single
 * cycle, so every property above holds. Pairs within a region remain only when no cycle avoids
 * them (a region holding more than half the organisations, or too few organisations).
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
export function roundPairs(ids: readonly string[], seed: number, previous: readonly Pair[] = [], regionOf?: ReadonlyMap<string, string>): Pair[] {
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
  if (regionOf && sorted.length > 3) best = separateRegions(best.map((p) => p.caller), before, regionOf, next);
  const rank = new Map(sorted.map((id, i) => [id, i]));
  return best.sort((a, b) => rank.get(a.caller)! - rank.get(b.caller)!);
}

/** Pairs whose two organisations are in the same (known) region. */
export function sameRegionPairs(pairs: readonly Pair[], regionOf: ReadonlyMap<string, string>): Pair[] {
  return pairs.filter((p) => regionOf.has(p.caller) && regionOf.get(p.caller) === regionOf.get(p.called));
}

/** Seeded local search over the cycle's order: fewer same-region pairs first, then fewer repeats. */
function separateRegions(order: string[], before: ReadonlySet<string>, regionOf: ReadonlyMap<string, string>, next: () => number): Pair[] {
  const n = order.length;
  const edgeCost = (a: string, b: string) => {
    const ra = regionOf.get(a);
    return (ra !== undefined && ra === regionOf.get(b) ? 1000 : 0) + (before.has(`${a}>${b}`) ? 1 : 0);
  };
  // The cost of the edges touching positions i and j (each edge counted once).
  const around = (i: number, j: number) => {
    const edges = new Set([(i - 1 + n) % n, i, (j - 1 + n) % n, j]);
    let c = 0;
    for (const e of edges) c += edgeCost(order[e], order[(e + 1) % n]);
    return c;
  };
  const total = () => order.reduce((c, id, i) => c + edgeCost(id, order[(i + 1) % n]), 0);
  let cost = total();
  // Bounded: each pass tries every position against a few seeded others.
  for (let pass = 0; pass < 200 && cost >= 1000; pass++) {
    let improved = false;
    for (let i = 0; i < n; i++) {
      if (edgeCost(order[i], order[(i + 1) % n]) < 1000 && edgeCost(order[(i - 1 + n) % n], order[i]) < 1000) continue;
      for (let k = 0; k < 8; k++) {
        const j = Math.floor(next() * n);
        if (j === i) continue;
        const beforeSwap = around(i, j);
        [order[i], order[j]] = [order[j], order[i]];
        const afterSwap = around(i, j);
        if (afterSwap < beforeSwap) {
          cost += afterSwap - beforeSwap;
          improved = true;
          break;
        }
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    if (!improved && pass > 20) break;
  }
  return cycle(order);
}
