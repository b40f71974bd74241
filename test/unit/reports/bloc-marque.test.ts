import { blocMarqueCss, blocMarqueLines } from '../../../server/reports/bloc-marque';

describe('blocMarqueLines', () => {
  it.each([
    ['Préfecture de la Haute-Savoie', ['Préfet', 'de la Haute-Savoie']],
    ['Préfecture du Nord', ['Préfet', 'du Nord']],
    ['Préfecture des Hauts-de-Seine', ['Préfet', 'des Hauts-de-Seine']],
    ["Préfecture de l'Ain", ['Préfet', 'de l’Ain']],
    ['Préfecture de police', ['Préfet', 'de police']],
    ['Préfecture de la région Auvergne-Rhône-Alpes', ['Préfet', 'de la région Auvergne-Rhône-Alpes']],
    ['  préfecture   de la  Manche ', ['Préfet', 'de la Manche']],
    ['Haut-commissariat de la République en Polynésie française', ['Haut-commissariat de la République', 'en Polynésie française']],
    ['Sous-préfecture', ['Sous-préfecture']],
  ])('when the organisation is « %s », then the bloc-marque reads %j', (name, lines) => {
    expect(blocMarqueLines(name)).toEqual(lines);
  });
});

describe('blocMarqueCss', () => {
  it('when read from the installed DSFR, then it holds the Marianne and the devise rules and nothing else', () => {
    const css = blocMarqueCss();
    expect(css).toMatch(/^\.fr-logo:before\{background-image:url\("data:image\/svg\+xml/m);
    expect(css).toMatch(/^\.fr-logo:after\{background-image:url\("data:image\/svg\+xml/m);
    expect(css).not.toContain('var(--');
    expect(css.length).toBeLessThan(30_000);
  });
});
