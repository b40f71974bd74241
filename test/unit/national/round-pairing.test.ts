/** The national round's pairing: properties checked for every size from 2 to 101 organisations. */
import { roundPairs, type Pair } from '../../../server/national/round-pairing';

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
