/**
 * The national view (issue 18) over several organisations: each national figure equals the
 * figure the organisation's own bilan computes from the same rows (report sources and
 * satisfaction counts), small cells are withheld per organisation and stay out of the
 * median, the table sorts, the drill-down and the CSV agree, no personal data is reachable,
 * and roles hold: the national team writes nothing and reads no organisation's object; the
 * organisations' users get 403 « Accès réservé … » on the national pages.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { rows } from '../../server/storage/db';
import { campaignEmailSource } from '../../server/reports/email.source';
import { programmePhoneSource } from '../../server/reports/phone.source';
import { satisfactionCounts } from '../../server/reports/satisfaction.query';
import { periodFigures } from '../../server/indicators/board.service';
import { complaintMonthlyValues, createComplaint } from '../../server/complaints/complaint.service';
import type { ComplaintForm } from '../../server/complaints/complaint.schemas';
import { setTargets, typeValues } from '../../server/indicators/values.service';
import { runCommand } from '../../server/cli/commands';
import { findUserByEmail } from '../../server/auth/auth.store';
import { createTestContext, type TestContext } from '../helpers/app';
import { insertClosedCampaign } from '../helpers/mail-campaign';
import { describeWithLibreOffice, readXlsxWithLibreOffice } from '../helpers/libreoffice';
import { createOrg, createSite, createUser, loggedIn, type Browser } from '../helpers/factories';
import { insertAnswerSets, parseFrenchCsv, seedAnswerSets, SEED_2018, SURVEY } from './reports.fixtures';

let t: TestContext;
let national: Browser;
const orgs: Record<'a' | 'b' | 'c', { id: string; code: string; name: string }> = {} as never;
let campaignId: string;
let programmeId: string;
const Q = { from: '2019-07-01', to: '2019-09-30' };
const paris = (s: string) => new Date(`${s}:00+02:00`);
const SECRET_COMMENT = 'Jean Dupont au guichet 3 était désagréable';
const SECRET_SUBJECT = 'Question horaires bureau des étrangers';
const SECRET_REPLY = 'Cordialement, Martine Durand, bureau du séjour';
const SECRET_CONTACT = 'Paulette Réclamante';
const SECRET_MATRICULE = 'M-48213';
const OVERALL_INDEX = SEED_2018.findIndex(([item]) => item === 'accueil_global');

async function emailData(orgId: string) {
  const c = await insertClosedCampaign(t.deps, orgId, {
    name: 'Campagne été 2019', periodStart: '2019-07-01', periodEnd: '2019-09-30', checklist: ['firstName', 'lastName', 'service'], subject: SECRET_SUBJECT,
    sentAt: Array.from({ length: 12 }, (_, i) => (i === 11 ? paris('2019-10-02T10:00') : paris('2019-07-10T10:00'))),
  });
  const { mailboxId, probes } = c;
  campaignId = c.campaignId;
  const reply = (probe: string, cls: string, at: string, signature: Record<string, boolean> | null = null) =>
    t.deps.db.execute(sql`insert into mail_replies (id, org_id, mailbox_id, campaign_id, probe_id, folder, uid_validity, uid, dedupe_key, received_at, size,
        detected_class, reply_class, subject, text, full_text, signature, match_method)
      values (${crypto.randomUUID()}, ${orgId}, ${mailboxId}, ${campaignId}, ${probe}, 'INBOX', '1', ${crypto.randomInt(1e9)}, ${crypto.randomUUID()},
              ${paris(at)}, 1000, ${cls}, ${cls}, ${`RE: ${SECRET_SUBJECT}`}, ${SECRET_REPLY}, ${SECRET_REPLY}, ${signature ? JSON.stringify(signature) : null}::jsonb, 'headers')`);
  const all = { firstName: true, lastName: true, service: true };
  // 11 probes in the quarter: one bounced, 8 answered (6 the next day, 2 three weeks later), acknowledgements on 9.
  for (let i = 0; i < 9; i++) await reply(probes[i], 'acknowledgement', '2019-07-10T10:05');
  for (let i = 0; i < 8; i++) await reply(probes[i], 'answer', i < 6 ? '2019-07-11T10:00' : '2019-07-31T10:00', i === 0 ? { ...all, service: false } : all);
  await reply(probes[10], 'bounce', '2019-07-10T10:01');
  await reply(probes[11], 'answer', '2019-10-03T10:00', all);
}

async function phoneData(calledId: string, callerId: string) {
  const evaluator = await createUser(t.deps, callerId, 'evaluator');
  programmeId = crypto.randomUUID();
  const pair = crypto.randomUUID();
  const number = crypto.randomUUID();
  const scenario = crypto.randomUUID();
  await t.deps.db.execute(sql`insert into phone_programmes (id, owner_org_id, name, starts_on, ends_on, seed) values (${programmeId}, ${callerId}, 'Enquête croisée été 2019', '2019-08-01', '2019-08-31', 1)`);
  await t.deps.db.execute(sql`insert into phone_participants (programme_id, org_id, accepted_at) values (${programmeId}, ${calledId}, now()), (${programmeId}, ${callerId}, now())`);
  await t.deps.db.execute(sql`insert into phone_pairs (id, programme_id, caller_org_id, called_org_id) values (${pair}, ${programmeId}, ${callerId}, ${calledId})`);
  await t.deps.db.execute(sql`insert into phone_numbers (id, programme_id, org_id, kind, label, phone) values (${number}, ${programmeId}, ${calledId}, 'standard', 'Standard', '04 50 33 60 00')`);
  await t.deps.db.execute(sql`insert into phone_scenarios (id, programme_id, org_id, category, question, expected_answer) values (${scenario}, ${programmeId}, ${calledId}, 'horaires', 'Horaires ?', '9h-16h')`);
  const good = { decroche: 'oui', attente_secondes: 8, sonneries: 2, annonce_service: 'oui', bonjour: 'oui', nom_agent: 'oui', courtoisie: 'tres_satisfaisant', ecoute: 'tres_satisfaisant', transfert: 'sans_objet', reponse_fond: 'complete', prise_de_conge: 'oui', impression_globale: 'tres_bonne' };
  const grids = [good, good, good, { ...good, reponse_fond: 'aucune', nom_agent: 'non' }, good, { ...good, courtoisie: 'insuffisant' }, { decroche: 'non', motif_non_abouti: 'repondeur_seul' }];
  for (const answers of grids) {
    await t.deps.db.execute(sql`insert into phone_calls (programme_id, pair_id, caller_org_id, called_org_id, number_id, scenario_id, evaluator_id, scheduled_at, slot, status, answers, submitted_at)
      values (${programmeId}, ${pair}, ${callerId}, ${calledId}, ${number}, ${scenario}, ${evaluator.id}, '2019-08-12T08:00:00Z', 'matin', 'submitted', ${JSON.stringify(answers)}::jsonb, '2019-08-12T08:30:00Z')`);
  }
}

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2019-10-15T08:00:00Z');
  for (const k of ['a', 'b', 'c'] as const) {
    const o = await createOrg(t.deps, `Préfecture ${k.toUpperCase()}`);
    orgs[k] = { id: o.id, code: o.code, name: o.name };
  }
  // Satisfaction: A 93 % of 100, B 80 % of 50, C only 3 answer sets (withheld).
  const percents = (p: number) => SEED_2018.map((_, k) => (k === OVERALL_INDEX ? p : 90));
  const siteA = await createSite(t.deps, orgs.a.id);
  await insertAnswerSets(t.deps, orgs.a.id, seedAnswerSets({ siteId: siteA.id, start: paris('2019-07-02T09:00'), comment: (i) => (i === 0 ? SECRET_COMMENT : undefined) }));
  await insertAnswerSets(t.deps, orgs.b.id, seedAnswerSets({ siteId: null, start: paris('2019-08-02T09:00'), opinions: 50, sansAvis: 2, percents: percents(80) }));
  await insertAnswerSets(t.deps, orgs.c.id, seedAnswerSets({ siteId: null, start: paris('2019-08-02T09:00'), opinions: 3, sansAvis: 0 }));
  // An answer set outside the quarter does not count.
  await insertAnswerSets(t.deps, orgs.a.id, seedAnswerSets({ siteId: null, start: paris('2019-10-02T09:00'), opinions: 10, sansAvis: 0, percents: percents(0) }));
  await emailData(orgs.a.id);
  await phoneData(orgs.b.id, orgs.a.id);
  // Monthly indicators of A: the website updated within 2 days (target 3: met), Twitter 1,5 % (target 2 %: missed).
  await typeValues(t.deps, orgs.a.id, null, '2019-07-01', { 'site-maj-3j': 2, 'twitter-engagement': 1.5 });
  await typeValues(t.deps, orgs.a.id, null, '2019-08-01', { 'site-maj-3j': 1, 'twitter-engagement': 1.5 });
  // B sets its own target for Twitter (1 %): met.
  await setTargets(t.deps, orgs.b.id, null, { 'twitter-engagement': 1 });
  await typeValues(t.deps, orgs.b.id, null, '2019-09-01', { 'twitter-engagement': 1.2 });
  // Complaints of A in the quarter: 6 received (5 answered, 4 of them within 15 working days, 1
  // still open past its deadline), one with a contact name and a matricule that must never show;
  // B: 2 complaints (share and mean withheld below the minimum cell size, the count shown).
  const complaint = (orgId: string, receivedOn: string, answeredOn: string | null, extra: Partial<ComplaintForm> = {}) => createComplaint(t.deps, orgId, null, {
    channel: 'papier', kind: 'reclamation', serviceId: null, matricule: null, receivedOn, answeredOn, subject: 'Attente', answerSummary: '', correctiveMeasure: '',
    contactName: null, contactEmail: null, contactPhone: null, contactAddress: null, ...extra,
  });
  await complaint(orgs.a.id, '2019-07-01', '2019-07-03', { contactName: SECRET_CONTACT, matricule: SECRET_MATRICULE });
  await complaint(orgs.a.id, '2019-07-08', '2019-07-12');
  await complaint(orgs.a.id, '2019-08-01', '2019-08-05');
  await complaint(orgs.a.id, '2019-08-20', '2019-08-22');
  await complaint(orgs.a.id, '2019-07-15', '2019-09-02');
  await complaint(orgs.a.id, '2019-09-02', null);
  await complaint(orgs.a.id, '2019-10-01', '2019-10-02');
  await complaint(orgs.b.id, '2019-08-01', '2019-08-02');
  await complaint(orgs.b.id, '2019-08-05', '2019-08-06');
  const user = await createUser(t.deps, null, 'national');
  national = await loggedIn(t.app, user);
});
afterAll(() => t?.close());

const binary = (r: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = r as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

interface Json { organisations: { code: string; figures: Record<string, { value: number | null; n: number; insufficient: boolean }> }[]; columns: { key: string; median: number | null; organisations: number }[] }
const api = async (query = 'trimestre=2019-T3') => (await national.agent.get(`/api/v1/national?${query}`).set('Accept', 'application/json').expect(200)).body as Json;
const figuresOf = (j: Json, code: string) => j.organisations.find((o) => o.code === code)!.figures;

describe('the national figures', () => {
  it('when read for a quarter, then each organisation’s figures equal its own bilan’s, from the same rows', async () => {
    const j = await api();
    expect(j.organisations.map((o) => o.code).sort()).toEqual([orgs.a.code, orgs.b.code, orgs.c.code].sort());

    for (const k of ['a', 'b'] as const) {
      const [own] = (await satisfactionCounts(t.deps.db, orgs[k].id, SURVEY, ['accueil_global'], [{ key: 'main', ...Q }])).filter((c) => c.siteId === null);
      expect(figuresOf(j, orgs[k].code).satisfaction).toEqual({ value: own.top2 / own.opinions, n: own.opinions, insufficient: false });
    }
    expect(figuresOf(j, orgs.a.code).satisfaction.value).toBeCloseTo(0.93, 10);
    expect(figuresOf(j, orgs.b.code).satisfaction).toMatchObject({ n: 50 });
    expect(figuresOf(j, orgs.b.code).satisfaction.value).toBeCloseTo(0.8, 10);
    // C: 3 answers, below the minimum cell size of 5: withheld, n still given.
    expect(figuresOf(j, orgs.c.code).satisfaction).toEqual({ value: null, n: 3, insufficient: true });

    const email = (await campaignEmailSource(t.deps).indicators(orgs.a.id, Q))!;
    const a = figuresOf(j, orgs.a.code);
    expect(a.emailAnswers).toEqual({ value: email.answered / email.delivered, n: email.delivered, insufficient: false });
    expect(a.emailDeadline).toEqual({ value: email.withinDeadline / email.answered, n: email.answered, insufficient: false });
    expect(a.emailDelay.value).toBeCloseTo(email.meanDelayDays!, 10);
    // By hand: 10 delivered, 8 answered, 6 within 5 working days.
    expect([email.delivered, email.answered, email.withinDeadline]).toEqual([10, 8, 6]);

    const phone = (await programmePhoneSource(t.deps).indicators(orgs.b.id, Q))!;
    const b = figuresOf(j, orgs.b.code);
    expect(b.phoneAnswered).toEqual({ value: phone.answered / phone.calls, n: phone.calls, insufficient: false });
    expect(b.phoneForm.value).toBeCloseTo(phone.form.mean!, 10);
    expect(b.phoneForm.n).toBe(phone.form.n);
    expect(b.phoneSubstance.value).toBeCloseTo(phone.substance.mean!, 10);
    // A calls B: A has no phone results of its own.
    expect(a.phoneAnswered).toEqual({ value: null, n: 0, insufficient: false });

    for (const k of ['a', 'b'] as const) {
      const own = (await periodFigures(t.deps, orgs[k].id, Q.from, Q.to)).filter((f) => f.indicator.source !== 'computed' && f.verdict !== null);
      const met = own.filter((f) => f.verdict === 'met').length;
      expect(figuresOf(j, orgs[k].code).indicatorsMet).toEqual({ value: met / own.length, n: own.length, insufficient: false });
    }
    expect(figuresOf(j, orgs.a.code).indicatorsMet).toMatchObject({ value: 0.5, n: 2 });

    // Complaints: the board's own monthly values of the quarter, added up.
    for (const k of ['a', 'b'] as const) {
      const months = await complaintMonthlyValues(t.deps, orgs[k].id, Q.from, Q.to, '2019-10-15');
      const sum = (id: string, f: (v: (typeof months)[number]) => number) => months.filter((v) => v.indicatorId === id).reduce((x, v) => x + f(v), 0);
      const c = figuresOf(j, orgs[k].code);
      expect(c.complaints).toEqual({ value: sum('reclamations-nombre', (v) => v.value), n: sum('reclamations-nombre', (v) => v.value), insufficient: false });
      const due = sum('reclamations-15j', (v) => v.denominator!);
      expect(c.complaintsDeadline.n).toBe(due);
      const answered = sum('reclamations-delai', (v) => v.denominator!);
      expect(c.complaintsDelay.n).toBe(answered);
      if (k === 'a') {
        expect(c.complaintsDeadline.value).toBeCloseTo(sum('reclamations-15j', (v) => v.numerator!) / due, 10);
        expect(c.complaintsDelay.value).toBeCloseTo(sum('reclamations-delai', (v) => v.numerator!) / answered, 10);
      }
    }
    // By hand: A received 6 in the quarter (the October one is not in it), 5 answered, 4 within
    // 15 working days of the 6 due; B's 2 are counted but their share and delay withheld.
    expect(figuresOf(j, orgs.a.code).complaints.value).toBe(6);
    expect(figuresOf(j, orgs.a.code).complaintsDeadline).toMatchObject({ n: 6, insufficient: false });
    expect(figuresOf(j, orgs.a.code).complaintsDeadline.value).toBeCloseTo(4 / 6, 10);
    expect(figuresOf(j, orgs.a.code).complaintsDelay.n).toBe(5);
    expect(figuresOf(j, orgs.b.code).complaints).toEqual({ value: 2, n: 2, insufficient: false });
    expect(figuresOf(j, orgs.b.code).complaintsDeadline).toEqual({ value: null, n: 2, insufficient: true });
    expect(figuresOf(j, orgs.c.code).complaints).toEqual({ value: null, n: 0, insufficient: false });
    expect(figuresOf(j, orgs.b.code).indicatorsMet).toMatchObject({ value: 1, n: 1 });
  });

  it('when a figure is withheld, then it stays out of the median and quartiles', async () => {
    const j = await api();
    const sat = j.columns.find((c) => c.key === 'satisfaction')!;
    expect(sat.organisations).toBe(2);
    expect(sat.median).toBeCloseTo((0.93 + 0.8) / 2, 10);
  });

  it('when another quarter is asked, then only its rows count', async () => {
    const j = await api('trimestre=2019-T4');
    expect(figuresOf(j, orgs.a.code).satisfaction).toEqual({ value: 0, n: 10, insufficient: false });
    // The October probe belongs to a campaign of July–September: the bilan does not count it in the 4th quarter either.
    expect(await campaignEmailSource(t.deps).indicators(orgs.a.id, { from: '2019-10-01', to: '2019-12-31' })).toBeNull();
    expect(figuresOf(j, orgs.a.code).emailAnswers).toEqual({ value: null, n: 0, insufficient: false });
  });
});

describe('the national pages', () => {
  const codesInOrder = (html: string) => [...html.matchAll(/<tr data-code="([^"]+)"/g)].map((m) => m[1]);

  it('when the national user signs in, then the home leads to the national table, with every organisation and the median', async () => {
    const home = await national.page('/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/national');
    const res = await national.page('/national?trimestre=2019-T3');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Vue nationale : 3e trimestre 2019');
    expect(res.text).toContain('Médiane nationale');
    expect(res.text).toContain('effectif insuffisant');
    expect(codesInOrder(res.text)).toEqual([orgs.a.code, orgs.b.code, orgs.c.code].sort((x, y) => x.localeCompare(y, 'fr', { numeric: true })));
  });

  it('when sorted by satisfaction, then the best comes first either way and the withheld figure last', async () => {
    const desc = await national.page('/national?trimestre=2019-T3&tri=satisfaction&ordre=desc');
    expect(codesInOrder(desc.text)).toEqual([orgs.a.code, orgs.b.code, orgs.c.code]);
    expect(desc.text).toMatch(/aria-sort="descending"><a href="[^"]*tri=satisfaction&amp;ordre=asc"/);
    const asc = await national.page('/national?trimestre=2019-T3&tri=satisfaction&ordre=asc');
    expect(codesInOrder(asc.text)).toEqual([orgs.b.code, orgs.a.code, orgs.c.code]);
  });

  it('when the query is not valid, then 422 with a French message, never a 500', async () => {
    const res = await national.agent.get('/api/v1/national?trimestre=2019-T9').set('Accept', 'application/json');
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('trimestre');
    expect((await national.page('/national?tri=nom_agent')).status).toBe(422);
  });

  it('when an organisation is opened, then it reads against the national median and best quarter, read-only', async () => {
    const res = await national.page(`/national/organisations/${orgs.a.code}?trimestre=2019-T3`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`${orgs.a.name} face au réseau`);
    expect(res.text).toContain('Médiane nationale');
    expect(res.text).toContain('Dans le meilleur quart');
    expect(res.text).toContain('Taux d’engagement Twitter');
    expect(res.text).not.toMatch(/<form[^>]*method="post"(?![^>]*deconnexion)/);
    expect((await national.page('/national/organisations/ZZ9')).status).toBe(404);
  });

  it('when exported, then the CSV has the same printed figures, n and the median line', async () => {
    const res = await national.agent.get('/national/export.csv?trimestre=2019-T3&tri=satisfaction&ordre=desc').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = parseFrenchCsv(res.body as string);
    expect(rows[0].slice(0, 4)).toEqual(['Code', 'Organisation', 'Satisfaction (accueil global)', 'Satisfaction (accueil global) : n']);
    expect(rows[1].slice(0, 4)).toEqual([orgs.a.code, orgs.a.name, '93', '100']);
    expect(rows[3].slice(0, 4)).toEqual([orgs.c.code, orgs.c.name, 'effectif insuffisant', '3']);
    expect(rows.find((r) => r[1] === 'Médiane nationale')![2]).toBe('87\u202f%');
  });

  it('when exported as XLSX, then the same figures come as a workbook (read back by LibreOffice below)', async () => {
    const xlsx = await national.agent.get('/national/export.xlsx?trimestre=2019-T3&tri=satisfaction&ordre=desc').buffer(true).parse(binary);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['content-disposition']).toContain('qualimetre-national-2019-T3.xlsx');
  });

  it('when any national output is read, then no answer, message, subject, address or name appears', async () => {
    const outputs = [
      (await national.page('/national?trimestre=2019-T3')).text,
      (await national.page(`/national/organisations/${orgs.a.code}?trimestre=2019-T3`)).text,
      (await national.agent.get('/national/export.csv?trimestre=2019-T3')).text,
      JSON.stringify(await api()),
    ];
    for (const text of outputs) {
      for (const secret of [SECRET_COMMENT, SECRET_SUBJECT, SECRET_REPLY, SECRET_CONTACT, SECRET_MATRICULE, 'sejour@example.test', 'camille@example.test', 'Bureau du séjour', '04 50 33 60 00']) {
        expect(text).not.toContain(secret);
      }
    }
  });
});

describe('an organisation against the network, for its own users', () => {
  it('when a referent or viewer opens it, then they see their figures against the network’s median, and no other organisation’s name', async () => {
    for (const role of ['referent', 'viewer'] as const) {
      const b = await loggedIn(t.app, await createUser(t.deps, orgs.a.id, role));
      const res = await b.page('/resultats/reseau?trimestre=2019-T3');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Votre préfecture face au réseau');
      expect(res.text).toContain('Médiane nationale');
      expect(res.text).toContain('93\u202f%');
      expect(res.text).not.toContain(orgs.b.name);
      expect(res.text).not.toContain(orgs.c.name);
    }
    const evaluator = await loggedIn(t.app, await createUser(t.deps, orgs.a.id, 'evaluator'));
    expect((await evaluator.page('/resultats/reseau')).status).toBe(403);
    expect((await national.page('/resultats/reseau')).status).toBe(403);
  });
});

describe('roles', () => {
  it('when an organisation’s user or an administrator asks for the national pages, then 403 « Accès réservé aux membres de l’équipe nationale. », and 404 on a drill-down', async () => {
    const cells: string[] = [];
    for (const role of ['referent', 'viewer', 'evaluator'] as const) {
      const b = await loggedIn(t.app, await createUser(t.deps, orgs.a.id, role));
      for (const path of ['/national', '/national/export.csv', '/national/tournees']) {
        const res = await b.page(path);
        cells.push(`${role} ${path} → ${res.status}${res.text.includes('Accès réservé aux membres de l’équipe nationale.') ? ' réservé' : ''}`);
      }
      cells.push(`${role} api → ${(await b.agent.get('/api/v1/national').set('Accept', 'application/json')).status}`);
      cells.push(`${role} drill-down → ${(await b.page(`/national/organisations/${orgs.a.code}`)).status}`);
    }
    const admin = await loggedIn(t.app, await createUser(t.deps, null, 'admin'));
    cells.push(`admin /national → ${(await admin.page('/national')).status}`);
    expect(cells).toEqual([
      ...['referent', 'viewer', 'evaluator'].flatMap((r) => [
        `${r} /national → 403 réservé`, `${r} /national/export.csv → 403 réservé`, `${r} /national/tournees → 403 réservé`, `${r} api → 403`, `${r} drill-down → 404`,
      ]),
      'admin /national → 403',
    ]);
  });

  it('when the national user addresses an organisation’s pages, objects or forms, then 403 on lists, 404 on objects, and nothing is written', async () => {
    const report = crypto.randomUUID();
    const pages = ['/rapports', '/bornes', '/indicateurs', '/resultats/satisfaction', '/campagnes-courriel', '/enquetes-telephoniques', '/reclamations', '/organisation/utilisateurs', '/admin/organisations'];
    const objects = [`/campagnes-courriel/${campaignId}`, `/enquetes-telephoniques/${programmeId}`, `/enquetes-telephoniques/${programmeId}/resultats`, `/rapports/${report}`];
    const cells: string[] = [];
    for (const p of pages) cells.push(`GET ${p} → ${(await national.page(p)).status}`);
    for (const p of objects) cells.push(`GET ${p} → ${(await national.page(p)).status}`);
    const count = async () => Number(rows<{ n: string | number }>(await t.deps.db.execute(sql`select (select count(*) from sites) + (select count(*) from kiosks) + (select count(*) from reports) + (select count(*) from indicator_values) + (select count(*) from phone_programmes) as n`))[0].n);
    const before = await count();
    for (const [path, form] of [
      ['/organisation/sites', { name: 'Site national', kind: 'autre', address: '' }],
      ['/rapports', { title: 'Bilan national', periodStart: '2019-07-01', periodEnd: '2019-09-30', sections: 'satisfaction' }],
      ['/indicateurs/saisie', { mois: '2019-09', 'site-maj-3j': '1' }],
      ['/enquetes-telephoniques', { name: 'Programme', startsOn: '2019-11-01', endsOn: '2019-11-30' }],
      [`/enquetes-telephoniques/${programmeId}/accepter`, {}],
      ['/compte/jetons', { name: 'national' }],
    ] as const) {
      const res = await national.post(path, form as Record<string, string>);
      cells.push(`POST ${path.replace(/[0-9a-f-]{36}/, ':id')} → ${res.status}`);
    }
    expect(await count()).toBe(before);
    expect(before).toBeGreaterThan(0);
    expect(cells).toEqual([
      ...pages.map((p) => `GET ${p} → 403`),
      ...objects.map((p) => `GET ${p} → 404`),
      'POST /organisation/sites → 403', 'POST /rapports → 403', 'POST /indicateurs/saisie → 403', 'POST /enquetes-telephoniques → 403',
      'POST /enquetes-telephoniques/:id/accepter → 404', 'POST /compte/jetons → 404',
    ]);
  });

  it('when the CLI creates a national user, then it belongs to no organisation, and --org is refused', async () => {
    const ok = await runCommand(t.deps, ['user:create', '--email', 'dgscgc@interieur.test', '--name', 'Équipe nationale', '--role', 'national']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Created national dgscgc@interieur.test');
    expect(await findUserByEmail(t.deps.db, 'dgscgc@interieur.test')).toMatchObject({ role: 'national', orgId: null });
    const refused = await runCommand(t.deps, ['user:create', '--email', 'x@interieur.test', '--role', 'national', '--org', orgs.a.code]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--org does not apply to the national role');
  });
});

describeWithLibreOffice('the national XLSX read back by LibreOffice', () => {
  it('then it holds the same figures, numbers where the CSV has numbers, and no personal data', async () => {
    const xlsx = await national.agent.get('/national/export.xlsx?trimestre=2019-T3&tri=satisfaction&ordre=desc').buffer(true).parse(binary);
    const lines = readXlsxWithLibreOffice(xlsx.body as Buffer);
    expect(lines[0].slice(0, 4)).toEqual(['Code', 'Organisation', 'Satisfaction (accueil global)', 'Satisfaction (accueil global) : n']);
    expect(lines[1].slice(0, 4)).toEqual([orgs.a.code, orgs.a.name, '93', '100']);
    expect(lines[3].slice(0, 4)).toEqual([orgs.c.code, orgs.c.name, 'effectif insuffisant', '3']);
    const col = lines[0].indexOf('Réclamations : nombre reçu');
    expect(lines[1][col]).toBe('6');
    expect(lines.find((l) => l[1] === 'Médiane nationale')![2]).toBe('87\u202f%');
    for (const secret of [SECRET_CONTACT, SECRET_MATRICULE, SECRET_SUBJECT]) expect(lines.flat()).not.toContain(secret);
  }, 180_000);
});
