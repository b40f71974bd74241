import { parseMeasures, transparenceMeasures } from '../../../server/transparence/measures';
import { formatMeasure, transparenceRow } from '../../../server/transparence/transparence';
import { readTransparence } from '../../../server/transparence/transparence-import';
import { readTownHalls } from '../../../server/town-halls/town-hall-import';

const measure = (id: string) => transparenceMeasures().find((m) => m.id === id)!;

describe('measures.json', () => {
  it('then it holds the six measures of the programme, with their polarity', () => {
    expect(transparenceMeasures().map((m) => `${m.id}:${m.polarity}:${m.source}`)).toEqual([
      'satisfaction-titres:higher:typed', 'delai-cni-passeport:lower:typed', 'delai-permis:lower:typed',
      'delai-immatriculation:lower:typed', 'appels-aboutis:higher:computed', 'effort-en-ligne:lower:computed',
    ]);
  });
  it('then a computed measure without its source is refused', () => {
    expect(() => parseMeasures(JSON.stringify({ version: 1, measures: [{ id: 'x', label: 'xxx', short: 'xxx', unit: 'percent', polarity: 'higher', source: 'computed', origin: 'xxx' }] }))).toThrow(/computedFrom/);
  });
});

describe('the table row', () => {
  it.each([
    ['percent', 70, '70\u202f%'], ['percent', 93.6, '94\u202f%'], ['days', 22, '22\u00a0jours'], ['days', 1, '1\u00a0jour'], ['days', 4.25, '4,3\u00a0jours'], ['score5', 3.4, '3,4\u00a0/\u00a05'],
  ] as const)('formatMeasure(%s, %s) = %s', (unit, v, s) => {
    expect(formatMeasure(unit, v)).toBe(s);
  });

  it.each([
    ['effort-en-ligne', { value: 3.4, n: 10, source: 'computed' }, '3,4\u00a0/\u00a05', 'plus bas = meilleur'],
    ['effort-en-ligne', { value: 3.4, n: 4, source: 'computed' }, 'résultat non publié', 'plus bas = meilleur'],
    ['appels-aboutis', { value: 94, n: 3, source: 'computed' }, '94\u202f%', 'plus haut = meilleur'], // counts of calls are not a sample
    ['delai-permis', { value: null, n: null, source: null }, 'non renseigné', 'plus bas = meilleur'],
    ['delai-permis', { value: 12, n: null, source: 'imported' }, '12\u00a0jours', 'plus bas = meilleur'],
  ] as const)('%s %j prints %s (%s)', (id, raw, display, polarity) => {
    const row = transparenceRow(measure(id), raw, 5);
    expect(row.display).toBe(display);
    expect(row.polarity).toBe(polarity);
    expect(row.source.length).toBeGreaterThan(10);
  });
});

const table = (header: string[], rows: string[][]) => ({ header, rows, lines: rows.map((_, i) => i + 2) });

describe('reading a Transparence file', () => {
  it('then good lines are read by id or label and every problem names its line and column', () => {
    const r = readTransparence(table(['Trimestre', 'Mesure', 'Valeur'], [
      ['2019-T3', 'delai-permis', '12'], ['3e trimestre 2019', 'Délai moyen de délivrance des CNI-passeports', '22 jours'],
      ['2019-T3', 'satisfaction-titres', '70 %'], ['2019-T7', 'delai-permis', '1'], ['2019-T3', 'effort-en-ligne', '3'], ['2019-T3', 'satisfaction-titres', '170'],
    ]), transparenceMeasures());
    expect(r.values.map((v) => `${v.quarter}:${v.measureId}:${v.value}`)).toEqual(['2019-T3:delai-permis:12', '2019-T3:delai-cni-passeport:22', '2019-T3:satisfaction-titres:70']);
    expect(r.problems.map((p) => `${p.line}|${p.column}`)).toEqual(['5|Trimestre', '6|Mesure', '7|Valeur']);
  });
  it('then missing columns are named', () => {
    expect(readTransparence(table(['Trimestre', 'Chiffre'], []), transparenceMeasures()).problems[0].message).toContain('« Mesure », « Valeur »');
  });
});

describe('reading a town-hall file', () => {
  const communes: Record<string, { nom: string; departement: string }> = { 74010: { nom: 'Annecy', departement: '74' }, 38185: { nom: 'Grenoble', departement: '38' } };
  it.each([
    [['Commune', 'Code INSEE'], ['', '74010'], null, 'Annecy'],
    [['Commune', 'Code INSEE'], ['Grenoble', '38185'], 'Code INSEE', null],
    [['Commune', 'Code INSEE'], ['X', '7401'], 'Code INSEE', null],
    [['Commune'], [''], 'Commune', null],
    [['Mairie', 'Latitude', 'Longitude'], ['Seynod', '45,88', ''], 'Longitude', null],
    [['Mairie', 'Latitude', 'Longitude'], ['Seynod', '45,88', '6,09'], null, 'Seynod'],
    [['Nom', 'Latitude', 'Longitude'], ['Seynod', '145', '6'], 'Latitude', null],
  ])('header %j line %j: problem in %s', (header, row, column, name) => {
    const r = readTownHalls(table(header, [row]), '74', (c) => communes[c] ?? null);
    expect(r.problems.map((p) => p.column)[0] ?? null).toBe(column);
    if (name) expect(r.lines[0].name).toBe(name);
    if (column) expect(r.problems[0].line).toBe(2);
  });
});
