/**
 * The monthly board through the app: the telephony file of July 2019 gives 94 % (golden),
 * broken files are refused or reported line by line and store nothing, typed values keep
 * their history with who and when, targets of the organisation show beside the national
 * ones, the seed's complaints give « 27 ; 85 % ; 4 jours », and the API serves the series.
 */
import request from 'supertest';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createService, createToken, createUser, loggedIn, type Browser } from '../../helpers/factories';
import { purgeContactDetails } from '../../../server/complaints/complaint.service';
import { retentionRules } from '../../../server/compliance/retention.rules';
import { boardModel, monthlyIndicatorsSummary } from '../../../server/indicators/board.service';
import { JULY_TELEPHONY, importIdOf, seedComplaints, upload } from './indicators.fixtures';

let t: TestContext;
let org: { id: string };
let referent: Browser;
let viewer: Browser;
let token: string;

const api = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${token}`);
const rowOf = (html: string, id: string) => new RegExp(`<tr data-key="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
const cells = (row: string) => [...row.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((m) => m[1].replace(/<[^>]+>/g, ' ').replace(/[ \t\r\n]+/g, ' ').trim());

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-08-05T08:00:00Z');
  org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  const ref = await createUser(t.deps, org.id, 'referent');
  referent = await loggedIn(t.app, ref);
  viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
  token = await createToken(t.deps, org.id, 'viewer');
}, 60_000);
afterAll(async () => t?.close());

