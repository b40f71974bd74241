/**
 * The point numérique's counting kiosk: one tap per visit with its reason, sent through the
 * kiosk submission path (client ids: a repeat counts once), feeding the attendance table and
 * the board (« environ 200 visites par mois, surtout des téléprocédures ANTS, moins de prises
 * de rendez-vous » in July 2019); a typed value wins for its month; another organisation's
 * taps are never counted; a counter cannot be published as a public link.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import * as kiosks from '../../../server/kiosk/kiosk.service';
import { getSurvey } from '../../../server/surveys/surveys.service';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createSite, createToken, createUser, loggedIn, type Browser } from '../../helpers/factories';

const SURVEY = 'point-numerique-comptage';
let t: TestContext;
let referent: Browser;
let token: string;
let kioskToken: string;
let otherKioskToken: string;
let otherReferent: Browser;
let orgId: string;

const api = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${token}`);
const rowOf = (html: string, table: string, label: string) => {
  const body = new RegExp(`<table id="${table}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  return new RegExp(`<tr><th scope="row">${label}</th>([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? '';
};
const cells = (row: string) => [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/[ \t\r\n]+/g, ' ').trim());

function tap(motif: string, completedAt: string, id: string = crypto.randomUUID()) {
  return { id, survey: SURVEY, version: getSurvey(t.deps, SURVEY)!.version, locale: 'fr', answers: { motif }, completedAt };
}

let minute = 0;
/** Sends taps as a tablet would, moving the server clock a minute every 25 (the kiosk's rate limit is 30 a minute). */
async function send(kToken: string, bodies: object[]) {
  const statuses: number[] = [];
  for (const [n, body] of bodies.entries()) {
    if (n % 25 === 0) t.clock.set(new Date(Date.parse('2019-08-05T08:00:00Z') + ++minute * 61_000).toISOString());
    statuses.push((await request(t.app).post(`/kiosque/${kToken}/reponses`).send(body)).status);
  }
  return statuses;
}

const JULY = { ants: 118, rendez_vous: 52, autre_demarche: 18, aide_usage: 12 };
const julyTaps: object[] = [];

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-08-05T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  orgId = org.id;
  const site = await createSite(t.deps, org.id, 'Point numérique');
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  token = await createToken(t.deps, org.id, 'viewer');
  kioskToken = (await kiosks.createKiosk(t.deps, org.id, { name: 'Point numérique', siteId: site.id, surveyId: SURVEY, locales: [], inactivitySeconds: 60 })).token;
  const other = await createOrg(t.deps, 'Préfecture B');
  const otherSite = await createSite(t.deps, other.id);
  otherReferent = await loggedIn(t.app, await createUser(t.deps, other.id, 'referent'));
  otherKioskToken = (await kiosks.createKiosk(t.deps, other.id, { name: 'Borne', siteId: otherSite.id, surveyId: SURVEY, locales: [], inactivitySeconds: 60 })).token;

  // July: 200 taps spread over the month (Paris time), in an order mixing the reasons.
  let day = 1;
  for (const [motif, n] of Object.entries(JULY)) {
    for (let i = 0; i < n; i++) {
      julyTaps.push(tap(motif, `2019-07-${String(day).padStart(2, '0')}T${String(8 + (i % 9)).padStart(2, '0')}:15:00+02:00`));
      day = (day % 31) + 1;
    }
  }
  expect(new Set(await send(kioskToken, julyTaps))).toEqual(new Set([201]));
  // The first minutes of 1 August in Paris (still 31 July in UTC) belong to August.
  expect(await send(kioskToken, [tap('ants', '2019-08-01T00:10:00+02:00'), tap('rendez_vous', '2019-06-30T23:50:00+02:00')])).toEqual([201, 201]);
  // Another prefecture's counter, same month.
  expect(new Set(await send(otherKioskToken, Array.from({ length: 7 }, () => tap('ants', '2019-07-10T10:00:00+02:00'))))).toEqual(new Set([201]));
}, 120_000);
afterAll(async () => t?.close());

describe('when the counting kiosk page opens', () => {
  it('then it shows the four reasons as buttons, and no smileys', async () => {
    const res = await request(t.app).get(`/kiosque/${kioskToken}`);
    expect(res.status).toBe(200);
    const reasons = [...res.text.matchAll(/<button type="button" class="qk-btn qk-big qk-reason" data-value="([a-z_]+)">([^<]+)<\/button>/g)].map((m) => [m[1], m[2]]);
    expect(reasons).toEqual([['ants', 'Démarche en ligne ANTS'], ['rendez_vous', 'Prise de rendez-vous'], ['autre_demarche', 'Autre démarche'], ['aide_usage', 'Aide à l&#39;usage']]);
    expect(res.text).not.toContain('qk-smiley');
    expect(res.text).toContain('"kind":"counting"');
  });
});

