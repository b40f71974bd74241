import { delayClass, delayDays, formatDays, mean, median, summarise } from '../../../server/town-halls/delays';
import { addQuarters, parseQuarter, parseQuarterText, quarterOfDay, quartersEndingIn, quartersOverlapping } from '../../../server/quarters';
import { placeLabels, renderMap, scaleKm } from '../../../server/town-halls/map-svg';

describe('delayDays', () => {
  it.each([
    ['2019-05-06', '2019-05-18', 12],
    ['2019-03-30', '2019-04-02', 3], // across the DST change: calendar days, not 24-hour blocks
    ['2019-12-20', '2020-01-06', 17],
    ['2019-05-06', '2019-05-06', 0],
    ['2019-05-06', null, null], // « pas de créneau » is no number
  ])('from %s to %s is %s', (checkedOn, firstSlotOn, expected) => {
    expect(delayDays({ checkedOn, firstSlotOn })).toBe(expected);
  });
});

describe('mean and median', () => {
  it.each([
    [[12, 25, 17, 18], 18, 17.5],
    [[8, 14, 9, 9], 10, 9],
    [[5], 5, 5],
    [[], null, null],
  ])('of %j: mean %s, median %s', (values, m, md) => {
    expect(mean(values)).toBe(m);
    expect(median(values)).toBe(md);
  });

  it('when some checks found no slot, then they are counted apart and kept out of the mean', () => {
    expect(summarise([
      { checkedOn: '2019-05-06', firstSlotOn: '2019-05-18' }, { checkedOn: '2019-05-06', firstSlotOn: null }, { checkedOn: '2019-05-06', firstSlotOn: '2019-05-30' },
    ])).toEqual({ checks: 3, withSlot: 2, noSlot: 1, mean: 18, median: 18, max: 24 });
  });
});

describe('delay classes (lower is better) and formats', () => {
  it.each([
    [0, true, 'a'], [7, true, 'a'], [8, true, 'b'], [14, true, 'b'], [15, true, 'c'], [30, true, 'c'], [31, true, 'd'], [null, true, 'x'], [null, false, 'n'],
  ] as const)('delay %s (checked %s) is class %s', (d, checked, cls) => {
    expect(delayClass(d, checked)).toBe(cls);
  });
  it.each([[18, '18\u00a0jours'], [17.5, '17,5\u00a0jours'], [1, '1\u00a0jour'], [null, '–']])('formatDays(%s) = %s', (v, s) => {
    expect(formatDays(v)).toBe(s);
  });
});

describe('quarters', () => {
  it.each([
    ['2019-05-06', '2019-T2', '2019-04-01', '2019-06-30'],
    ['2019-09-30', '2019-T3', '2019-07-01', '2019-09-30'],
    ['2020-02-29', '2020-T1', '2020-01-01', '2020-03-31'],
    ['2019-12-31', '2019-T4', '2019-10-01', '2019-12-31'],
  ])('%s is in %s (%s–%s)', (day, id, from, to) => {
    expect(quarterOfDay(day)).toMatchObject({ id, from, to });
  });
  it.each([['2019-T3', '2019-T3'], ['T3 2019', '2019-T3'], ['3e trimestre 2019', '2019-T3'], ['1er trimestre 2020', '2020-T1'], ['2019-T5', null], ['juillet', null]])('parseQuarterText(%s) = %s', (s, id) => {
    expect(parseQuarterText(s)?.id ?? null).toBe(id);
  });
  it('then quarters step across years and periods pick the right quarters', () => {
    expect(addQuarters(parseQuarter('2019-T4')!, 1).id).toBe('2020-T1');
    expect(addQuarters(parseQuarter('2019-T1')!, -1).id).toBe('2018-T4');
    expect(quartersEndingIn('2019-01-01', '2019-09-30').map((q) => q.id)).toEqual(['2019-T1', '2019-T2', '2019-T3']);
    expect(quartersEndingIn('2019-02-01', '2019-09-29').map((q) => q.id)).toEqual(['2019-T1', '2019-T2']);
    expect(quartersOverlapping('2019-05-15', '2019-07-02').map((q) => q.id)).toEqual(['2019-T2', '2019-T3']);
  });
});

describe('the map', () => {
  it.each([[100, 20], [60, 10], [30, 5], [8, 2]])('a %s km wide map gets a %s km scale bar', (w, km) => {
    expect(scaleKm(w)).toBe(km);
  });

  it('then names are escaped, every class has shape and letter, and the sources are printed', () => {
    const svg = renderMap({
      id: 'm', title: 'Carte <test>', outline: [[[0, 0], [10, 0], [10, 10], [0, 10]]], unitsPerKm: 0.5, sources: 'Sources CC BY 4.0', unplaced: 1,
      points: [{ name: 'A&B', x: 2, y: 2, cls: 'a', label: '3 j' }, { name: 'C', x: 5, y: 5, cls: 'x', label: 'pas de créneau' }],
    });
    expect(svg).toContain('Carte &lt;test&gt;');
    expect(svg).toContain('A&amp;B : 3 j');
    expect(svg).not.toContain('A&B');
    expect(svg).toMatch(/>A<\/text>/); // the letter inside the class-A circle (black-and-white print)
    expect(svg).toContain('1 mairie sans position');
    expect(svg).toContain('Sources CC BY 4.0');
    expect(svg).toContain('pas de créneau proposé');
  });

  // Label boxes as placeLabels measures them (5.6 units a character, 11 high).
  const boxOf = (l: { x: number; y: number; anchor: string }, text: string) => {
    const w = text.length * 5.6;
    const left = l.anchor === 'start' ? l.x : l.anchor === 'end' ? l.x - w : l.x - w / 2;
    return [left, l.y - 9, left + w, l.y + 2];
  };
  const intersects = (a: number[], b: number[]) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

  it.each([
    ['one town hall alone', [[100, 100]], [], ['start']],
    ['two side by side', [[300, 100], [360, 100]], [], ['end', 'start']],
    ['three stacked close (the demo’s La Roche, Bonneville, Cluses)', [[300, 100], [312, 96], [350, 104]], [], null],
    ['one whose right side is the legend', [[300, 50]], [[310, 0, 600, 200]], ['end']],
    ['one at the right edge of the frame', [[630, 300]], [], ['end']],
  ] as [string, [number, number][], [number, number, number, number][], string[] | null][])('then labels avoid each other, the symbols, the legend and the edge: %s', (_, pts, avoid, anchors) => {
    const points = pts.map(([x, y], i) => ({ x, y, text: `Commune numéro ${i} (12 j)` }));
    const placed = placeLabels(points, avoid, 640);
    const boxes = placed.map((l, i) => boxOf(l, points[i].text));
    boxes.forEach((b, i) => {
      expect(b[0]).toBeGreaterThanOrEqual(0);
      expect(b[2]).toBeLessThanOrEqual(640);
      for (const a of avoid) expect(intersects(b, a)).toBe(false);
      points.forEach((p, j) => { if (j !== i) expect(intersects(b, [p.x - 9, p.y - 9, p.x + 9, p.y + 9])).toBe(false); });
      boxes.forEach((o, j) => { if (j !== i) expect(intersects(b, o)).toBe(false); });
    });
    if (anchors) expect(placed.map((l) => l.anchor)).toEqual(anchors);
  });
});
