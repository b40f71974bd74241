/**
 * The demo's finished mystery e-mail campaign: the seed's 15 May – 30 June 2019 campaign moved
 * to the last year, in analyse mode (probes written by hand from the mystery mailbox). Its
 * figures are not typed in: the sent folder and the inbox are built as raw messages and read
 * by the real tracker code (importSentFolder + syncInbox through syncMailbox, on an in-memory
 * folder store standing for the IMAP server), which parses, matches and classifies them; then
 * the referent's corrections and the closing go through the services. The result, computed by
 * campaignResults(), is the seed's table (domain.md §3):
 *
 * - 21 probes to 6 addresses, one (an old address of the citizenship office) bounces: 20 delivered;
 * - 18 acknowledgements (90 %): every answered probe but one, plus 4 unanswered ones; a 5th
 *   unanswered probe only gets an agent's out-of-office notice (not an acknowledgement);
 * - 15 answers (75 %), one signed without a telephone number (14/15 conforming, 93 %);
 * - answer delays (working days of 24 h) 0.25, 1, 0.75, 2, 2, 1, 5.375, 0.25, 1, 0.5, 0.125,
 *   0.75, 0.5, 1, 6: one late (14/15 within 5 working days, 93 %), mean 22.5 / 15 = 1,5 jours.
 *
 * One answer came back from an agent's personal address after an internal forward, under
 * another subject: the matcher cannot tie it to its probe, so the referent attaches it and
 * says it is an answer (two corrections kept in the history, as a referent would do).
 * Deterministic: Message-IDs and sending days come from a fixed-seed generator.
 */
import type { Deps } from '../deps';
import type { Principal } from '../http/context';
import { addWorkingDays, isWorkingDate, addCalendarDays, parisDateOf, startOfParisDay, type WorkingDayOptions } from '../campaigns/calendar/working-days';
import * as campaignService from '../campaigns/campaign.service';
import * as campaignStore from '../campaigns/campaign.store';
import { SIGNATURE_ITEMS } from '../campaigns/classification/signature';
import { createMailbox } from '../campaigns/mailbox.service';
import * as mailboxStore from '../campaigns/mailbox.store';
import * as replyService from '../campaigns/reply.service';
import * as replyStore from '../campaigns/reply.store';
import type { FetchedMessage, FolderCursor, ImapSession } from '../campaigns/tracking/imap-tracker';
import { syncMailbox } from '../campaigns/tracking/tracking.service';
import * as orgStore from '../org/org.store';
import { seededRandom } from '../random';
import * as M from './mail-messages.demo';

export const DEMO_CAMPAIGN_NAME = 'Enquête mystère courriel – printemps';
const MYSTERY = { name: 'Camille Martin', address: 'camille.martin@demo-courriel.test' };
const DOMAIN = 'demo-prefecture74.test';
const CALENDAR: WorkingDayOptions = { zone: 'metropole', whitMondayWorked: false };

type Ack = 'auto' | 'human' | null;
interface Row { id: string; to: string; subject: string; time: string; ack: Ack; delay?: number; conforming?: boolean; forwarded?: boolean; lost?: boolean; ooo?: boolean; bounce?: boolean }

