/**
 * The seed's table (domain.md §3) reproduced in analyse mode from a constructed mailbox, the
 * figures computed from the messages alone.
 *
 * Construction (Paris times, 15 May – 30 June 2019; Ascension Thursday 30 May and Whit Monday
 * 10 June are public holidays, Whit Monday not worked):
 * - 21 probes written by hand from the mystery mailbox are in its sent folder, to 6 services;
 *   one goes to a stale address (Pôle élections) and bounces: 20 delivered. Noise in the sent
 *   folder (a probe of 10 May, one of 2 July, a private message) must not be imported.
 * - 15 probes get an answer (A1–A15), 5 do not (N1–N5). Acknowledgements: every answered probe
 *   but A2 (answered at once), plus N1–N4: 18; N5 only gets an agent's out-of-office notice,
 *   which is not the service's acknowledgement. 18/20 = 90 %, 15/20 = 75 %.
 * - A9 is signed without a telephone number: 14/15 conforming = 93 %.
 * - A15 (sent Tue 4 June 10:00, answered Thu 13 June 10:00) is late: the 5th working day after
 *   4 June is Wed 12 June because of Whit Monday. 14/15 within 5 working days = 93 %.
 * - Answer delays in working days (24-hour working days, domain.md §3), by hand:
 *   A1 0.25, A2 1, A3 0.75 (Mon 14:00 → Tue 08:00), A4 2, A5 2 (Wed 29 May 10:00 → Mon 3 June
 *   10:00 across Ascension), A6 1 (Fri 7 June 12:00 → Tue 11 June 12:00 across Whit Monday),
 *   A7 5.375 (Mon 27 May 09:00 → Tue 4 June 18:00: within the deadline, last day), A8 0.25,
 *   A9 1, A10 0.5, A11 0.125, A12 0.75 (Fri 15:00 → Mon 09:00), A13 0.5, A14 1, A15 6:
 *   sum 22.5, mean 1.5 → « 1,5 jours ».
 * - Matching is exercised too: answers come from agents' own addresses (In-Reply-To), A5 after
 *   an internal forward (« RE: TR: », no thread headers: subject + domain + time), the bounce by
 *   the Message-ID in its report; a newsletter in the inbox stays unrelated.
 */
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { JobRunner } from '../../../server/jobs/runner';
import { jobs } from '../../../server/jobs/registry';
import { rows } from '../../../server/storage/db';
import { runCommand } from '../../../server/cli/commands';
import * as campaignService from '../../../server/campaigns/campaign.service';
import { SIGNATURE_ITEMS } from '../../../server/campaigns/classification/signature';
import * as S from '../../helpers/mail-services';
import { loggedIn } from '../../helpers/factories';
import { MYSTERY, mailTestContext, paris, type MailTestContext } from './setup';

const NN = '\u202f';
const DOMAIN = 'haute-savoie.gouv.fr';
const SERVICES = [
  { key: 'sejour', name: 'Bureau du séjour', address: `sejour@${DOMAIN}` },
  { key: 'assoc', name: 'Bureau des associations', address: `associations@${DOMAIN}` },
  { key: 'urba', name: 'Urbanisme (DDT)', address: `ddt-urbanisme@${DOMAIN}` },
  { key: 'cabinet', name: 'Cabinet', address: `cabinet@${DOMAIN}` },
  { key: 'accueil', name: 'Accueil général', address: `accueil@${DOMAIN}` },
  { key: 'elections', name: 'Pôle élections', address: `elections@${DOMAIN}` },
];
const svc = (key: string) => SERVICES.find((s) => s.key === key)!;

type Ack = 'auto' | 'human' | null;
interface Row {
  id: string;
  service: string;
  subject: string;
  sent: string;
  ack: Ack;
  answer?: string;
  delay?: number;
  conforming?: boolean;
  via?: 'forward';
  ooo?: boolean;
  bounce?: boolean;
}

