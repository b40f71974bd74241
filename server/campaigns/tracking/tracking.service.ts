/**
 * Reading mystery mailboxes:
 * - syncInbox(): what is new in the inbox after the stored cursor, recorded once each;
 * - importSentFolder(): analyse mode, the probes sent by hand from the mystery mailbox: the sent
 *   folder's messages of the campaign's period written to a target address become probes
 *   (origin 'imported'), once each (unique Message-ID per campaign); replies that arrived
 *   before their probe was imported are matched again;
 * - syncMailboxOnce(): both, under the mailbox lock, on a short-lived connection (jobs, CLI).
 */
import { simpleParser, type AddressObject } from 'mailparser';
import type { Deps } from '../../deps';
import { addCalendarDays, parisDateOf, startOfParisDay } from '../calendar/working-days';
import * as campaignStore from '../campaign.store';
import * as mailboxStore from '../mailbox.store';
import { imapSettingsOf } from '../mailbox.service';
import { openImap, type ImapSession, type SyncOptions } from './imap-tracker';
import { ingestBatch, loadCandidates, rematchUnmatched, type Candidate, type IngestContext } from './ingest';
import { tryLockMailbox } from './mailbox-lock';
import { normaliseMessageId } from './match-reply';
import crypto from 'node:crypto';

type Ctx = Pick<Deps, 'db' | 'dbKind' | 'clock' | 'logger' | 'encryptionKey' | 'config'>;

function ingestContext(deps: Ctx, mailbox: mailboxStore.MailboxRow): IngestContext {
  let cached: Promise<Candidate[]> | undefined;
  return { deps, mailbox, candidates: () => (cached ??= loadCandidates(deps, mailbox)) };
}

export interface SyncStats {
  fetched: number;
  recorded: number;
  fullResync: boolean;
}

/** Test seam standing for a worker dying between two batches (after one was stored). */
export interface SyncHooks {
  afterBatch?(): Promise<void>;
}

export async function syncInbox(deps: Ctx, mailbox: mailboxStore.MailboxRow, session: ImapSession, opts: SyncOptions & { hooks?: SyncHooks } = {}): Promise<SyncStats> {
  const folder = mailbox.inboxFolder;
  const cursor = await mailboxStore.getCursor(deps.db, mailbox.orgId, mailbox.id, folder);
  const ctx = ingestContext(deps, mailbox);
  const stats: SyncStats = { fetched: 0, recorded: 0, fullResync: false };
  const final = await session.syncFolder(folder, cursor, async (batch, next, fullResync) => {
    stats.fullResync ||= fullResync;
    stats.fetched += batch.length;
    stats.recorded += await ingestBatch(ctx, folder, next.uidValidity, batch);
    // The cursor moves only once the batch is stored: a crash re-reads at most one batch.
    await mailboxStore.saveCursor(deps.db, mailbox.orgId, mailbox.id, folder, next, deps.clock.now());
    await opts.hooks?.afterBatch?.();
  }, opts);
  if (!cursor || cursor.uidValidity !== final.uidValidity || cursor.lastUid !== final.lastUid) {
    await mailboxStore.saveCursor(deps.db, mailbox.orgId, mailbox.id, folder, final, deps.clock.now());
  }
  if (stats.fullResync) deps.logger.info({ mailboxId: mailbox.id, fetched: stats.fetched, recorded: stats.recorded }, 'UIDVALIDITY changed: full resync done');
  return stats;
}

function addressesOf(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = a === undefined ? [] : Array.isArray(a) ? a : [a];
  return list.flatMap((x) => x.value.flatMap((v) => [v.address, ...(v.group ?? []).map((g) => g.address)])).filter((s): s is string => !!s).map((s) => s.toLowerCase());
}