/** The seed's plan (seed-table test), in sending order; `time` is the Paris hour of sending. */
const PLAN: Row[] = [
  { id: 'A1', to: 'sejour', subject: 'Renouvellement de titre de séjour', time: '10:00', ack: 'auto', delay: 0.25 },
  { id: 'A2', to: 'citoyennete', subject: 'Changement de président d’association', time: '09:00', ack: null, delay: 1 },
  { id: 'A3', to: 'urbanisme', subject: 'Abri de jardin et déclaration préalable', time: '14:00', ack: 'auto', delay: 0.75 },
  { id: 'A4', to: 'sejour', subject: 'Rendez-vous pour un titre de séjour étudiant', time: '10:00', ack: 'human', delay: 2 },
  { id: 'N1', to: 'drcl', subject: 'Subvention d’équipement pour une commune', time: '11:00', ack: 'auto' },
  { id: 'B1', to: 'elections', subject: 'Inscription sur les listes électorales', time: '10:00', ack: null, bounce: true },
  { id: 'A7', to: 'sejour', subject: 'Pièces à fournir pour un regroupement familial', time: '09:00', ack: 'auto', delay: 5.375 },
  { id: 'N2', to: 'cabinet', subject: 'Cérémonie de remise de médailles', time: '14:00', ack: 'human' },
  { id: 'A5', to: 'cabinet', subject: 'Invitation de M. le Préfet', time: '10:00', ack: 'auto', delay: 2, forwarded: true },
  { id: 'N3', to: 'sejour', subject: 'Duplicata de titre de séjour', time: '10:00', ack: 'auto' },
  { id: 'A15', to: 'urbanisme', subject: 'Certificat d’urbanisme opérationnel', time: '10:00', ack: 'auto', delay: 6 },
  { id: 'A6', to: 'drcl', subject: 'Délibération d’un conseil municipal', time: '12:00', ack: 'auto', delay: 1 },
  { id: 'A8', to: 'citoyennete', subject: 'Subvention pour une association sportive', time: '09:00', ack: 'auto', delay: 0.25 },
  { id: 'A9', to: 'urbanisme', subject: 'Délai d’instruction d’un permis de construire', time: '10:00', ack: 'auto', delay: 1, conforming: false },
  { id: 'A10', to: 'sejour', subject: 'Perte de récépissé de titre de séjour', time: '08:00', ack: 'auto', delay: 0.5 },
  { id: 'A11', to: 'cabinet', subject: 'Demande d’audience au cabinet', time: '11:00', ack: 'auto', delay: 0.125, lost: true },
  { id: 'N4', to: 'urbanisme', subject: 'Recours contre un refus de permis', time: '10:00', ack: 'auto' },
  { id: 'N5', to: 'drcl', subject: 'Intercommunalité et transfert de compétences', time: '15:00', ack: null, ooo: true },
  { id: 'A12', to: 'drcl', subject: 'Dotation d’une commune nouvelle', time: '15:00', ack: 'auto', delay: 0.75 },
  { id: 'A13', to: 'sejour', subject: 'Changement d’adresse sur un titre de séjour', time: '10:00', ack: 'auto', delay: 0.5 },
  { id: 'A14', to: 'citoyennete', subject: 'Dissolution d’une association', time: '09:00', ack: 'auto', delay: 1 },
];

const AGENTS = [['Sophie', 'Berthier'], ['Julien', 'Morel'], ['Nadia', 'Haddad'], ['Marc', 'Rey']];

/** The last 15 May – 30 June period whose replies are all in (ended at least a month ago). */
export function demoCampaignPeriod(now: Date): { start: string; end: string } {
  const today = parisDateOf(now);
  const y = Number(today.slice(0, 4));
  const year = today >= `${y}-08-01` ? y : y - 1;
  return { start: `${year}-05-15`, end: `${year}-06-30` };
}

/** Paris wall-clock time of a date as an instant. */
const at = (iso: string, hhmm: string) => new Date(startOfParisDay(iso).getTime() + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000);
const hours = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);

/** A folder store standing for the IMAP server: the tracker reads it through the ImapSession interface. */
export function archiveSession(folders: Record<string, { source: Buffer; date: Date }[]>): ImapSession {
  const fetched = (name: string): FetchedMessage[] => (folders[name] ?? []).map((m, i) => ({ uid: i + 1, internalDate: m.date, size: m.source.length, source: m.source, truncated: false }));
  const unsupported = () => Promise.reject(new Error('demo archive: read-only'));
  return {
    client: undefined as never,
    encrypted: true,
    commands: () => 0,
    folders: async () => Object.keys(folders),
    append: unsupported,
    hasMessageId: async () => false,
    removeMessageId: unsupported,
    sentBetween: async (folder, since, before) => fetched(folder).filter((m) => m.internalDate! >= since && m.internalDate! < before),
    syncFolder: async (folder, cursor, onBatch) => {
      const next: FolderCursor = { uidValidity: '1', lastUid: fetched(folder).length };
      const batch = fetched(folder).filter((m) => !cursor || cursor.uidValidity !== '1' || m.uid > cursor.lastUid);
      if (batch.length) await onBatch(batch, next, false);
      return next;
    },
    close: async () => undefined,
  };
}