const PLAN: Row[] = [
  { id: 'A1', service: 'sejour', subject: 'Renouvellement de titre de séjour', sent: '2019-05-15 10:00', ack: 'auto', answer: '2019-05-15 16:00', delay: 0.25 },
  { id: 'A2', service: 'assoc', subject: 'Changement de président d’association', sent: '2019-05-16 09:00', ack: null, answer: '2019-05-17 09:00', delay: 1 },
  { id: 'A3', service: 'urba', subject: 'Abri de jardin et déclaration préalable', sent: '2019-05-20 14:00', ack: 'auto', answer: '2019-05-21 08:00', delay: 0.75 },
  { id: 'A4', service: 'sejour', subject: 'Rendez-vous pour un titre de séjour étudiant', sent: '2019-05-21 10:00', ack: 'human', answer: '2019-05-23 10:00', delay: 2 },
  { id: 'A5', service: 'cabinet', subject: 'Invitation de M. le Préfet', sent: '2019-05-29 10:00', ack: 'auto', answer: '2019-06-03 10:00', delay: 2, via: 'forward' },
  { id: 'A6', service: 'accueil', subject: 'Horaires d’ouverture de l’accueil', sent: '2019-06-07 12:00', ack: 'auto', answer: '2019-06-11 12:00', delay: 1 },
  { id: 'A7', service: 'sejour', subject: 'Pièces à fournir pour un regroupement familial', sent: '2019-05-27 09:00', ack: 'auto', answer: '2019-06-04 18:00', delay: 5.375 },
  { id: 'A8', service: 'assoc', subject: 'Subvention pour une association sportive', sent: '2019-06-12 09:00', ack: 'auto', answer: '2019-06-12 15:00', delay: 0.25 },
  { id: 'A9', service: 'urba', subject: 'Délai d’instruction d’un permis de construire', sent: '2019-06-13 10:00', ack: 'auto', answer: '2019-06-14 10:00', delay: 1, conforming: false },
  { id: 'A10', service: 'sejour', subject: 'Perte de récépissé de titre de séjour', sent: '2019-06-17 08:00', ack: 'auto', answer: '2019-06-17 20:00', delay: 0.5 },
  { id: 'A11', service: 'cabinet', subject: 'Demande d’audience au cabinet', sent: '2019-06-18 11:00', ack: 'auto', answer: '2019-06-18 14:00', delay: 0.125 },
  { id: 'A12', service: 'accueil', subject: 'Accueil sans rendez-vous le vendredi', sent: '2019-06-21 15:00', ack: 'auto', answer: '2019-06-24 09:00', delay: 0.75 },
  { id: 'A13', service: 'sejour', subject: 'Changement d’adresse sur un titre de séjour', sent: '2019-06-25 10:00', ack: 'auto', answer: '2019-06-25 22:00', delay: 0.5 },
  { id: 'A14', service: 'assoc', subject: 'Dissolution d’une association', sent: '2019-06-26 09:00', ack: 'auto', answer: '2019-06-27 09:00', delay: 1 },
  { id: 'A15', service: 'urba', subject: 'Certificat d’urbanisme opérationnel', sent: '2019-06-04 10:00', ack: 'auto', answer: '2019-06-13 10:00', delay: 6 },
  { id: 'N1', service: 'accueil', subject: 'Stationnement près de la préfecture', sent: '2019-05-23 11:00', ack: 'auto' },
  { id: 'N2', service: 'cabinet', subject: 'Cérémonie de remise de médailles', sent: '2019-05-28 14:00', ack: 'human' },
  { id: 'N3', service: 'sejour', subject: 'Duplicata de titre de séjour', sent: '2019-06-03 10:00', ack: 'auto' },
  { id: 'N4', service: 'urba', subject: 'Recours contre un refus de permis', sent: '2019-06-19 10:00', ack: 'auto' },
  { id: 'N5', service: 'accueil', subject: 'Photocopies certifiées conformes', sent: '2019-06-20 15:00', ack: null, ooo: true },
  { id: 'B1', service: 'elections', subject: 'Inscription sur les listes électorales', sent: '2019-05-24 10:00', ack: null, bounce: true },
];

const me = { name: MYSTERY.name, address: MYSTERY.user };
const agentOf = (service: string, n: number): S.Agent => ({
  firstName: ['Sophie', 'Julien', 'Nadia', 'Marc'][n % 4], lastName: ['Berthier', 'Morel', 'Haddad', 'Rey'][n % 4],
  function: 'Adjoint au chef de bureau', service: svc(service).name, address: `agent${n}.${service}@${DOMAIN}`, phone: '04 50 33 60 00',
});

let ctx: MailTestContext;
let campaignId: string;
const probeIds = new Map<string, string>();

