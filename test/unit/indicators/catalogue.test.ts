import fs from 'node:fs';
import { CATALOGUE_FILE, IndicatorCatalogueError, indicatorCatalogue, parseCatalogue } from '../../../server/indicators/catalogue';

const good = JSON.parse(fs.readFileSync(CATALOGUE_FILE, 'utf8'));

describe('indicator catalogue', () => {
  it('when the shipped catalogue loads, then it holds the seed’s indicators with their national targets', () => {
    const c = indicatorCatalogue();
    const target = (id: string) => c.byId.get(id)?.nationalTarget;
    expect(target('appels-aboutis')).toBe(90);
    expect(target('site-taux-connexion')).toBe(5);
    expect(target('twitter-engagement')).toBe(2);
    expect(target('site-maj-3j')).toBe(3);
    expect(target('svi-maj-3j')).toBe(3);
    expect(target('reclamations-delai')).toBe(15);
    for (const id of ['reclamations-15j', 'reclamations-nombre', 'courriels-5j', 'point-numerique-visiteurs', 'mystere-courriel-5j', 'mystere-telephone-aboutis']) {
      expect(c.byId.has(id)).toBe(true);
    }
  });

  const broken: [string, (j: any) => void, RegExp][] = [
    ['an unknown unit', (j) => { j.indicators[0].unit = 'euros'; }, /indicators\.0\.unit/],
    ['a duplicate id', (j) => { j.indicators[1].id = j.indicators[0].id; }, /duplicate id appels-aboutis/],
    ['a percentage target above 100', (j) => { j.indicators[0].nationalTarget = 120; }, /at most 100/],
    ['a target without polarity', (j) => { j.indicators[0].polarity = 'none'; }, /needs a polarity/],
    ['an unknown key', (j) => { j.indicators[0].colour = 'red'; }, /colour/],
    ['no version', (j) => { delete j.version; }, /version/],
  ];
  it.each(broken)('when the file has %s, then loading lists the problem', (_name, mutate, expected) => {
    const j = structuredClone(good);
    mutate(j);
    expect(() => parseCatalogue(JSON.stringify(j))).toThrow(IndicatorCatalogueError);
    expect(() => parseCatalogue(JSON.stringify(j))).toThrow(expected);
  });

  it('when two problems exist, then both are listed at once', () => {
    const j = structuredClone(good);
    j.indicators[0].unit = 'euros';
    j.indicators[2].source = 'magic';
    try {
      parseCatalogue(JSON.stringify(j));
      throw new Error('expected a failure');
    } catch (err) {
      expect((err as IndicatorCatalogueError).problems).toHaveLength(2);
    }
  });

  it('when the JSON is malformed, then the error says so', () => {
    expect(() => parseCatalogue('{ "version": 1,')).toThrow(IndicatorCatalogueError);
  });
});
