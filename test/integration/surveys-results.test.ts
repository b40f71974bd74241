/**
 * Satisfaction results (/resultats/satisfaction and /api/v1/resultats/satisfaction) computed
 * from answer sets inserted here, against figures worked out by hand in the comments.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../server/app';
import { responses } from '../../server/storage/schema';
import { createTestContext, testConfig, type TestContext } from '../helpers/app';
import { createOrg, createSite, createToken, createUser, loggedIn } from '../helpers/factories';

let t: TestContext;
let site1: string;
let site2: string;
let viewerToken: string;
let orgId: string;
let viewerUser: { email: string; password: string };

const SURVEY = 'satisfaction-accueil';

async function insert(org: string, site: string | null, completedAt: string, answers: Record<string, string>, surveyId = SURVEY) {
  await t.deps.db.insert(responses).values({
    id: crypto.randomUUID(), orgId: org, surveyId, surveyVersion: 'fixture00000000', siteId: site, kioskId: null, channel: 'kiosk',
    locale: 'fr', answers, completedAt: new Date(completedAt), receivedAt: new Date(completedAt),
  });
}

beforeAll(async () => {
  t = await createTestContext();
  const org = await createOrg(t.deps);
  orgId = org.id;
  site1 = (await createSite(t.deps, org.id, 'Accueil général')).id;
  site2 = (await createSite(t.deps, org.id, 'Accueil des étrangers')).id;
  viewerUser = await createUser(t.deps, org.id, 'viewer');
  viewerToken = await createToken(t.deps, org.id, 'viewer', (viewerUser as unknown as { id: string }).id);

  // Site 1, April 2026 (Europe/Paris).
  await insert(org.id, site1, '2026-04-02T08:00:00Z', { avis_global: 'tres_bien', courtoisie: 'tres_satisfait', temps_attente: 'peu_satisfait' });
  await insert(org.id, site1, '2026-04-03T08:00:00Z', { avis_global: 'tres_bien', courtoisie: 'tres_satisfait', temps_attente: 'satisfait' });
  await insert(org.id, site1, '2026-04-04T08:00:00Z', { avis_global: 'tres_bien', courtoisie: 'tres_satisfait', temps_attente: 'pas_du_tout_satisfait' });
  await insert(org.id, site1, '2026-04-05T08:00:00Z', { avis_global: 'moyen', courtoisie: 'satisfait', temps_attente: 'sans_avis' });
  await insert(org.id, site1, '2026-04-06T08:00:00Z', { avis_global: 'moyen', courtoisie: 'satisfait' });
  await insert(org.id, site1, '2026-04-07T08:00:00Z', { avis_global: 'pas_bien', courtoisie: 'peu_satisfait', temps_attente: 'pas_du_tout_satisfait' });
  await insert(org.id, site1, '2026-04-08T08:00:00Z', { avis_global: 'tres_bien', courtoisie: 'pas_du_tout_satisfait' });
  // 31 March 22:30 UTC is 1 April 00:30 in Paris: inside April.
  await insert(org.id, site1, '2026-03-31T22:30:00Z', { avis_global: 'tres_bien', courtoisie: 'sans_avis', signaletique: 'satisfait' });
  // 30 April 22:10 UTC is 1 May 00:10 in Paris: outside April.
  await insert(org.id, site1, '2026-04-30T22:10:00Z', { avis_global: 'pas_bien', courtoisie: 'pas_du_tout_satisfait' });
  // Site 2, April.
  await insert(org.id, site2, '2026-04-10T08:00:00Z', { avis_global: 'moyen', courtoisie: 'tres_satisfait' });
  await insert(org.id, site2, '2026-04-11T08:00:00Z', { avis_global: 'moyen', courtoisie: 'satisfait' });
  // Never counted: another survey of the same organisation, and another organisation.
  await insert(org.id, site1, '2026-04-12T08:00:00Z', { avis_global: 'pas_bien', accueil_global: 'pas_du_tout_satisfait' }, 'point-numerique');
  const other = await createOrg(t.deps);
  const otherSite = (await createSite(t.deps, other.id)).id;
  for (let i = 0; i < 3; i++) await insert(other.id, otherSite, '2026-04-15T08:00:00Z', { avis_global: 'pas_bien', courtoisie: 'pas_du_tout_satisfait' });
});
afterAll(() => t.close());

const api = (query: string, app = t.app) => request(app).get(`/api/v1/resultats/satisfaction?${query}`).set('Authorization', `Bearer ${viewerToken}`);
const item = (body: { items: { item: string }[] }, name: string) => body.items.find((i) => i.item === name) as Record<string, unknown>;

describe('when a viewer asks for one site over April', () => {
  const query = () => `survey=${SURVEY}&site=${site1}&from=2026-04-01&to=2026-04-30`;

  it('then courtoisie is 5 satisfied of 7 with an opinion (71 %), « sans avis » counted apart, with its Wilson interval', async () => {
    const res = await api(query());
    expect(res.status).toBe(200);
    // très satisfait ×3 + satisfait ×2 = 5; with an opinion: those 5 + peu + pas du tout = 7; sans avis: 1.
    const c = item(res.body, 'courtoisie');
    expect(c).toMatchObject({ n: 7, top2: 5, sansAvis: 1, insufficient: false, label: 'Courtoisie des agents d\'accueil' });
    expect(c.share as number).toBeCloseTo(5 / 7, 10);
    // Wilson 5/7 by hand: centre 0.6384, half-width 0.2794.
    expect((c.ci as { low: number }).low).toBeCloseTo(0.3589, 4);
    expect((c.ci as { high: number }).high).toBeCloseTo(0.9178, 4);
  });

  it('then an item with fewer than 5 answers with an opinion is withheld (« effectif insuffisant »), n still given', async () => {
    const res = await api(query());
    // temps_attente: peu, satisfait, pas du tout, pas du tout = 4 with an opinion, 1 sans avis.
    expect(item(res.body, 'temps_attente')).toMatchObject({ n: 4, top2: 1, sansAvis: 1, share: null, ci: null, insufficient: true });
    expect(item(res.body, 'signaletique')).toMatchObject({ n: 1, share: null, insufficient: true });
    expect(item(res.body, 'accueil_global')).toMatchObject({ n: 0, top2: 0, sansAvis: 0, share: null, insufficient: true });
    expect(res.body.minCellSize).toBe(5);
  });

  it('then the overall smileys are distributed 5 / 2 / 1 out of 8', async () => {
    const res = await api(query());
    expect(res.body.overall).toEqual({
      total: 8,
      insufficient: false,
      values: [
        { value: 'tres_bien', label: 'Très bien', n: 5, share: 5 / 8 },
        { value: 'moyen', label: 'Moyen', n: 2, share: 2 / 8 },
        { value: 'pas_bien', label: 'Pas bien', n: 1, share: 1 / 8 },
      ],
    });
  });

  it('then the page prints the same figures in French formats', async () => {
    const viewer = await loggedIn(t.app, viewerUser);
    const res = await viewer.page(`/resultats/satisfaction?${query()}`);
    expect(res.status).toBe(200);
    const text = res.text.replace(/&#39;/g, "'").replace(/\u202f/g, ' ').replace(/\s+/g, ' ');
    expect(text).toMatch(/Courtoisie des agents d'accueil<\/th><td class="">71 %<\/td><td>36 % – 92 %<\/td><td>7<\/td><td>1<\/td>/);
    expect(text).toMatch(/Temps d'attente<\/th><td class="qm-insufficient">effectif insuffisant<\/td><td>–<\/td><td>4<\/td><td>1<\/td>/);
    expect(text).toMatch(/Très bien<\/th><td>5<\/td><td>63 %<\/td>/);
    expect(text).toContain('du 1 avril 2026 au 30 avril 2026');
    expect(text).toContain('moins de 5 réponses');
  });
});

describe('when the filters change', () => {
  it('then all sites over April add site 2’s answers: courtoisie 7 of 9 (78 %)', async () => {
    const res = await api(`survey=${SURVEY}&from=2026-04-01&to=2026-04-30`);
    const c = item(res.body, 'courtoisie');
    expect(c).toMatchObject({ n: 9, top2: 7, sansAvis: 1 });
    expect((c.ci as { low: number }).low).toBeCloseTo(0.4526, 4);
    expect((c.ci as { high: number }).high).toBeCloseTo(0.9368, 4);
    expect(res.body.overall.total).toBe(10);
  });

  it('then without a period, site 1 also counts the answer of 1 May (Paris time)', async () => {
    const res = await api(`survey=${SURVEY}&site=${site1}`);
    expect(item(res.body, 'courtoisie')).toMatchObject({ n: 8, top2: 5, sansAvis: 1 });
    expect(res.body.overall.total).toBe(9);
  });

  it('then May alone holds one answer set: every figure is withheld', async () => {
    const res = await api(`survey=${SURVEY}&site=${site1}&from=2026-05-01&to=2026-05-31`);
    expect(res.body.overall).toMatchObject({ total: 1, insufficient: true });
    expect(res.body.overall.values.every((v: { n: unknown; share: unknown }) => v.n === null && v.share === null)).toBe(true);
    expect(item(res.body, 'courtoisie')).toMatchObject({ n: 1, share: null, insufficient: true });
  });

  it('then a lower MIN_CELL_SIZE (3) shows temps d’attente: 1 of 4 (25 %)', async () => {
    const app = createApp({ ...t.deps, config: testConfig({ MIN_CELL_SIZE: '3' }) });
    const res = await api(`survey=${SURVEY}&site=${site1}&from=2026-04-01&to=2026-04-30`, app);
    expect(res.body.minCellSize).toBe(3);
    expect(item(res.body, 'temps_attente')).toMatchObject({ n: 4, top2: 1, share: 0.25, insufficient: false });
  });

  it.each([
    ['from after to', `survey=${SURVEY}&from=2026-05-01&to=2026-04-01`, 'to'],
    ['a malformed date', `survey=${SURVEY}&from=01/04/2026`, 'from'],
    ['an unknown survey', 'survey=inconnu', 'survey'],
    ['a site that is not a UUID', `survey=${SURVEY}&site=abc`, 'site'],
  ])('when given %s, then 422 names the parameter', async (_c, query, field) => {
    const res = await api(query);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.error.details)).toContain(field);
  });

  it('then without parameters the page shows the first survey over all answers', async () => {
    const viewer = await loggedIn(t.app, viewerUser);
    const res = await viewer.page('/resultats/satisfaction');
    expect(res.status).toBe(200);
    expect(res.text).toContain('toutes les réponses reçues');
    expect(orgId).toBeDefined();
  });
});