function buildMailbox() {
  const sent: { raw: Buffer; date: Date }[] = [];
  const inbox: Buffer[] = [];
  PLAN.forEach((row, n) => {
    const s = svc(row.service);
    const body = `Bonjour,\n\n${row.subject} : pourriez-vous me renseigner ? Je vous remercie par avance.\n\nCamille Martin`;
    const { raw, probe } = S.handSentProbe(me, s.address, row.subject, body, paris(row.sent));
    sent.push({ raw, date: paris(row.sent) });
    const from = { name: `PREF 74 - ${s.name}`, address: s.address };
    if (row.ack === 'auto') inbox.push(S.autoAck(probe, S.after(paris(row.sent), 0.02), from));
    if (row.ack === 'human') inbox.push(S.humanAck(probe, S.after(paris(row.sent), 1.5), from));
    if (row.ooo) inbox.push(S.outOfOffice(probe, S.after(paris(row.sent), 0.01), { address: `jean.dupont@${DOMAIN}` }));
    if (row.bounce) inbox.push(S.bounce(probe, S.after(paris(row.sent), 0.02), `mx.${DOMAIN}`));
    if (row.answer) inbox.push(S.answer(probe, paris(row.answer), agentOf(row.service, n), { conforming: row.conforming !== false, via: row.via === 'forward' ? 'forward' : 'in-reply-to' }));
  });
  // Noise: outside the period, not to a target; a newsletter in the inbox.
  sent.push({ raw: S.handSentProbe(me, svc('sejour').address, 'Question du 10 mai', 'Bonjour, une question. Camille', paris('2019-05-10 10:00')).raw, date: paris('2019-05-10 10:00') });
  sent.push({ raw: S.handSentProbe(me, svc('sejour').address, 'Question du 2 juillet', 'Bonjour, une question. Camille', paris('2019-07-02 10:00')).raw, date: paris('2019-07-02 10:00') });
  sent.push({ raw: S.handSentProbe(me, 'cousine@famille.example', 'Dimanche', 'On se voit dimanche ?', paris('2019-06-02 10:00')).raw, date: paris('2019-06-02 10:00') });
  inbox.push(S.newsletter(me.address, paris('2019-06-05 07:00')));
  return { sent, inbox };
}

beforeAll(async () => {
  ctx = await mailTestContext({ services: SERVICES.map((s) => ({ name: s.name, address: s.address })) });
  const { sent, inbox } = buildMailbox();
  await S.deliver(ctx.dovecot, { user: MYSTERY.user, password: MYSTERY.password }, 'Sent', sent);
  await S.deliver(ctx.dovecot, { user: MYSTERY.user, password: MYSTERY.password }, 'INBOX', inbox);
  const c = await campaignService.createCampaign(ctx.t.deps, ctx.orgId, ctx.referent.id, {
    name: 'Enquête mystère courriel printemps 2019', mode: 'analyse', mailboxId: ctx.mailboxId,
    periodStart: '2019-05-15', periodEnd: '2019-06-30',
    targets: SERVICES.map((s) => `${ctx.services.get(s.address)!.id}|${s.address}`),
    probesPerService: 1, windowStart: 540, windowEnd: 1020, seed: 'seed-2019', signatureChecklist: [...SIGNATURE_ITEMS],
    deadlineDays: 5, holidayZone: 'metropole', whitMondayWorked: false, retentionDays: 365, variables: {}, defaultQuestions: false,
  });
  campaignId = c.id;
  await campaignService.launchCampaign(ctx.t.deps, ctx.orgId, campaignId);
  await new JobRunner(ctx.t.deps, jobs).drain();
}, 60_000);
afterAll(() => ctx.close());