export async function seedMailCampaignDemo(deps: Deps, orgId: string, referent: Principal): Promise<string> {
  const rand = seededRandom(0x6d41117);
  const mid = (domain: string) => `<${Array.from({ length: 24 }, () => Math.floor(rand() * 16).toString(16)).join('')}@${domain}>`;
  const period = demoCampaignPeriod(deps.clock.now());
  // Sending days: PLAN.length working days spread over the period, in order, never two the same day.
  const days: string[] = [];
  for (let d = period.start; d <= period.end; d = addCalendarDays(d, 1)) if (isWorkingDate(d, CALENDAR)) days.push(d);
  const step = days.length / PLAN.length;
  const sendDays = PLAN.map((_, i) => days[Math.min(days.length - 1, Math.floor(i * step + rand() * (step - 1)))]);

  const mailbox = await createMailbox(deps, orgId, {
    displayName: MYSTERY.name, address: MYSTERY.address, smtpHost: 'smtp.demo-courriel.test', smtpPort: 587, smtpSecurity: 'starttls',
    smtpUser: MYSTERY.address, smtpPassword: 'demo-non-utilise', imapHost: 'imap.demo-courriel.test', imapPort: 993, imapTls: true,
    imapUser: MYSTERY.address, imapPassword: 'demo-non-utilise', inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: true, plusAddressing: false,
  });
  const services = await orgStore.listServices(deps.db, orgId);
  const serviceOf = (key: string) => {
    const s = services.find((x) => x.emails.includes(`${key}@${DOMAIN}`));
    if (!s) throw new Error(`demo: no service with ${key}@${DOMAIN}`);
    return s;
  };
  const keys = [...new Set(PLAN.map((r) => r.to))];
  const campaign = await campaignService.createCampaign(deps, orgId, referent.userId, {
    name: DEMO_CAMPAIGN_NAME, mode: 'analyse', mailboxId: mailbox.id, periodStart: period.start, periodEnd: period.end,
    targets: keys.map((k) => `${serviceOf(k).id}|${k}@${DOMAIN}`), probesPerService: 1, windowStart: 480, windowEnd: 1020, seed: 'demo',
    signatureChecklist: [...SIGNATURE_ITEMS], deadlineDays: 5, holidayZone: 'metropole', whitMondayWorked: false, retentionDays: 365,
    variables: {}, defaultQuestions: false,
  });

  const sent: { source: Buffer; date: Date }[] = [];
  const inbox: { source: Buffer; date: Date }[] = [];
  const lost: { raw: Buffer; subject: string }[] = [];
  PLAN.forEach((row, n) => {
    const to = `${row.to}@${DOMAIN}`;
    const service = serviceOf(row.to);
    const sentAt = at(sendDays[n], row.time);
    const text = `Bonjour,\n\n${row.subject} : pourriez-vous me renseigner ? Je vous remercie par avance.\n\n${MYSTERY.name}`;
    const { raw, probe } = M.handSentProbe(MYSTERY, to, row.subject, text, sentAt, mid('demo-courriel.test'));
    sent.push({ source: raw, date: sentAt });
    const from = { name: `PREF 74 - ${service.name}`, address: to };
    if (row.ack === 'auto') inbox.push({ source: M.autoAck(probe, hours(sentAt, 0.02), from, mid(DOMAIN)), date: hours(sentAt, 0.02) });
    if (row.ack === 'human') inbox.push({ source: M.humanAck(probe, hours(sentAt, 1.5), from, mid(DOMAIN)), date: hours(sentAt, 1.5) });
    if (row.ooo) inbox.push({ source: M.outOfOffice(probe, hours(sentAt, 0.01), { address: `jean.dupont@${DOMAIN}` }, mid(DOMAIN)), date: hours(sentAt, 0.01) });
    if (row.bounce) inbox.push({ source: M.bounce(probe, hours(sentAt, 0.02), `mx.${DOMAIN}`, mid(`mx.${DOMAIN}`)), date: hours(sentAt, 0.02) });
    if (row.delay !== undefined) {
      const [firstName, lastName] = AGENTS[n % AGENTS.length];
      const agent: M.Agent = { firstName, lastName, function: 'Adjoint au chef de bureau', service: service.name, address: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${DOMAIN}`, phone: '04 00 00 00 10' };
      const answeredAt = addWorkingDays(sentAt, row.delay, CALENDAR);
      if (row.lost) {
        // Forwarded to an agent who answers from a personal address under another subject.
        const personal = { ...agent, address: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@messagerie-perso.test` };
        const raw = M.answer({ ...probe, subject: 'Votre demande' }, answeredAt, personal, mid('messagerie-perso.test'), { conforming: true, forwarded: true });
        inbox.push({ source: raw, date: answeredAt });
        lost.push({ raw, subject: row.subject });
      } else {
        inbox.push({ source: M.answer(probe, answeredAt, agent, mid(DOMAIN), { conforming: row.conforming !== false, forwarded: !!row.forwarded }), date: answeredAt });
      }
    }
  });
  inbox.push({ source: M.newsletter(MYSTERY.address, at(addCalendarDays(period.start, 21), '07:00'), mid('association-quartier.test')), date: at(addCalendarDays(period.start, 21), '07:00') });
  inbox.sort((a, b) => a.date.getTime() - b.date.getTime());

  // The campaign ran during its period: read as the worker would have, a fortnight after its end.
  const then = { ...deps, clock: { now: () => at(addCalendarDays(period.end, 14), '09:00') } };
  const launched = await campaignStore.transitionCampaign(deps.db, orgId, campaign.id, 'draft', { status: 'running', launchedAt: at(period.start, '08:00') });
  if (!launched) throw new Error('demo: campaign not launched');
  const mailboxRow = (await mailboxStore.getMailbox(deps.db, orgId, mailbox.id))!;
  await syncMailbox(then, mailboxRow, archiveSession({ Sent: sent, INBOX: inbox }));

  // The referent attaches the answer the matcher could not tie, and says it is an answer.
  const probes = await campaignStore.listProbes(deps.db, orgId, campaign.id);
  const unmatched = await replyStore.listUnmatchedReplies(deps.db, orgId, mailbox.id, at(period.start, '00:00'));
  for (const l of lost) {
    const reply = unmatched.find((r) => r.subject?.includes('Votre demande'));
    const probe = probes.find((p) => p.subject === l.subject);
    if (!reply || !probe) throw new Error('demo: the forwarded answer or its probe is missing');
    await replyService.correctReply(then, orgId, referent, reply.id, { field: 'probe', probeId: probe.id, items: [], anonymityJustified: false });
    const corrected = await replyService.requireReply(then, orgId, reply.id);
    if (corrected.replyClass !== 'answer') await replyService.correctReply(then, orgId, referent, reply.id, { field: 'class', replyClass: 'answer', items: [], anonymityJustified: false });
    const withClass = await replyService.requireReply(then, orgId, reply.id);
    const present = Object.entries((withClass.signature ?? {}) as Record<string, boolean>).filter(([, v]) => v).map(([k]) => k);
    if (present.length < SIGNATURE_ITEMS.length) await replyService.correctReply(then, orgId, referent, reply.id, { field: 'signature', items: [...SIGNATURE_ITEMS], anonymityJustified: false });
  }
  await campaignService.closeCampaign(then, orgId, campaign.id);
  return campaign.id;
}
