/** Server-side SVG charts: well-formed, accessible, escaped, targets and withheld values drawn. */
import { barChart, escapeXml, multiLineChart, trendChart } from '../../../server/reports/charts';

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('escapeXml', () => {
  it('when a text has markup characters, then they are escaped', () => {
    expect(escapeXml(`<script>"a" & 'b'</script>`)).toBe('&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;');
  });
});

describe('barChart', () => {
  const svg = barChart({
    id: 'chart-satisfaction:accueil',
    title: 'Satisfaction <par point>',
    bars: [
      { label: 'Courtoisie des agents d’accueil', value: 0.96, low: 0.9, high: 0.98 },
      { label: 'Taux d’appels aboutis', value: 0.94, target: 0.9 },
      { label: 'Accueil téléphonique', value: null, note: 'effectif insuffisant' },
    ],
  });

  it('then it is an accessible image with a title and a description that spells out the figures', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/aria-labelledby="chart-satisfaction-accueil-title chart-satisfaction-accueil-desc"/);
    expect(svg).toContain('<title id="chart-satisfaction-accueil-title">Satisfaction &lt;par point&gt;</title>');
    expect(svg).toContain('<desc id="chart-satisfaction-accueil-desc">Courtoisie des agents d’accueil : 96\u202f% ;');
    expect(svg).toContain('Accueil téléphonique : effectif insuffisant');
  });

  it('then each known value has a bar and its printed figure, and a withheld one has none', () => {
    expect(count(svg, /<rect /g)).toBe(2);
    expect(svg).toContain('>96\u202f%</text>');
    expect(svg).toContain('>94\u202f%</text>');
    expect(svg).toContain('>effectif insuffisant</text>');
  });

  it('then the target is marked in red with a legend', () => {
    expect(svg).toContain('stroke="#ce0500"');
    expect(svg).toContain('objectif national');
    expect(svg).toContain('(objectif 90\u202f%)');
  });

  it('then the 95 % interval is drawn as a whisker', () => {
    expect(count(svg, /stroke="#3a3a3a"/g)).toBe(3);
  });

  it('when a label holds markup, then it cannot inject elements', () => {
    const evil = barChart({ id: 'x', title: 't', bars: [{ label: '<script>alert(1)</script>', value: 0.5 }] });
    expect(evil).not.toContain('<script>');
    expect(evil).toContain('&lt;script&gt;');
  });

  it('then the markup is balanced (every opened element is closed)', () => {
    const opened = count(svg, /<(svg|text|title|desc)\b/g);
    const closed = count(svg, /<\/(svg|text|title|desc)>/g);
    expect(opened).toBe(closed);
  });
});

describe('trendChart', () => {
  const svg = trendChart({
    id: 'trend',
    title: 'Taux d’appels aboutis',
    points: [
      { label: 'T1 2019', value: 0.82 },
      { label: 'T2 2019', value: 0.88 },
      { label: 'T3 2019', value: null, note: 'effectif insuffisant' },
      { label: 'T4 2019', value: 0.94 },
    ],
    target: 0.9,
  });

  it('then a withheld period breaks the line into runs (no line drawn across the gap)', () => {
    expect(count(svg, /<polyline /g)).toBe(1);
    expect(count(svg, /<circle /g)).toBe(3);
  });

  it('then the target is a dashed line with its label, and the description lists every period', () => {
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('objectif 90\u202f%');
    expect(svg).toContain('T3 2019 : effectif insuffisant');
    expect(svg).toContain('T4 2019 : 94\u202f%');
  });

  it('when there is one period, then it is drawn without a line', () => {
    const one = trendChart({ id: 'one', title: 't', points: [{ label: 'T1', value: 0.5 }] });
    expect(count(one, /<polyline /g)).toBe(0);
    expect(count(one, /<circle /g)).toBe(1);
  });
});

describe('multiLineChart (one line per year)', () => {
  const svg = multiLineChart({
    id: 'pn', title: 'Visiteurs <2018 & 2019>', labels: ['janv.', 'févr.', 'mars'],
    series: [{ name: '2018', values: [150, null, 170] }, { name: '2019', values: [210, 220, 230] }],
  });
  it('then the description spells every figure, « non renseigné » where a month is missing', () => {
    expect(svg).toContain('<desc id="pn-desc">2018 : janv. 150, févr. non renseigné, mars 170 ; 2019 : janv. 210, févr. 220, mars 230</desc>');
  });
  it('then a missing month breaks the line (no polyline through it) and texts are escaped', () => {
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg).toContain('Visiteurs &lt;2018 &amp; 2019&gt;');
  });
  it('then the largest value is the top of the scale', () => {
    expect(svg).toMatch(/>230<\/text>/);
  });
});