const api = (path: string) => request(ctx.t.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${ctx.token}`);

describe('when a hand-sent campaign is analysed from its mailbox', () => {
  it('then the seed’s table comes out of the messages alone', async () => {
    const res = await api(`/campagnes-courriel/${campaignId}/resultats`);
    expect(res.status).toBe(200);
    const i = res.body.indicators;
    expect({ sent: i.sent, delivered: i.delivered, bounced: i.bounced }).toEqual({ sent: 21, delivered: 20, bounced: 1 });
    expect(i.acknowledgements).toMatchObject({ numerator: 18, denominator: 20, display: `90${NN}%` });
    expect(i.answers).toMatchObject({ numerator: 15, denominator: 20, display: `75${NN}%` });
    expect(i.conformingSignatures).toMatchObject({ numerator: 14, denominator: 15, display: `93${NN}%` });
    expect(i.withinDeadline).toMatchObject({ numerator: 14, denominator: 15, display: `93${NN}%` });
    expect(i.meanDelay).toMatchObject({ value: 1.5, n: 15, display: '1,5 jours' });
  });

  it('then the bounce is listed apart as « adresse invalide »', async () => {
    const res = await api(`/campagnes-courriel/${campaignId}/resultats`);
    expect(res.body.bounces).toEqual([expect.objectContaining({ service: 'Pôle élections', address: `elections@${DOMAIN}`, finding: 'adresse invalide', diagnostic: expect.stringContaining('5.1.1') })]);
  });

  it('then each probe has the delay and deadline verdict worked out by hand', async () => {
    const res = await api(`/campagnes-courriel/${campaignId}/messages`);
    expect(res.body.probes).toHaveLength(21);
    const bySubject = new Map(res.body.probes.map((p: { subject: string }) => [p.subject, p]));
    for (const row of PLAN) {
      const p = bySubject.get(row.subject) as Record<string, unknown>;
      probeIds.set(row.id, p.id as string);
      expect({ id: row.id, delay: p.answerDelay === null ? null : Math.round((p.answerDelay as number) * 1000) / 1000 }).toEqual({ id: row.id, delay: row.delay ?? null });
      expect({ id: row.id, acknowledged: p.acknowledgedAt !== null }).toEqual({ id: row.id, acknowledged: row.ack !== null });
    }
    expect((bySubject.get('Certificat d’urbanisme opérationnel') as { withinDeadline: boolean }).withinDeadline).toBe(false);
    expect((bySubject.get('Pièces à fournir pour un regroupement familial') as { withinDeadline: boolean }).withinDeadline).toBe(true);
    expect((bySubject.get('Délai d’instruction d’un permis de construire') as { missingItems: string[] }).missingItems).toEqual(['phone']);
  });

  it('then the settings are printed with the results and small cells are hidden', async () => {
    const res = await api(`/campagnes-courriel/${campaignId}/resultats`);
    expect(res.body.settings.values).toMatchObject({ deadlineDays: 5, holidayZone: 'metropole', whitMondayWorked: false, minCellSize: 5 });
    expect(res.body.settings.holidays).toContain('lundi de Pentecôte férié');
    const sejour = res.body.services.find((s: { service: string }) => s.service === 'Bureau du séjour');
    expect(sejour.acknowledgements.display).toBe(`100${NN}%`);
    expect(sejour.answers).toMatchObject({ numerator: 5, denominator: 6, display: `83${NN}%` });
    expect(sejour.meanDelay.display).toBe('1,7 jours');
    const cabinet = res.body.services.find((s: { service: string }) => s.service === 'Cabinet');
    expect(cabinet.answers.display).toBe('effectif insuffisant');
  });

  it('then the matching methods are the expected ones and the noise stays out', async () => {
    const methods = rows<{ match_method: string | null; reply_class: string; n: number }>(await ctx.t.deps.db.execute(sql`
      select match_method, reply_class, count(*)::int as n from mail_replies where campaign_id = ${campaignId} or campaign_id is null
      group by 1, 2 order by 1, 2`));
    expect(methods).toEqual(expect.arrayContaining([
      { match_method: 'subject', reply_class: 'answer', n: 1 },
      { match_method: 'bounce-message-id', reply_class: 'bounce', n: 1 },
      { match_method: null, reply_class: 'unrelated', n: 1 },
    ]));
    const total = methods.reduce((a, m) => a + m.n, 0);
    expect(total).toBe(18 + 15 + 1 + 1 + 1); // acks, answers, out-of-office, bounce, newsletter
  });

  it('then analysing again records nothing twice', async () => {
    const count = async () => rows<{ p: number; r: number }>(await ctx.t.deps.db.execute(sql`
      select (select count(*)::int from mail_probes where campaign_id = ${campaignId}) as p, (select count(*)::int from mail_replies) as r`))[0];
    const before = await count();
    await campaignService.reanalyse(ctx.t.deps, ctx.orgId, campaignId);
    await new JobRunner(ctx.t.deps, jobs).drain();
    expect(await count()).toEqual(before);
  });

  it('then the CLI pass over the mailbox finds nothing new', async () => {
    const r = await runCommand(ctx.t.deps, ['campaigns:sync']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${ctx.mailboxId}\t0 probe(s) imported, 0 message(s) read, 0 new\n`);
  });

  it('then the follow-up lists the message matched to nothing, which the referent can open', async () => {
    const b = await loggedIn(ctx.t.app, ctx.referent);
    const page = await b.page(`/campagnes-courriel/${campaignId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Messages reçus non rattachés');
    const link = /href="(\/campagnes-courriel\/[^"]+\/reponses\/[^"]+)">[^<]*La lettre de juin/.exec(page.text);
    expect(link).not.toBeNull();
    const reply = await b.page(link![1]);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('Sans rapport');
    expect(reply.text).toContain('Corriger le rattachement');
  });

  it('then the results page shows the table in French with its settings', async () => {
    const b = await loggedIn(ctx.t.app, ctx.referent);
    const res = await b.page(`/campagnes-courriel/${campaignId}/resultats`);
    expect(res.status).toBe(200);
    for (const s of ['Accusés de réception', `90${NN}%`, `75${NN}%`, `93${NN}%`, '1,5 jours', 'adresse invalide', 'Pôle élections', 'lundi de Pentecôte férié', '18 / 20']) {
      expect(res.text).toContain(s);
    }
  });
});