describe('when the referent imports the July telephony file', () => {
  let id = '';
  it('then the preview guesses the columns and shows 94 % with a line per bureau, before anything is stored', async () => {
    const res = await upload(referent, 'telephonie', 'appels-juillet.csv', JULY_TELEPHONY);
    expect(res.status).toBe(303);
    id = importIdOf(res.headers.location);
    const page = await referent.page(`/indicateurs/imports/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<option value="Appels perdus" selected>');
    expect(page.text).toMatch(/toute l’organisation<\/td><td>94\u202f%<\/td><td>4\u202f700 décrochés \/ 5\u202f000 reçus, 300 perdus/);
    expect(page.text).not.toContain('import-errors');
    const before = await api('/api/v1/indicateurs?from=2019-07&to=2019-07');
    expect(before.body.indicators.find((i: { id: string }) => i.id === 'appels-aboutis').values).toEqual([]);
  });

  it('then storing it puts 94 % on the board, met against the 90 % target, and the lost calls per bureau on a printable table', async () => {
    const res = await referent.post(`/indicateurs/imports/${id}`, { 'map:date': 'Date', 'map:bureau': 'Bureau', 'map:decroches': 'Appels décrochés', 'map:perdus': 'Appels perdus', action: 'store' });
    expect(res.status).toBe(303);
    const board = await viewer.page('/indicateurs?mois=2019-07');
    expect(cells(rowOf(board.text, 'appels-aboutis')).slice(0, 4)).toEqual(['Taux d’appels aboutis', '90\u202f%', '94\u202f%', 'atteint']);
    const lost = await viewer.page('/indicateurs/appels-perdus?mois=2019-07');
    expect(lost.text).toMatch(/Bureau du séjour des étrangers<\/th><td>1\u202f200<\/td><td>1\u202f056<\/td><td>144<\/td><td>88\u202f%/);
    const again = await referent.post(`/indicateurs/imports/${id}`, { 'map:date': 'Date', 'map:decroches': 'Appels décrochés', 'map:perdus': 'Appels perdus', action: 'store' });
    expect(again.status).toBe(409);
  });

  it('then a home opened months later without newer values summarises July (the latest month with values), and September asked for is empty', async () => {
    t.clock.set('2019-10-05T08:00:00Z');
    try {
      const latest = await monthlyIndicatorsSummary(t.deps, org.id);
      expect(latest.month).toBe('2019-07');
      expect(latest.rows.find((r) => r.id === 'appels-aboutis')?.verdictKey).toBe('met');
      expect((await monthlyIndicatorsSummary(t.deps, org.id, '2019-09-01')).rows).toEqual([]);
      // The home's summary reads the month alone: the same values, targets and verdicts as the board's month.
      const board = await boardModel(t.deps, org.id, '2019-07-01');
      const fromBoard = board.rows.filter((r) => r.value !== '–').map(({ id, value, target, verdictKey }) => ({ id, value, target, verdictKey }));
      const summary = (await monthlyIndicatorsSummary(t.deps, org.id, '2019-07-01')).rows.map(({ id, value, target, verdictKey }) => ({ id, value, target, verdictKey }));
      expect(summary.length).toBeGreaterThan(0);
      expect(summary).toEqual(fromBoard);
    } finally {
      t.clock.set('2019-08-05T08:00:00Z');
    }
  });

  it('then the API serves the month with numerator, denominator and verdict', async () => {
    const res = await api('/api/v1/indicateurs?from=2019-07&to=2019-07');
    expect(res.status).toBe(200);
    const calls = res.body.indicators.find((i: { id: string }) => i.id === 'appels-aboutis');
    expect(calls.values.find((v: { breakdown: string | null }) => v.breakdown === null)).toMatchObject({ month: '2019-07', numerator: 4700, denominator: 5000, source: 'imported', verdict: 'met' });
  });
});

describe('when a file is broken', () => {
  const csv = (s: string) => Buffer.from(s, 'utf8');
  it.each([
    ['a wrong separator', 'x.csv', csv('Date|Bureau|Décrochés|Perdus\n01/07/2019|Standard|3|1\n'), 'séparateur'],
    ['a Windows-1252 encoding', 'x.csv', Buffer.from('Date;Bureau;Appels décrochés;Appels perdus\n01/07/2019;Standard;3;1\n', 'latin1'), 'pas encodé en UTF-8'],
    ['only a header', 'x.csv', csv('Date;Bureau;Appels décrochés;Appels perdus\n'), 'que la ligne des titres'],
  ])('with %s, then the upload is refused (422) with the reason and nothing is kept', async (_n, name, data, reason) => {
    const res = await upload(referent, 'telephonie', name, data);
    expect(res.status).toBe(422);
    expect(res.text).toContain(reason);
  });

  it('with bad dates and duplicates, then every error is listed and nothing is stored unless the bad lines are skipped', async () => {
    const file = csv([
      'Date;Bureau;Appels décrochés;Appels perdus',
      '01/08/2019;Standard;90;10', '31/09/2019;Standard;90;10', '02/08/2019;Standard;dix;1', '01/08/2019;Standard;80;20', '02/08/2019;Standard;100;0',
    ].join('\n'));
    const res = await upload(referent, 'telephonie', 'aout.csv', file);
    const id = importIdOf(res.headers.location);
    const page = await referent.page(`/indicateurs/imports/${id}`);
    const table = /<table id="import-errors">([\s\S]*?)<\/table>/.exec(page.text)?.[1] ?? '';
    expect([...table.matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1))).toEqual([
      ['3', 'Date', '31/09/2019', 'date illisible (attendu JJ/MM/AAAA ou AAAA-MM-JJ)'],
      ['4', 'Appels décrochés', 'dix', 'nombre entier positif attendu'],
      ['5', 'Date', '01/08/2019', 'doublon de la ligne 2 (même jour et même bureau)'],
    ]);
    const form = { 'map:date': 'Date', 'map:bureau': 'Bureau', 'map:decroches': 'Appels décrochés', 'map:perdus': 'Appels perdus', action: 'store' };
    const refused = await referent.post(`/indicateurs/imports/${id}`, form);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('rien n’a été enregistré');
    const none = await api('/api/v1/indicateurs?from=2019-08&to=2019-08');
    expect(none.body.indicators.find((i: { id: string }) => i.id === 'appels-aboutis').values).toEqual([]);
    const skipped = await referent.post(`/indicateurs/imports/${id}`, { ...form, skipBadLines: 'on' });
    expect(skipped.status).toBe(303);
    const stored = await api('/api/v1/indicateurs?from=2019-08&to=2019-08');
    expect(stored.body.indicators.find((i: { id: string }) => i.id === 'appels-aboutis').values.find((v: { breakdown: string | null }) => v.breakdown === null))
      .toMatchObject({ numerator: 190, denominator: 200 });
  });

  it('with a mapping that lacks a required column, then the store is refused with the field named', async () => {
    const res = await upload(referent, 'site', 'audience.csv', csv('Mois;Taux de connexion\njuillet 2019;11 %\n'));
    const id = importIdOf(res.headers.location);
    const refused = await referent.post(`/indicateurs/imports/${id}`, { 'map:mois': 'Mois', action: 'store' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choisissez la colonne « Taux de connexion (%) »');
    expect((await referent.post(`/indicateurs/imports/${id}`, { 'map:mois': 'Mois', 'map:taux': 'Taux de connexion', action: 'store' })).status).toBe(303);
    const board = await viewer.page('/indicateurs?mois=2019-07');
    expect(cells(rowOf(board.text, 'site-taux-connexion')).slice(1, 4)).toEqual(['5\u202f%', '11\u202f%', 'atteint']);
  });
});

describe('when values are typed and targets set', () => {
  it('then the board uses the typed value, the change from the previous month, and the history says who and when', async () => {
    expect((await referent.post('/indicateurs/saisie', { mois: '2019-06', 'value:twitter-engagement': '2,5' })).status).toBe(303);
    expect((await referent.post('/indicateurs/saisie', { mois: '2019-07', 'value:twitter-engagement': '3' })).status).toBe(303);
    expect((await referent.post('/indicateurs/saisie', { mois: '2019-07', 'value:twitter-engagement': '2,75' })).status).toBe(303);
    const board = await viewer.page('/indicateurs?mois=2019-07');
    expect(cells(rowOf(board.text, 'twitter-engagement')).slice(1, 5)).toEqual(['2\u202f%', '2,75\u202f%', 'atteint', '+0,3 pt']);
    const history = await viewer.page('/indicateurs/historique/twitter-engagement');
    expect(history.text).toMatch(/juillet 2019<\/td><td>toute l’organisation<\/td><td>2,75\u202f%<\/td><td>saisi<\/td><td>referent [^<]+<\/td><td>[^<]+<\/td><td>en vigueur/);
    expect(history.text).toMatch(/juillet 2019<\/td><td>toute l’organisation<\/td><td>3\u202f%<\/td><td>saisi<\/td><td>referent [^<]+<\/td><td>[^<]+<\/td><td>remplacée le/);
  });

  it('then an own target replaces the national one on the board, which still shows it', async () => {
    expect((await referent.post('/indicateurs/objectifs', { 'target:twitter-engagement': '3' })).status).toBe(303);
    const board = await viewer.page('/indicateurs?mois=2019-07');
    expect(cells(rowOf(board.text, 'twitter-engagement')).slice(1, 4)).toEqual(['3\u202f% (national : 2\u202f%)', '2,75\u202f%', 'non atteint']);
    expect((await referent.post('/indicateurs/objectifs', { 'target:twitter-engagement': '' })).status).toBe(303);
  });

  it.each([
    ['a percentage above 100', { mois: '2019-07', 'value:twitter-engagement': '120' }, 'value:twitter-engagement'],
    ['a word', { mois: '2019-07', 'value:twitter-engagement': 'beaucoup' }, 'value:twitter-engagement'],
    ['a bad month', { mois: '2019-13', 'value:twitter-engagement': '2' }, 'mois'],
  ])('then %s is refused with 422', async (_n, form, field) => {
    const res = await referent.post('/indicateurs/saisie', form);
    expect(res.status).toBe(422);
    expect(res.text).toContain(`f-${field}-err`);
  });

  it('then a value for a computed indicator is refused (422) and nothing is stored', async () => {
    const res = await request(t.app).get('/api/v1/indicateurs?from=2019-07&to=2019-07').set('Authorization', `Bearer ${token}`);
    const before = JSON.stringify(res.body);
    expect((await referent.post('/indicateurs/saisie', { mois: '2019-07', 'value:reclamations-15j': '80', 'value:twitter-engagement': '1' })).status).toBe(422);
    expect(JSON.stringify((await request(t.app).get('/api/v1/indicateurs?from=2019-07&to=2019-07').set('Authorization', `Bearer ${token}`)).body)).toBe(before);
  });

  it('then a viewer may read but not type nor import', async () => {
    // A page that names no object tells a role it is not for it (403 « Accès réservé »).
    expect((await viewer.post('/indicateurs/saisie', { mois: '2019-07', 'value:twitter-engagement': '1' })).status).toBe(403);
    expect((await viewer.page('/indicateurs/imports')).status).toBe(403);
  });
});

describe('when the seed’s 27 complaints of January–July 2019 are registered', () => {
  beforeAll(async () => {
    const service = await createService(t.deps, org.id, 'Bureau du séjour des étrangers');
    await seedComplaints(t.deps, org.id, { serviceId: service.id, matricule: 'A1234', contactName: 'Jeanne Usagère', contactEmail: 'jeanne@example.test' });
  });

  it('then the register and the board’s year to date read « 27 ; 85 % ; 4 jours » (golden)', async () => {
    const list = await viewer.page('/reclamations?annee=2019');
    expect(/<strong id="complaint-figures">([^<]+)<\/strong>/.exec(list.text)?.[1]).toBe('27 ; 85 % ; 4 jours');
    const board = await viewer.page('/indicateurs?mois=2019-07');
    expect(cells(rowOf(board.text, 'reclamations-nombre'))[5]).toBe('27');
    expect(cells(rowOf(board.text, 'reclamations-15j'))[5]).toBe('85\u202f%');
    expect(cells(rowOf(board.text, 'reclamations-delai'))[5]).toBe('4 jours');
  });

  it('then the agent’s matricule shows to the referent only, never to a viewer nor in the API', async () => {
    expect((await referent.page('/reclamations?annee=2019')).text).toContain('A1234');
    expect((await viewer.page('/reclamations?annee=2019')).text).not.toContain('A1234');
    expect(JSON.stringify((await api('/api/v1/indicateurs?from=2019-01&to=2019-07')).body)).not.toContain('A1234');
  });

  it('then a new entry with no contact details is accepted, and an answer before receipt is refused', async () => {
    expect((await referent.post('/reclamations/nouvelle', { channel: 'papier', kind: 'suggestion', receivedOn: '2019-08-01' })).status).toBe(303);
    const bad = await referent.post('/reclamations/nouvelle', { channel: 'papier', kind: 'reclamation', receivedOn: '2019-08-01', answeredOn: '2019-07-01' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('La réponse ne peut précéder la réception.');
  });

  it('then the retention purge erases names and addresses and keeps the figures', async () => {
    const figures = async () => /<strong id="complaint-figures">([^<]+)<\/strong>/.exec((await referent.page('/reclamations?annee=2019')).text)?.[1];
    t.clock.set('2021-08-05T08:00:00Z');
    const before = await figures();
    expect(before).toBe('28 ; 82 % ; 4 jours'); // the 28th, unanswered, is now late
    // The compliance registry's rule, with the register's default retention (730 days after closure);
    // the whole job would also anonymise this test's idle accounts.
    const rule = retentionRules().find((r) => r.kind === 'complaints.contact')!;
    expect(await rule.purge({ db: t.deps.db, now: t.clock.now() }, org.id, rule.defaultDays)).toBeGreaterThan(0);
    expect(await purgeContactDetails({ db: t.deps.db, now: t.clock.now() }, org.id, 730)).toBe(0);
    expect(await figures()).toBe(before);
    const list = await referent.page('/reclamations?annee=2019');
    const id = /href="\/reclamations\/([0-9a-f-]{36})"/.exec(list.text)![1];
    const page = await referent.page(`/reclamations/${id}`);
    expect(page.text).not.toContain('Jeanne');
    t.clock.set('2019-08-05T08:00:00Z');
  });
});

describe('when the API is called with a bad range', () => {
  it.each([['from=2019-13&to=2019-07'], ['from=2019-07&to=2019-01'], ['to=2019-07'], ['from=2010-01&to=2019-07']])('then %s is a 422', async (q) => {
    expect((await api(`/api/v1/indicateurs?${q}`)).status).toBe(422);
  });
});
