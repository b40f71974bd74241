/**
 * Tenancy of kiosks, public links and satisfaction results: every role of organisation A
 * against every kiosk and public-link route of organisation B answers 404 and changes
 * nothing; a kiosk of A can never write into B's results, even with an id B already used.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import * as kioskSvc from '../../server/kiosk/kiosk.service';
import * as kioskStore from '../../server/kiosk/kiosk.store';
import * as linkStore from '../../server/surveys/public-links.store';
import * as linkSvc from '../../server/surveys/public-links.service';
import { getSurvey } from '../../server/surveys/surveys.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite, createToken, createUser } from '../helpers/factories';
import { actorsOf, withSession, pageStatuses, type Actor, type RouteCase } from '../helpers/tenancy';

let t: TestContext;
let orgA: string;
let orgB: string;
let siteA: string;
let siteB: string;
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};
const actors: Actor[] = [];
let bViewerToken: string;

const SURVEY = 'satisfaction-accueil';
const answerSet = (answers: Record<string, unknown>, id: string = crypto.randomUUID()) => ({
  id, survey: SURVEY, version: getSurvey(t.deps, SURVEY)!.version, locale: 'fr', answers, completedAt: t.clock.now().toISOString(),
});

beforeAll(async () => {
  t = await createTestContext();
  const a = await createOrg(t.deps, 'Préfecture A');
  const b = await createOrg(t.deps, 'Préfecture B');
  orgA = a.id;
  orgB = b.id;
  siteA = (await createSite(t.deps, a.id)).id;
  siteB = (await createSite(t.deps, b.id)).id;
  const kb = await kioskSvc.createKiosk(t.deps, b.id, { name: 'Borne B', siteId: siteB, surveyId: SURVEY, locales: [], inactivitySeconds: 60 });
  ids.kiosk = kb.kiosk.id;
  tokens.b = kb.token;
  const ka = await kioskSvc.createKiosk(t.deps, a.id, { name: 'Borne A', siteId: siteA, surveyId: SURVEY, locales: [], inactivitySeconds: 60 });
  tokens.a = ka.token;
  ids.link = (await linkSvc.createLink(t.deps, b.id, { surveyId: SURVEY, siteId: siteB })).id;
  bViewerToken = await createToken(t.deps, b.id, 'viewer', (await createUser(t.deps, b.id, 'viewer')).id);
  actors.push(...(await actorsOf(t.deps, t.app, a.id)));
});
afterAll(() => t.close());

const pageRoutes = (): RouteCase[] => [
  ['GET', `/bornes/${ids.kiosk}`],
  ['POST', `/bornes/${ids.kiosk}`, { name: 'Piratée', siteId: siteA, locales: 'fr', inactivitySeconds: '60' }],
  ['POST', `/bornes/${ids.kiosk}/pause`],
  ['POST', `/bornes/${ids.kiosk}/reprendre`],
  ['POST', `/bornes/${ids.kiosk}/revoquer`],
  ['POST', `/bornes/${ids.kiosk}/lien`],
  ['POST', `/liens-publics/${ids.link}/desactiver`],
  ['POST', `/liens-publics/${ids.link}/activer`],
];

describe('when a user of organisation A addresses a kiosk or public link of organisation B', () => {
  it('then every management route answers 404 for every role', async () => {
    const cells = await pageStatuses(actors, pageRoutes());
    expect(cells.filter((c) => !c.endsWith('→ 404'))).toEqual([]);
    expect(cells.length).toBe(withSession(actors) * pageRoutes().length);
  });

  it('then B’s kiosk and link are unchanged and B’s kiosk link still works', async () => {
    const k = await kioskStore.getKiosk(t.deps.db, orgB, ids.kiosk);
    expect(k).toMatchObject({ name: 'Borne B', siteId: siteB, status: 'active' });
    expect((await request(t.app).get(`/kiosque/${tokens.b}`)).status).toBe(200);
    expect((await linkStore.listLinks(t.deps.db, orgB))[0].active).toBe(true);
  });

  it('then A’s kiosk list and link list never show B’s', async () => {
    const referent = actors.find((x) => x.name === 'A referent (session)')!.browser!;
    const kiosks = await referent.page('/bornes');
    expect(kiosks.text).toContain('Borne A');
    expect(kiosks.text).not.toContain('Borne B');
    const links = await referent.page('/liens-publics');
    expect(links.text).not.toContain(ids.link);
  });
});

describe('when a kiosk of A sends answer sets', () => {
  it('then they land in A’s results only, and an id B already used is refused without touching B’s answer', async () => {
    const shared = crypto.randomUUID();
    expect((await request(t.app).post(`/kiosque/${tokens.b}/reponses`).send(answerSet({ avis_global: 'tres_bien', courtoisie: 'tres_satisfait' }, shared))).status).toBe(201);
    for (let i = 0; i < 5; i++) {
      expect((await request(t.app).post(`/kiosque/${tokens.a}/reponses`).send(answerSet({ avis_global: 'pas_bien', courtoisie: 'pas_du_tout_satisfait' }))).status).toBe(201);
    }
    const stolen = await request(t.app).post(`/kiosque/${tokens.a}/reponses`).send(answerSet({ avis_global: 'pas_bien' }, shared));
    expect(stolen.status).toBe(409);

    const aReferent = actors.find((x) => x.name === 'A referent (token)')!.token!;
    const a = await request(t.app).get(`/api/v1/resultats/satisfaction?survey=${SURVEY}`).set('Authorization', `Bearer ${aReferent}`);
    expect(a.status).toBe(200);
    expect(a.body.overall.total).toBe(5);
    expect(a.body.items.find((i: { item: string }) => i.item === 'courtoisie')).toMatchObject({ n: 5, top2: 0 });

    const b = await request(t.app).get(`/api/v1/resultats/satisfaction?survey=${SURVEY}`).set('Authorization', `Bearer ${bViewerToken}`);
    expect(b.body.overall.total).toBe(1);
    expect(b.body.items.find((i: { item: string }) => i.item === 'courtoisie')).toMatchObject({ n: 1, top2: 1 });
  });

  it('then filtering A’s results on B’s site is refused, not answered with B’s figures', async () => {
    const aViewer = actors.find((x) => x.name === 'A viewer (token)')!.token!;
    const res = await request(t.app).get(`/api/v1/resultats/satisfaction?survey=${SURVEY}&site=${siteB}`).set('Authorization', `Bearer ${aViewer}`);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).not.toContain('"total"');
  });

  it('then evaluators of A do not see results at all', async () => {
    const evaluator = actors.find((x) => x.name === 'A evaluator (token)')!.token!;
    const res = await request(t.app).get(`/api/v1/resultats/satisfaction?survey=${SURVEY}`).set('Authorization', `Bearer ${evaluator}`);
    expect(res.status).toBe(403);
    expect(orgA).not.toBe(orgB);
  });
});
