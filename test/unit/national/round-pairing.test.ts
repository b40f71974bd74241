/** The national round's pairing: properties checked for every size from 2 to 101 organisations. */
import { roundPairs, sameRegionPairs, type Pair } from '../../../server/national/round-pairing';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `org-${String(i + 1).padStart(3, '0')}`);
const sizes = Array.from({ length: 100 }, (_, i) => i + 2);
const key = (p: Pair) => `${p.caller}>${p.called}`;

describe.each(sizes)('a round of %i organisations', (n) => {
  const orgs = ids(n);
  const pairs = roundPairs(orgs, 20191015);

  it('then every organisation calls exactly one other and is called exactly once, never itself', () => {
    expect(pairs).toHaveLength(n);
    expect(pairs.map((p) => p.caller).sort()).toEqual(orgs);
    expect(pairs.map((p) => p.called).sort()).toEqual(orgs);
    expect(pairs.filter((p) => p.caller === p.called)).toEqual([]);
  });

  it('then no two organisations call each other, unless there are only two', () => {
    const all = new Set(pairs.map(key));
    const reciprocal = pairs.filter((p) => all.has(`${p.called}>${p.caller}`));
    expect(reciprocal).toHaveLength(n === 2 ? 2 : 0);
  });

  it('then the same organisations and seed give the same round, whatever the order they are listed in', () => {
    expect(roundPairs([...orgs].reverse(), 20191015)).toEqual(pairs);
  });

  it('then the next round repeats none of its pairs, from four organisations on', () => {
    const next = roundPairs(orgs, 20200115, pairs);
    const before = new Set(pairs.map(key));
    const repeated = next.filter((p) => before.has(key(p))).length;
    // With 2 organisations the only round is the same; with 3 there are two cycles, one of them the previous.
    expect(repeated).toBe(n === 2 ? 2 : 0);
  });
});

describe('seeds and inputs', () => {
  it.each([
    ['another seed gives another round of 20', 20],
    ['another seed gives another round of 101', 101],
  ])('when %s', (_label, n) => {
    expect(roundPairs(ids(n), 1)).not.toEqual(roundPairs(ids(n), 2));
  });

  it.each([
    [[], 'no organisation'],
    [['org-001'], 'one organisation'],
    [['org-001', 'org-001'], 'the same organisation twice'],
  ])('when given %j (%s), then it refuses', (list) => {
    expect(() => roundPairs(list as string[], 1)).toThrow(RangeError);
  });
});

describe('regional neighbours avoided when asked', () => {
  // The 101 departments and their regions (INSEE, via @etalab/decoupage-administratif).
  const departements = (require('@etalab/decoupage-administratif/data/departements.json') as { code: string; region: string }[]);
  const france = new Map(departements.map((d) => [d.code, d.region]));
  const codes = [...france.keys()];

  it.each([1, 2, 3, 20191015, 20200115])('when the 101 prefectures are paired with seed %i, then no pair lies within one region and every property holds', (seed) => {
    const pairs = roundPairs(codes, seed, [], france);
    expect(sameRegionPairs(pairs, france)).toEqual([]);
    expect(pairs.map((p) => p.caller).sort()).toEqual([...codes].sort());
    expect(pairs.map((p) => p.called).sort()).toEqual([...codes].sort());
    const all = new Set(pairs.map(key));
    expect(pairs.filter((p) => p.caller === p.called || all.has(`${p.called}>${p.caller}`))).toEqual([]);
    expect(roundPairs([...codes].reverse(), seed, [], france)).toEqual(pairs);
  });

  it('when not asked, then a random round of the 101 has pairs within a region (the option is not idle)', () => {
    expect(sameRegionPairs(roundPairs(codes, 1), france).length).toBeGreaterThan(0);
  });

  it.each([
    // organisations per region → pairs within a region that must remain (a region of k among n
    // organisations leaves at least k − (n − k) of them side by side in any cycle)
    [[2, 2], 0],
    [[3, 3, 2], 0],
    [[4, 4], 0],
    [[5, 1, 1, 1, 1, 1], 0],
    [[6, 1, 1, 1, 1], 2],
    [[8, 2], 6],
  ])('when regions hold %j organisations, then %i pair(s) within a region remain (the fewest any cycle allows)', (sizes, expected) => {
    const regions = new Map<string, string>();
    sizes.forEach((size, r) => { for (let i = 0; i < size; i++) regions.set(`r${r}-${i}`, `R${r}`); });
    const pairs = roundPairs([...regions.keys()], 7, [], regions);
    expect(sameRegionPairs(pairs, regions)).toHaveLength(expected);
    expect(pairs.map((p) => p.called).sort()).toEqual([...regions.keys()].sort());
  });

  it('when the previous round is given too, then the regions come first and repeats stay few', () => {
    const first = roundPairs(codes, 11, [], france);
    const second = roundPairs(codes, 12, first, france);
    expect(sameRegionPairs(second, france)).toEqual([]);
    const before = new Set(first.map(key));
    expect(second.filter((p) => before.has(key(p))).length).toBeLessThanOrEqual(2);
  });
});