describe('when taps are sent again (a tablet retrying after a lost reply)', () => {
  it('then each is answered 200 duplicate and counted once', async () => {
    const again = await send(kioskToken, julyTaps.slice(0, 30));
    expect(new Set(again)).toEqual(new Set([200]));
    const res = await api('/api/v1/indicateurs?from=2019-07&to=2019-07');
    const visits = res.body.indicators.find((i: { id: string }) => i.id === 'point-numerique-visiteurs');
    expect(visits.values).toEqual([expect.objectContaining({ month: '2019-07', value: 200, source: 'computed' })]);
  });

  it('then a tap with an unknown reason is refused (422) and counts nothing', async () => {
    const res = await request(t.app).post(`/kiosque/${kioskToken}/reponses`).send(tap('autre', '2019-07-20T10:00:00+02:00'));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_answers');
  });
});

describe('when the referent opens the attendance page', () => {
  it('then July 2019 shows the 200 counted visits, and the reasons per month with ANTS first', async () => {
    const res = await referent.page('/indicateurs/point-numerique?annee=2019');
    expect(res.status).toBe(200);
    expect(cells(rowOf(res.text, 'attendance', 'juillet'))).toEqual(['non renseigné', '200']);
    expect(cells(rowOf(res.text, 'attendance', 'juin'))).toEqual(['non renseigné', '1']);
    expect(cells(rowOf(res.text, 'attendance', 'août'))).toEqual(['non renseigné', '1']);
    expect(cells(rowOf(res.text, 'attendance-reasons', 'juillet'))).toEqual(['118', '52', '18', '12', '200']);
    expect(cells(rowOf(res.text, 'attendance-reasons', 'Total'))).toEqual(['119', '53', '18', '12', '']);
    expect(res.text).not.toContain('>207<');
  });

  it('then a typed value for a month wins over the kiosk count for that month only', async () => {
    expect((await referent.post('/indicateurs/saisie', { mois: '2019-06', 'value:point-numerique-visiteurs': '190' })).status).toBe(303);
    const res = await referent.page('/indicateurs/point-numerique?annee=2019');
    expect(cells(rowOf(res.text, 'attendance', 'juin'))).toEqual(['non renseigné', '190']);
    expect(cells(rowOf(res.text, 'attendance', 'juillet'))).toEqual(['non renseigné', '200']);
  });
});

describe('when another organisation reads its figures', () => {
  it('then it sees only its own 7 taps', async () => {
    const res = await otherReferent.page('/indicateurs/point-numerique?annee=2019');
    expect(cells(rowOf(res.text, 'attendance', 'juillet'))).toEqual(['non renseigné', '7']);
    expect(cells(rowOf(res.text, 'attendance-reasons', 'juillet'))).toEqual(['7', '0', '0', '0', '7']);
  });

  it('then a tap id already used by another organisation is a 409 and counts nowhere', async () => {
    const res = await request(t.app).post(`/kiosque/${otherKioskToken}/reponses`).send(julyTaps[0]);
    expect(res.status).toBe(409);
  });
});

describe('when visitors answer the satisfaction survey on a kiosk in July', () => {
  it('then the board shows the kiosk satisfaction under the printed rule (47 « très bien » of 50: 94 %), and June with 2 answers is withheld', async () => {
    const site = await createSite(t.deps, orgId, 'Accueil général');
    const k = await kiosks.createKiosk(t.deps, orgId, { name: 'Hall', siteId: site.id, surveyId: 'satisfaction-accueil', locales: [], inactivitySeconds: 60 });
    const version = getSurvey(t.deps, 'satisfaction-accueil')!.version;
    const answer = (avis: string, completedAt: string) => ({ id: crypto.randomUUID(), survey: 'satisfaction-accueil', version, locale: 'fr', answers: { avis_global: avis }, completedAt });
    const july = [...Array(47).fill('tres_bien'), 'moyen', 'moyen', 'pas_bien'].map((a, i) => answer(a, `2019-07-${String((i % 28) + 1).padStart(2, '0')}T10:00:00+02:00`));
    expect(new Set(await send(k.token, [...july, answer('tres_bien', '2019-06-12T10:00:00+02:00'), answer('pas_bien', '2019-06-13T10:00:00+02:00')]))).toEqual(new Set([201]));
    const res = await api('/api/v1/indicateurs?from=2019-06&to=2019-07');
    const sat = res.body.indicators.find((i: { id: string }) => i.id === 'satisfaction-borne');
    expect(sat.values).toEqual([expect.objectContaining({ month: '2019-07', value: 94, numerator: 47, denominator: 50, source: 'computed' })]);
    const board = await referent.page('/indicateurs?mois=2019-07');
    expect(board.text).toContain('Règle en vigueur (réglage du catalogue des indicateurs) : question « avis_global » ; réponses comptées satisfaites : « tres_bien »');
    expect(board.text).toMatch(/<tr data-key="satisfaction-borne"[^>]*>[\s\S]*?94\u202f%/);
  });
});

describe('when the referent tries to publish the counter as a public link', () => {
  it('then it is refused: a counter only makes sense on a kiosk', async () => {
    const res = await referent.post('/liens-publics', { surveyId: SURVEY });
    expect(res.status).toBe(422);
  });
});