/** Analyse mode: imports the hand-sent probes of a campaign from the sent folder. */
export async function importSentFolder(deps: Ctx, mailbox: mailboxStore.MailboxRow, campaign: campaignStore.CampaignRow, session: ImapSession): Promise<number> {
  const targets = await campaignStore.listTargets(deps.db, campaign.orgId, campaign.id);
  const byAddress = new Map(targets.map((t) => [t.address.toLowerCase(), t]));
  // SENTSINCE/SENTBEFORE compare dates only, in the sender's time zone: widen by a day, then
  // keep the messages whose Paris date is in the period.
  const since = startOfParisDay(addCalendarDays(campaign.periodStart, -1));
  const before = startOfParisDay(addCalendarDays(campaign.periodEnd, 2));
  const messages = await session.sentBetween(mailbox.sentFolder, since, before, { maxBytes: 512 * 1024 });
  const probes: campaignStore.ProbeInsert[] = [];
  for (const m of messages) {
    const parsed = await simpleParser(m.source, { skipHtmlToText: false }).catch(() => null);
    if (!parsed) continue;
    const sentAt = parsed.date && Number.isFinite(parsed.date.getTime()) ? parsed.date : m.internalDate;
    if (!sentAt) continue;
    const day = parisDateOf(sentAt);
    if (day < campaign.periodStart || day > campaign.periodEnd) continue;
    const target = [...addressesOf(parsed.to), ...addressesOf(parsed.cc)].map((a) => byAddress.get(a)).find(Boolean);
    if (!target) continue;
    const messageId = parsed.messageId && normaliseMessageId(parsed.messageId)
      ? parsed.messageId
      : `<${crypto.createHash('sha256').update(m.source).digest('hex').slice(0, 32)}@sans-message-id.invalid>`;
    probes.push({
      campaignId: campaign.id, targetId: target.id, origin: 'imported', state: 'sent', toAddress: target.address,
      subject: (parsed.subject ?? '').slice(0, 500), body: (parsed.text ?? '').slice(0, 20_000), token: null, messageId, sentAt,
    });
  }
  const inserted = await campaignStore.insertProbes(deps.db, campaign.orgId, probes);
  if (inserted.length) {
    const earliest = new Date(Math.min(...inserted.map((p) => p.sentAt!.getTime())));
    await rematchUnmatched(ingestContext(deps, mailbox), earliest);
  }
  await campaignStore.updateCampaign(deps.db, campaign.orgId, campaign.id, { lastAnalysedAt: deps.clock.now() });
  return inserted.length;
}

export interface MailboxSyncResult {
  status: 'done' | 'busy';
  imported: number;
  inbox?: SyncStats;
}

/** The sent folder of an analyse campaign is read again at most this often (hand-sent probes). */
export const ANALYSE_EVERY_MS = 60 * 60_000;

/**
 * One pass over a mailbox on an open session: the sent folder of its running analyse campaigns
 * that are due (never analysed, analysis requested, or last read over an hour ago; `force`
 * names one to read now), then the inbox (last, so IDLE watches it).
 */
export async function syncMailbox(deps: Ctx, mailbox: mailboxStore.MailboxRow, session: ImapSession, opts: { force?: string } = {}): Promise<MailboxSyncResult> {
  const now = deps.clock.now().getTime();
  let imported = 0;
  const campaigns = (await campaignStore.runningCampaignsOfMailbox(deps.db, mailbox.orgId, mailbox.id)).filter((c) => c.mode === 'analyse'
    && (c.id === opts.force || !c.lastAnalysedAt || now - c.lastAnalysedAt.getTime() >= ANALYSE_EVERY_MS));
  for (const c of campaigns) imported += await importSentFolder(deps, mailbox, c, session);
  const inbox = await syncInbox(deps, mailbox, session);
  return { status: 'done', imported, inbox };
}

/** syncMailbox on a short-lived connection, under the mailbox lock (jobs, CLI). */
export async function syncMailboxOnce(deps: Ctx, mailboxId: string, opts: { force?: string } = {}): Promise<MailboxSyncResult> {
  const mailbox = await mailboxStore.getMailboxForWorker(deps.db, mailboxId);
  if (!mailbox) return { status: 'done', imported: 0 };
  const lock = await tryLockMailbox(deps, mailboxId);
  if (!lock) return { status: 'busy', imported: 0 };
  try {
    const session = await openImap(imapSettingsOf(deps, mailbox), { logger: deps.logger });
    try {
      return await syncMailbox(deps, mailbox, session, opts);
    } finally {
      await session.close();
    }
  } finally {
    await lock.release();
  }
}
