/**
 * The mystery e-mail section and export read the campaigns feature through its results
 * service: the report's counts equal the campaign's own metrics for probes sent in the
 * period, the bounce is listed, and the export has one row per message received with its
 * class, delay and signature items, never a subject or a body. Campaign data is written
 * straight into the campaign tables (no SMTP or IMAP here).
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { campaignResults } from '../../server/campaigns/campaign.service';
import { campaignEmailSource } from '../../server/reports/email.source';
import { results } from '../../server/phone/results.service';
import { emailExport, phoneExport } from '../../server/reports/mystery.export';
import { programmePhoneSource } from '../../server/reports/phone.source';
import type { Cell } from '../../server/reports/csv';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createUser, loggedIn } from '../helpers/factories';
import { parseFrenchCsv } from './reports.fixtures';

let t: TestContext;
let orgId: string;
let campaignId: string;
const paris = (s: string) => new Date(`${s}:00+02:00`);
const BODY = 'Bonjour, quels sont les horaires du bureau des étrangers ? Merci, Camille';
const SUBJECT = 'Question horaires bureau';

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2019-09-09T08:00:00Z');
  const org = await createOrg(t.deps);
  orgId = org.id;
  const mailboxId = crypto.randomUUID();
  campaignId = crypto.randomUUID();
  await t.deps.db.execute(sql`insert into mystery_mailboxes (id, org_id, display_name, address, smtp_host, smtp_port, imap_host, imap_port, imap_user)
    values (${mailboxId}, ${orgId}, 'Camille Martin', 'camille@example.test', '127.0.0.1', 2525, '127.0.0.1', 1143, 'camille')`);
  await t.deps.db.execute(sql`insert into mail_campaigns (id, org_id, mailbox_id, name, mode, status, period_start, period_end, seed, signature_checklist)
    values (${campaignId}, ${orgId}, ${mailboxId}, 'Campagne mai-juin 2019', 'send', 'closed', '2019-05-15', '2019-06-30', 'seed',
            array['firstName','lastName','function','service','address','phone'])`);
  const targets = [crypto.randomUUID(), crypto.randomUUID()];
  await t.deps.db.execute(sql`insert into mail_campaign_targets (id, org_id, campaign_id, service_name, address) values
    (${targets[0]}, ${orgId}, ${campaignId}, 'Bureau du séjour', 'sejour@example.test'),
    (${targets[1]}, ${orgId}, ${campaignId}, 'Cabinet', 'cabinet@example.test')`);
  // 10 probes sent on Wednesday 15 May 2019 at 10:00 (Paris), one more in July (outside the period).
  const probes: string[] = [];
  for (let i = 0; i < 11; i++) {
    const id = crypto.randomUUID();
    probes.push(id);
    await t.deps.db.execute(sql`insert into mail_probes (id, org_id, campaign_id, target_id, origin, state, to_address, subject, body, message_id, sent_at)
      values (${id}, ${orgId}, ${campaignId}, ${targets[i % 2]}, 'planned', 'sent', ${i % 2 ? 'cabinet@example.test' : 'sejour@example.test'}, ${SUBJECT}, ${BODY},
              ${`<p${i}@example.test>`}, ${i === 10 ? paris('2019-07-02T10:00') : paris('2019-05-15T10:00')})`);
  }
  const all = { firstName: true, lastName: true, function: true, service: true, address: true, phone: true };
  const reply = async (probe: string, cls: string, at: string, signature: Record<string, boolean> | null = null) =>
    t.deps.db.execute(sql`insert into mail_replies (id, org_id, mailbox_id, campaign_id, probe_id, folder, uid_validity, uid, dedupe_key, received_at, size,
        detected_class, reply_class, subject, text, full_text, signature, match_method)
      values (${crypto.randomUUID()}, ${orgId}, ${mailboxId}, ${campaignId}, ${probe}, 'INBOX', '1', ${Math.floor(Math.random() * 1e9)}, ${crypto.randomUUID()},
              ${paris(at)}, 1000, ${cls}, ${cls}, 'RE: Question horaires', 'Texte de la réponse de l’agent', 'Texte complet',
              ${signature ? JSON.stringify(signature) : null}::jsonb, 'headers')`);
  // Acknowledgements for probes 0–7, answers for 0–5 (0–4 the next day, 5 two weeks later), a bounce for probe 9.
  for (let i = 0; i < 8; i++) await reply(probes[i], 'acknowledgement', '2019-05-15T10:05');
  for (let i = 0; i < 5; i++) await reply(probes[i], 'answer', '2019-05-16T10:00', i < 4 ? all : { ...all, phone: false });
  await reply(probes[5], 'answer', '2019-05-29T10:00', { ...all, phone: false });
  await reply(probes[9], 'bounce', '2019-05-15T10:01');
  await reply(probes[10], 'answer', '2019-07-03T10:00', all);
});
afterAll(() => t?.close());

const PERIOD = { from: '2019-05-15', to: '2019-06-30' };

describe('the mystery e-mail section', () => {
  it('then its counts are the campaign’s own, limited to probes sent in the period, with the bounce listed', async () => {
    const x = (await campaignEmailSource(t.deps).indicators(orgId, PERIOD))!;
    // The campaign's own metrics, restricted to the 10 probes of May.
    const own = await campaignResults(t.deps, orgId, campaignId);
    const sentInMay = new Set(own.probes.filter((p) => p.sentAt! < paris('2019-07-01T00:00')).map((p) => p.id));
    const outcomes = own.outcomes.filter((o) => sentInMay.has(o.probeId));
    expect(x.delivered).toBe(outcomes.filter((o) => o.delivered).length);
    expect(x.answered).toBe(outcomes.filter((o) => o.delivered && o.answeredAt).length);
    expect(x.withinDeadline).toBe(outcomes.filter((o) => o.delivered && o.answeredAt && o.withinDeadline).length);
    // And the figures one can check by hand: 9 delivered, 8 acknowledged, 6 answered, 4 signatures complete.
    expect([x.delivered, x.acknowledged, x.answered, x.signatureCompliant]).toEqual([9, 8, 6, 4]);
    expect(x.bounces).toEqual([{ service: 'Cabinet', address: 'cabinet@example.test' }]);
    expect(x.settings.deadlineDays).toBe(5);
  });

  it('when no probe was sent in the period, then there is no figure', async () => {
    expect(await campaignEmailSource(t.deps).indicators(orgId, { from: '2019-01-01', to: '2019-03-31' })).toBeNull();
  });
});

describe('the mystery e-mail export', () => {
  it('then there is one row per message received (or per probe without any), with class, delay and signature items', async () => {
    const plan = await emailExport(t.deps, orgId, PERIOD);
    const rows: Cell[][] = [];
    for await (const b of plan.batches()) rows.push(...b);
    // 8 acknowledgements + 6 answers + 1 bounce, and probe 8 received nothing: 16 rows.
    expect(rows).toHaveLength(16);
    const h = plan.columns.map((c) => c.header);
    const col = (name: string) => h.indexOf(name);
    const late = rows.find((r) => r[col('Classe')] === 'Réponse' && r[col('Délai (jours ouvrés)')] === 10)!;
    expect(late[col('Réponse dans le délai')]).toBe('non');
    expect(late[col('Signature : téléphone')]).toBe('non');
    expect(rows.filter((r) => r[col('Réponse retenue')] === 'oui')).toHaveLength(6);
    expect(rows.filter((r) => r[col('Message reçu le')] === null)).toHaveLength(1);
  });

  it('then the downloaded CSV never carries a subject or a body', async () => {
    const b = await loggedIn(t.app, await createUser(t.deps, orgId, 'referent'));
    await b.page('/rapports/exports');
    const res = await b.agent.get(`/rapports/exports/telecharger?kind=courriels&from=${PERIOD.from}&to=${PERIOD.to}&format=csv`).buffer(true);
    const text = res.text;
    expect(parseFrenchCsv(text)).toHaveLength(17);
    for (const secret of [SUBJECT, BODY, 'RE: Question', 'Texte de la réponse']) expect(text).not.toContain(secret);
  });
});

describe('the mystery phone section and export', () => {
  it('then the report adds up the phone feature’s own results of the programmes overlapping the period, and the export has the marks and grids', async () => {
    const called = await createOrg(t.deps, 'Préfecture appelée');
    const caller = await createOrg(t.deps, 'Préfecture qui appelle');
    const evaluator = await createUser(t.deps, caller.id, 'evaluator');
    const programme = crypto.randomUUID();
    const pair = crypto.randomUUID();
    const number = crypto.randomUUID();
    const scenario = crypto.randomUUID();
    await t.deps.db.execute(sql`insert into phone_programmes (id, owner_org_id, name, starts_on, ends_on, seed) values (${programme}, ${caller.id}, 'Enquête croisée juin 2019', '2019-06-01', '2019-06-30', 1)`);
    await t.deps.db.execute(sql`insert into phone_participants (programme_id, org_id, accepted_at) values (${programme}, ${called.id}, now()), (${programme}, ${caller.id}, now())`);
    await t.deps.db.execute(sql`insert into phone_pairs (id, programme_id, caller_org_id, called_org_id) values (${pair}, ${programme}, ${caller.id}, ${called.id})`);
    await t.deps.db.execute(sql`insert into phone_numbers (id, programme_id, org_id, kind, label, phone) values (${number}, ${programme}, ${called.id}, 'standard', 'Standard', '04 50 33 60 00')`);
    await t.deps.db.execute(sql`insert into phone_scenarios (id, programme_id, org_id, category, question, expected_answer) values (${scenario}, ${programme}, ${called.id}, 'horaires', 'Horaires ?', '9h-16h')`);
    const good = { decroche: 'oui', attente_secondes: 8, sonneries: 2, annonce_service: 'oui', bonjour: 'oui', nom_agent: 'oui', courtoisie: 'tres_satisfaisant', ecoute: 'tres_satisfaisant', transfert: 'sans_objet', reponse_fond: 'complete', prise_de_conge: 'oui', impression_globale: 'tres_bonne' };
    const grids = [good, good, good, { ...good, reponse_fond: 'aucune', nom_agent: 'non' }, good, { decroche: 'non', motif_non_abouti: 'repondeur_seul' }];
    for (const answers of grids) {
      await t.deps.db.execute(sql`insert into phone_calls (programme_id, pair_id, caller_org_id, called_org_id, number_id, scenario_id, evaluator_id, scheduled_at, slot, status, answers, submitted_at)
        values (${programme}, ${pair}, ${caller.id}, ${called.id}, ${number}, ${scenario}, ${evaluator.id}, '2019-06-12T08:00:00Z', 'matin', 'submitted', ${JSON.stringify(answers)}::jsonb, '2019-06-12T08:30:00Z')`);
    }
    const own = (await results(t.deps, called.id, programme)).overall;
    const x = (await programmePhoneSource(t.deps).indicators(called.id, { from: '2019-04-01', to: '2019-06-30' }))!;
    expect([x.calls, x.answered, x.form.n, x.form.passed, x.substance.passed]).toEqual([own.calls, own.answered.count, own.form.n, own.formPass.count, own.substancePass.count]);
    expect(x.form.mean).toBeCloseTo(own.form.mean!, 10);
    expect([x.calls, x.answered]).toEqual([6, 5]);
    // The calling organisation has no results of its own in this programme.
    expect(await programmePhoneSource(t.deps).indicators(caller.id, { from: '2019-04-01', to: '2019-06-30' })).toBeNull();
    // A period that does not overlap the programme has none either.
    expect(await programmePhoneSource(t.deps).indicators(called.id, { from: '2019-01-01', to: '2019-03-31' })).toBeNull();

    const plan = await phoneExport(t.deps, called.id, { from: '2019-06-01', to: '2019-06-30' });
    const rows: Cell[][] = [];
    for await (const b of plan.batches()) rows.push(...b);
    expect(rows).toHaveLength(6);
    const h = plan.columns.map((c) => c.header);
    expect(rows.filter((r) => r[h.indexOf('Appel abouti')] === 'oui')).toHaveLength(5);
    expect(rows[0][h.indexOf('Note de fond (sur 10)')]).toBe(10);
    expect(JSON.stringify(rows)).not.toContain(evaluator.email);
    const callerPlan = await phoneExport(t.deps, caller.id, { from: '2019-06-01', to: '2019-06-30' });
    const none: Cell[][] = [];
    for await (const b of callerPlan.batches()) none.push(...b);
    expect(none).toEqual([]);
  });
});
