/**
 * The demo seed on a fresh database: a year of kiosk answer sets on Haute-Savoie's three
 * sites, stored through the kiosk path, whose last autumn gives the seed's twelve figures in
 * the results service (all sites together); the same clock gives the same data twice.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../server/demo/seed';
import { DEMO_FIGURES, DEMO_SURVEY } from '../../server/demo/kiosk-answers.demo';
import * as orgStore from '../../server/org/org.store';
import { rows } from '../../server/storage/db';
import { satisfactionResults } from '../../server/surveys/results.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { campaignResults } from '../../server/campaigns/campaign.service';
import * as campaignStore from '../../server/campaigns/campaign.store';
import { DEMO_CAMPAIGN_NAME } from '../../server/demo/mail-campaign.demo';
import { DEMO_PROGRAMME_NAME } from '../../server/demo/phone-programme.demo';
import * as phoneStore from '../../server/phone/phone.store';
import { results as phoneResults } from '../../server/phone/results.service';
import { orgHome } from '../../server/home/home.service';
import { loggedIn } from '../helpers/factories';
import request from 'supertest';
import { parseQuarter } from '../../server/quarters';
import { quarterResults } from '../../server/town-halls/town-hall.service';
import { DEMO_TOWN_HALLS } from '../../server/town-halls/town-hall.demo';
import { quarterTable } from '../../server/transparence/transparence.service';
import { buildSections } from '../../server/committee/dossier-sections';
import * as meetingStore from '../../server/committee/meeting.store';

const NN = '\u202f';
const NB = '\u00a0';

const NOW = '2026-12-04T10:00:00Z';
let a: TestContext;
let b: TestContext;
let org74: string;

beforeAll(async () => {
  a = await createTestContext();
  b = await createTestContext();
  a.clock.set(NOW);
  b.clock.set(NOW);
  // As on a first start: the key that seals the demo mailbox's passwords is loaded.
  a.deps.encryptionKey = crypto.randomBytes(32);
  b.deps.encryptionKey = crypto.randomBytes(32);
  expect(await seedDemo(a.deps)).toBe(true);
  expect(await seedDemo(b.deps)).toBe(true);
  org74 = (await orgStore.listOrganisations(a.deps.db)).find((o) => o.name.includes('Haute-Savoie'))!.id;
}, 60_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('when the demo is seeded on a fresh database', () => {
  it('then the autumn global survey over the three sites gives the seed’s twelve figures', async () => {
    const res = await satisfactionResults(a.deps, org74, { survey: DEMO_SURVEY, from: '2026-10-01', to: '2026-11-30' });
    expect(res.items.map((i) => [i.item, Math.round((i.share ?? -1) * 100)])).toEqual(DEMO_FIGURES);
    for (const i of res.items) expect(i.n).toBeGreaterThan(250);
  });

  it('then a year of answers is stored on three kiosks, one per site, with their last contact', async () => {
    const perKiosk = rows<{ site: string; n: number; first: string; last_seen: string | null }>(await a.deps.db.execute(sql`
      select s.name as site, count(r.id)::int as n, min(r.completed_at)::text as first, k.last_seen_at::text as last_seen
      from kiosks k join sites s on s.id = k.site_id left join responses r on r.kiosk_id = k.id and r.site_id = k.site_id
      where k.org_id = ${org74} and k.survey_id = ${DEMO_SURVEY} group by k.id, s.name, k.last_seen_at order by s.name`));
    expect(perKiosk.map((k) => k.site)).toEqual(['Accueil des étrangers', 'Accueil général', 'Point numérique']);
    for (const k of perKiosk) {
      expect(k.n).toBeGreaterThan(100);
      expect(new Date(k.first).getTime()).toBeLessThan(new Date('2026-01-01T00:00:00Z').getTime());
      expect(k.last_seen).not.toBeNull();
    }
  });

  it('then a second fresh database seeded at the same time holds the same answer sets', async () => {
    const dump = async (t: TestContext) => rows<{ id: string; site: string; completed_at: string; answers: unknown }>(await t.deps.db.execute(sql`
      select r.id, s.name as site, r.completed_at::text as completed_at, r.answers from responses r join sites s on s.id = r.site_id order by r.id`));
    const [x, y] = [await dump(a), await dump(b)];
    expect(x.length).toBeGreaterThan(1000);
    expect(y).toEqual(x);
  });

  it('then the finished mystery e-mail campaign, read from its stored probes and replies, gives the seed’s table', async () => {
    const campaign = (await campaignStore.listCampaigns(a.deps.db, org74)).find((c) => c.name === DEMO_CAMPAIGN_NAME)!;
    expect(campaign).toMatchObject({ status: 'closed', mode: 'analyse', periodStart: '2026-05-15', periodEnd: '2026-06-30' });
    const m = (await campaignResults(a.deps, org74, campaign.id)).metrics.overall;
    expect({ sent: m.sent, delivered: m.delivered, bounced: m.bounced }).toEqual({ sent: 21, delivered: 20, bounced: 1 });
    expect(m.acknowledgements).toMatchObject({ numerator: 18, denominator: 20, display: `90${NN}%` });
    expect(m.answers).toMatchObject({ numerator: 15, denominator: 20, display: `75${NN}%` });
    expect(m.conformingSignatures).toMatchObject({ numerator: 14, denominator: 15, display: `93${NN}%` });
    expect(m.withinDeadline).toMatchObject({ numerator: 14, denominator: 15, display: `93${NN}%` });
    expect(m.meanDelay).toMatchObject({ n: 15, display: '1,5 jours' });
    expect(m.meanDelay.value).toBeCloseTo(1.5, 9);
    // The figures come from stored messages, with the referent's corrections in the history.
    const stored = rows<{ replies: number; corrections: number; probes: number }>(await a.deps.db.execute(sql`
      select (select count(*)::int from mail_replies where org_id = ${org74}) as replies,
             (select count(*)::int from mail_corrections where org_id = ${org74}) as corrections,
             (select count(*)::int from mail_probes where campaign_id = ${campaign.id} and origin = 'imported') as probes`))[0];
    expect(stored.probes).toBe(21);
    expect(stored.replies).toBe(18 + 15 + 1 + 1 + 1);
    expect(stored.corrections).toBeGreaterThanOrEqual(2);
  });

  it('then the finished phone programme 38 > 74, 73 > 38, 74 > 73 has graded calls, and Haute-Savoie’s foreigners’ office only has its answering machine', async () => {
    const orgs = await orgStore.listOrganisations(a.deps.db);
    const byCode = new Map(orgs.map((o) => [o.code, o.id]));
    const programme = (await phoneStore.listProgrammes(a.deps.db, org74)).find((p) => p.programme.name === DEMO_PROGRAMME_NAME)!.programme;
    expect(programme).toMatchObject({ startsOn: '2026-06-01', endsOn: '2026-06-30' });
    const pairs = (await phoneStore.listPairs(a.deps.db, org74, programme.id)).map((p) => `${p.callerCode} > ${p.calledCode}`).sort();
    expect(pairs).toEqual(['38 > 74', '74 > 73']);
    for (const [code, numbers] of [['74', 3], ['38', 2], ['73', 2]] as const) {
      const r = await phoneResults(a.deps, byCode.get(code)!, programme.id);
      expect(r.overall.calls).toBe(numbers * 3);
      expect(r.perNumber.every((n) => n.summary.calls === 3)).toBe(true);
      if (code !== '74') {
        expect(r.overall.answered.rate).toBe(1);
        expect(r.overall.form.mean).toBeGreaterThan(5);
        expect(r.overall.substance.n).toBe(numbers * 3);
      }
    }
    const r74 = await phoneResults(a.deps, org74, programme.id);
    const foreigners = r74.perNumber.find((n) => n.number.label.startsWith('Bureau du séjour'))!;
    expect(foreigners.summary).toMatchObject({ calls: 3, machineOnly: 3, answered: { count: 0, n: 3 } });
    expect(r74.overall.answered).toMatchObject({ count: 6, n: 9 });
    expect(r74.findings.join(' ')).toMatch(/répondeur/);
    // The evaluators keep their calls, all sent.
    const calls = await phoneStore.listCallerCalls(a.deps.db, byCode.get('38')!, programme.id);
    expect(calls).toHaveLength(9);
    expect(calls.every((c) => c.call.status === 'submitted')).toBe(true);
  });

  it('then the referent’s home shows the figures of the campaign and the phone marks, and a bilan ready to print', async () => {
    const home = await orgHome(a.deps, org74, true);
    const labels = home.figures.map((f) => `${f.label}: ${f.current}`).join('\n');
    expect(labels).toContain(`Courriels mystères – réponses (« ${DEMO_CAMPAIGN_NAME} »): 75${NN}%`);
    expect(home.alerts.map((x) => x.text).join('\n')).toContain('est prêt à imprimer');
    // Freshly seeded: no kiosk is called silent, none holds a queue.
    expect(home.alerts.filter((x) => x.href === '/bornes')).toEqual([]);
    // Phone marks: the calls made to Haute-Savoie in the demo programme (6 of 9 answered).
    const phone = home.figures.filter((f) => f.label.startsWith('Appels mystères'));
    expect(phone.map((f) => f.label)).toEqual([`Appels mystères – appels aboutis (« ${DEMO_PROGRAMME_NAME} »)`, 'Appels mystères – note de forme', 'Appels mystères – note de fond']);
    expect(phone[0].current).toBe(`67${NN}% (6 sur 9 appels)`);
    expect(phone[1].current).toMatch(/^\d+,\d\/10 \(n = 6\)$/);
    expect(phone.every((f) => /^\/enquetes-telephoniques\/[0-9a-f-]{36}\/resultats$/.test(f.href))).toBe(true);
    expect(home.monthly.href).toBe('/indicateurs?mois=2026-11');
  });

  it('then the viewer’s home page shows the same figures, each a link to its page, and the month’s indicators slot', async () => {
    const viewer = await loggedIn(a.app, { email: 'lecteur74@demo.qualimetre.fr', password: 'demo-lecteur-74' });
    const page = await viewer.page('/');
    expect(page.status).toBe(200);
    for (const text of ['Appels mystères – note de forme', 'Courriels mystères – réponses', 'Indicateurs du mois : novembre 2026', 'href="/indicateurs?mois=2026-11"', 'est prêt à imprimer']) {
      expect(page.text).toContain(text);
    }
    expect(page.text).toMatch(/<a href="\/enquetes-telephoniques\/[0-9a-f-]{36}\/resultats">Appels mystères – note de forme<\/a>/);
    expect(page.text).toMatch(/<a href="\/campagnes-courriel\/[0-9a-f-]{36}\/resultats">Courriels mystères/);
    const results = await viewer.page(/href="(\/enquetes-telephoniques\/[0-9a-f-]{36}\/resultats)"/.exec(page.text)![1]);
    expect(results.status).toBe(200);
  });

  it('then the town halls of Haute-Savoie, placed on the map, have the seed’s mean delays: 18 days in May 2019 and 10 in September, one without a slot', async () => {
    const may = await quarterResults(a.deps, org74, parseQuarter('2019-T2')!);
    const sept = await quarterResults(a.deps, org74, parseQuarter('2019-T3')!);
    expect(may.hallCount).toBe(DEMO_TOWN_HALLS.length);
    expect(may.rows.map((r) => r.name).sort()).toEqual([...DEMO_TOWN_HALLS].sort());
    expect(may.rows.every((r) => r.placed && r.coordSource === 'GeoNames' && r.inseeCode?.startsWith('74'))).toBe(true);
    expect(may.summary).toMatchObject({ checks: DEMO_TOWN_HALLS.length, noSlot: 0, meanValue: 18 });
    expect(sept.summary).toMatchObject({ checks: DEMO_TOWN_HALLS.length, noSlot: 1, withSlot: DEMO_TOWN_HALLS.length - 1, meanValue: 10 });
    expect(sept.rows.filter((r) => r.label === 'pas de créneau')).toHaveLength(1);
    expect(may.byArrondissement.length).toBeGreaterThan(1);
  });

  it('then the Programme Transparence of 2019-T3 shows the seed’s figures, answered calls from the board and the effort from the point numérique, and is public', async () => {
    const t3 = await quarterTable(a.deps, org74, parseQuarter('2019-T3')!);
    expect(Object.fromEntries(t3.rows.map((r) => [r.id, r.display]))).toEqual({
      'satisfaction-titres': `70${NN}%`, 'delai-cni-passeport': `22${NB}jours`, 'delai-permis': `12${NB}jours`, 'delai-immatriculation': `5${NB}jours`,
      'appels-aboutis': `94${NN}%`, 'effort-en-ligne': `3,4${NB}/${NB}5`,
    });
    const t2 = await quarterTable(a.deps, org74, parseQuarter('2019-T2')!);
    expect(t2.rows.every((r) => !r.missing && !r.withheld)).toBe(true);
    const page = await request(a.app).get('/nos-resultats/74/transparence');
    expect(page.status).toBe(200);
    for (const text of [`3,4${NB}/${NB}5`, `94${NN}%`, `70${NN}%`, `22${NB}jours`]) expect(page.text).toContain(text);
  });

  it('then the demo meeting’s dossier holds the Programme Transparence and the town halls with their map', async () => {
    const [meeting] = await meetingStore.listMeetings(a.deps.db, org74);
    const sections = await buildSections(a.deps, org74, { from: meeting.periodStart, to: meeting.periodEnd });
    const titles = sections.map((x) => x.title);
    expect(titles).toContain('Programme Transparence');
    expect(titles).toContain('Délais de rendez-vous en mairie pour les CNI et passeports');
    const halls = sections.find((x) => x.title.startsWith('Délais de rendez-vous'))!.html;
    expect(halls).toContain('<svg');
    expect(halls).toContain(`18${NB}jours`);
    const transparence = sections.find((x) => x.title === 'Programme Transparence')!.html;
    expect(transparence).toContain('2e trimestre 2019');
    expect(transparence).toContain(`3,6${NB}/${NB}5`);
  });

  it('then seeding again does nothing', async () => {
    expect(await seedDemo(a.deps)).toBe(false);
  });
});
