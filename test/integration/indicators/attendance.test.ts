/**
 * The point numérique's attendance page: typed monthly visitors in the 2018/2019 layout
 * (months in rows, years in columns, totals), its chart, bad years refused, and another
 * organisation's figures never shown.
 */
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createUser, loggedIn, type Browser } from '../../helpers/factories';

let t: TestContext;
let referent: Browser;
let viewer: Browser;
let otherReferent: Browser;

const rowOf = (html: string, label: string) => new RegExp(`<tr><th scope="row">${label}</th>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
const cells = (row: string) => [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/[ \t\r\n]+/g, ' ').trim());

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-08-05T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture A');
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
  const other = await createOrg(t.deps, 'Préfecture B');
  otherReferent = await loggedIn(t.app, await createUser(t.deps, other.id, 'referent'));
  for (const [mois, v] of [['2018-01', '150'], ['2018-07', '180'], ['2019-01', '210'], ['2019-07', '200']]) {
    expect((await referent.post('/indicateurs/saisie', { mois, 'value:point-numerique-visiteurs': v })).status).toBe(303);
  }
  expect((await otherReferent.post('/indicateurs/saisie', { mois: '2019-03', 'value:point-numerique-visiteurs': '4321' })).status).toBe(303);
}, 60_000);
afterAll(async () => t?.close());

describe('when a viewer opens the point numérique page', () => {
  it('then months are rows, the previous and current years columns, with totals', async () => {
    const res = await viewer.page('/indicateurs/point-numerique');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<thead><tr><th scope="col">Mois<\/th><th scope="col">2018<\/th><th scope="col">2019<\/th><\/tr><\/thead>/);
    expect(cells(rowOf(res.text, 'janvier'))).toEqual(['150', '210']);
    expect(cells(rowOf(res.text, 'juillet'))).toEqual(['180', '200']);
    expect(cells(rowOf(res.text, 'mars'))).toEqual(['non renseigné', 'non renseigné']);
    expect(cells(rowOf(res.text, 'Total'))).toEqual(['330 (2 mois renseignés)', '410 (2 mois renseignés)']);
    expect(res.text).toContain('<svg');
    expect(res.text).toContain('2019 : janv. 210');
    expect(res.text).not.toContain('4\u202f321');
  });

  it('then another year is chosen with ?annee=, and a year without values has no chart', async () => {
    const res = await viewer.page('/indicateurs/point-numerique?annee=2018');
    expect(res.status).toBe(200);
    expect(cells(rowOf(res.text, 'janvier'))).toEqual(['non renseigné', '150']);
    const empty = await viewer.page('/indicateurs/point-numerique?annee=2015');
    expect(empty.text).not.toContain('<svg');
    expect(empty.text).toContain('Aucune visite comptée, saisie ou importée');
  });

  it.each(['19', 'abcd', '2019-07', '3000'])('then a bad year (%s) is refused with a 422', async (annee) => {
    expect((await viewer.page(`/indicateurs/point-numerique?annee=${encodeURIComponent(annee)}`)).status).toBe(422);
  });

  it('then the board links to it', async () => {
    expect((await viewer.page('/indicateurs')).text).toContain('href="/indicateurs/point-numerique"');
  });
});

describe('when another organisation reads its own page', () => {
  it('then it sees only its own figures', async () => {
    const res = await otherReferent.page('/indicateurs/point-numerique?annee=2019');
    expect(cells(rowOf(res.text, 'mars'))).toEqual(['non renseigné', '4\u202f321']);
    expect(cells(rowOf(res.text, 'janvier'))).toEqual(['non renseigné', 'non renseigné']);
  });
});
