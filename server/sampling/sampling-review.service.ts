/**
 * The referent's review of a sampling run: the run's messages (dates, delay, verdict, how the
 * answer was found — no content), and for a doubtful one, the message opened live from the
 * mailbox (read-only IMAP, at that moment) with the sent folder's candidate replies, and the
 * decision recorded on the sampled row.
 *
 * What is read live is shown and forgotten: never stored, never logged. A message is found
 * again by its key (sampledKey), which the mailbox alone can give back.
 */
import { simpleParser } from 'mailparser';
import type { Deps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import { formatDate } from '../format';
import { addCalendarDays, parisDateOf, startOfParisDay } from '../campaigns/calendar/working-days';
import { openImap, type FetchedMessage, type ImapSession } from '../campaigns/tracking/imap-tracker';
import { imapSettingsOf, requireMailbox } from '../campaigns/mailbox.service';
import { describeStep, failedStep } from '../campaigns/mailbox-check';
import { candidateReplies, reviewedVerdict, type ReviewDecision, type SentMail } from './sampling';
import { parseRule, samplingPeriod } from './sampling-rule';
import { DEFAULT_CALENDAR, SOURCE_BYTES, readIncoming, readSent, sampledKey } from './sampling.service';
import * as store from './sampling.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'encryptionKey' | 'logger'>;

/** Characters of the message's text shown to the referent. */
export const TEXT_SHOWN = 4000;

export interface LiveReply {
  uid: number;
  date: Date;
  to: string[];
  subject: string | null;
}

export interface LiveMessage {
  from: string | null;
  subject: string | null;
  date: Date;
  text: string;
  truncated: boolean;
  replies: LiveReply[];
}

/** Either the message and its candidate replies, or why they could not be read (in French, with the step). */
export type LiveResult = { ok: true; message: LiveMessage } | { ok: false; failure: string };

function key(ctx: Pick<Deps, 'encryptionKey'>): Buffer {
  if (!ctx.encryptionKey) throw new AppError(500, 'no_encryption_key', 'La clé de chiffrement (ENCRYPTION_KEY) n’est pas chargée.');
  return ctx.encryptionKey;
}

/** The run and one of its messages, or 404 (another organisation's read as not found). */
export async function requireSampled(ctx: Pick<Deps, 'db'>, orgId: string, runId: string, id: string) {
  const view = await store.getRunView(ctx.db, orgId, runId);
  const found = view ? await store.getSampled(ctx.db, orgId, runId, id) : undefined;
  if (!view || !found) throw notFound('Courriel échantillonné');
  return { ...view, mail: found.mail, reviewer: found.reviewer };
}

/** A folder that could not be read: missing (the server's own words are not repeated), or the connection failed. */
function folderFailure(folder: string, err: unknown): string {
  const step = failedStep(err);
  return step === 'other'
    ? `Lecture du dossier « ${folder} » impossible : le dossier est introuvable ou illisible. Vérifiez les dossiers de la boîte (« Tester la connexion »).`
    : `Lecture du dossier « ${folder} » interrompue — ${describeStep('IMAP', step)}`;
}

/**
 * Finds the sampled message again in the inbox (searched around its received date, each
 * candidate's key compared) and reads the sent folder's candidate replies.
 */
export async function openLive(ctx: Ctx, orgId: string, runId: string, id: string): Promise<LiveResult> {
  const k = key(ctx);
  const { run, mail } = await requireSampled(ctx, orgId, runId, id);
  const mailbox = await requireMailbox(ctx, orgId, run.mailboxId);
  const rule = parseRule(run.rule) ?? { kind: 'all' as const };
  const { replyUntil } = samplingPeriod(rule, run.month);
  const day = parisDateOf(mail.receivedAt);
  const log = ctx.logger.child({ module: 'sampling-review', orgId, runId });
  let session: ImapSession;
  try {
    session = await openImap(imapSettingsOf(ctx, mailbox), { logger: ctx.logger, timeoutMs: 15_000 });
  } catch (err) {
    const step = failedStep(err);
    log.warn({ step }, 'sampling review: mailbox unreachable');
    return { ok: false, failure: `Connexion à la boîte « ${mailbox.displayName} » impossible — ${describeStep('IMAP', step)}` };
  }
  let inbox: FetchedMessage[];
  let sent: FetchedMessage[];
  try {
    try {
      inbox = await session.sentBetween(mailbox.inboxFolder, startOfParisDay(addCalendarDays(day, -1)), startOfParisDay(addCalendarDays(day, 2)), { maxBytes: SOURCE_BYTES });
    } catch (err) {
      return { ok: false, failure: folderFailure(mailbox.inboxFolder, err) };
    }
    try {
      sent = await session.sentBetween(mailbox.sentFolder, startOfParisDay(addCalendarDays(day, -1)), startOfParisDay(addCalendarDays(parisDateOf(replyUntil), 1)), { maxBytes: SOURCE_BYTES });
    } catch (err) {
      return { ok: false, failure: folderFailure(mailbox.sentFolder, err) };
    }
  } finally {
    await session.close();
  }
  let found: { fetched: FetchedMessage; read: Awaited<ReturnType<typeof readIncoming>> } | null = null;
  for (const m of inbox) {
    try {
      const read = await readIncoming(m, new Set());
      if (sampledKey(k, read) === mail.messageKey) {
        found = { fetched: m, read };
        break;
      }
    } catch {
      // An unreadable message cannot be the one sampled (it was read when sampled).
    }
  }
  if (!found) {
    return { ok: false, failure: `Recherche du message : aucun message du dossier « ${mailbox.inboxFolder} » reçu autour du ${formatDate(mail.receivedAt)} ne correspond. Il a peut-être été supprimé ou déplacé depuis l’échantillonnage.` };
  }
  const replies: (SentMail & { uid: number })[] = [];
  for (const m of sent) {
    try {
      replies.push({ ...(await readSent(m)), uid: m.uid });
    } catch {
      // Unreadable: not offered.
    }
  }
  // The text, for the referent's eyes only: parsed in memory, truncated, never kept.
  const parsed = await simpleParser(found.fetched.source);
  const text = (parsed.text ?? '').replace(/\r\n/g, '\n').trim();
  return {
    ok: true,
    message: {
      from: found.read.from, subject: found.read.subject, date: found.read.date,
      text: text.slice(0, TEXT_SHOWN), truncated: text.length > TEXT_SHOWN || found.fetched.truncated,
      replies: candidateReplies(found.read, replies, replyUntil).map((r) => ({ uid: r.uid, date: r.date, to: r.to, subject: r.subject })),
    },
  };
}

/**
 * Records the referent's decision. « Réponse trouvée » re-reads the candidates live and takes
 * the picked reply's date (never a date typed in the form); the verdict is recomputed with the
 * working-day calendar. Returns the failure when the mailbox could not be read.
 */
export async function recordDecision(
  ctx: Ctx, orgId: string, runId: string, id: string, userId: string | null, v: { decision: ReviewDecision; replyUid: number | null },
): Promise<{ ok: true } | { ok: false; failure: string }> {
  const { mail } = await requireSampled(ctx, orgId, runId, id);
  let answeredAt: Date | null = null;
  if (v.decision === 'answered') {
    const live = await openLive(ctx, orgId, runId, id);
    if (!live.ok) return live;
    const reply = live.message.replies.find((r) => r.uid === v.replyUid);
    if (!reply) throw new ValidationError({ reponse: 'Cette réponse n’est plus parmi celles du dossier des envoyés : choisissez-en une autre.' });
    answeredAt = reply.date;
  }
  const verdict = reviewedVerdict(mail.receivedAt, v.decision, answeredAt, DEFAULT_CALENDAR);
  await store.recordReview(ctx.db, orgId, runId, id, {
    reviewDecision: v.decision, reviewedBy: userId, reviewedAt: ctx.clock.now(),
    reviewedAnsweredAt: verdict.answeredAt, reviewedWithin: verdict.withinDeadline, reviewedDelayDays: verdict.delayDays,
  });
  return { ok: true };
}
