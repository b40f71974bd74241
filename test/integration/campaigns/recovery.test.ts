/**
 * Crashes and restarts, against a real SMTP listener and a real Dovecot:
 * - the sending worker dies after recording « sending » (before SMTP), after SMTP and the copy
 *   in the sent folder (before « sent »), or — when the server files sent messages itself —
 *   right after SMTP: a new worker on the same database sends each probe exactly once;
 * - the tracker dies between two batches, or before saving its cursor; UIDVALIDITY changes:
 *   every reply is recorded once;
 * - Dovecot restarts while the tracker is in IDLE: it reconnects and records what comes next;
 * - oversized and malformed messages are stored and flagged, never crash the tracker;
 * - only one worker holds a mailbox; the purge job deletes raw messages after retention.
 * A worker "dies" by a hook that throws (nothing after it runs); its job row is then put back
 * as a dead worker leaves it (running, lease not expired), and a new runner takes over.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { JobRunner } from '../../../server/jobs/runner';
import { jobs } from '../../../server/jobs/registry';
import type { JobDefinition } from '../../../server/jobs/job';
import { openDatabase, rows } from '../../../server/storage/db';
import * as campaignService from '../../../server/campaigns/campaign.service';
import * as mailboxStore from '../../../server/campaigns/mailbox.store';
import { imapSettingsOf } from '../../../server/campaigns/mailbox.service';
import { SIGNATURE_ITEMS } from '../../../server/campaigns/classification/signature';
import { sendProbe, type SendHooks } from '../../../server/campaigns/sending/send-probe';
import { SEND_PROBE_JOB } from '../../../server/campaigns/sending/send-probe.job';
import { openImap } from '../../../server/campaigns/tracking/imap-tracker';
import { closeLockConnection, tryLockMailbox } from '../../../server/campaigns/tracking/mailbox-lock';
import { syncInbox } from '../../../server/campaigns/tracking/tracking.service';
import { TrackingSupervisor } from '../../../server/campaigns/tracking/supervisor';
import { purgeRawJob } from '../../../server/campaigns/purge-raw.job';
import { startSmtp, type SmtpTestServer } from '../../helpers/smtp';
import * as S from '../../helpers/mail-services';
import { MYSTERY, mailTestContext, type MailTestContext } from './setup';
import { waitFor } from '../../helpers/wait';

const D = 'prefecture.example';
const SERVICE = { name: 'Accueil général', address: `accueil@${D}` };
const SMTP_USER = { user: 'camille.smtp', password: 'smtp-secret-9' };
const me = { user: MYSTERY.user, password: MYSTERY.password };

let ctx: MailTestContext;
let smtp: SmtpTestServer;
let campaignId: string;
const saveSentFor = new Set<string>();

const q = async <T>(query: ReturnType<typeof sql>) => rows<T>(await ctx.t.deps.db.execute(query));
const mailbox = async () => (await mailboxStore.getMailbox(ctx.t.deps.db, ctx.orgId, ctx.mailboxId))!;
const replyCount = async () => (await q<{ n: number }>(sql`select count(*)::int as n from mail_replies where mailbox_id = ${ctx.mailboxId}`))[0].n;

class SimulatedCrash extends Error {}
const crash = async () => {
  throw new SimulatedCrash('worker died');
};

async function sentFolderIds(): Promise<string[]> {
  const session = await openImap(imapSettingsOf(ctx.t.deps, await mailbox()));
  try {
    const lock = await session.client.getMailboxLock('Sent');
    try {
      if (!session.client.mailbox || session.client.mailbox.exists === 0) return [];
      return (await session.client.fetchAll('1:*', { envelope: true })).map((m) => m.envelope!.messageId!);
    } finally {
      lock.release();
    }
  } finally {
    await session.close();
  }
}

beforeAll(async () => {
  ctx = await mailTestContext({
    services: [SERVICE], extraUsers: [{ user: SERVICE.address, password: 'x' }],
    smtp: { host: '127.0.0.1', port: 0, user: SMTP_USER.user, password: SMTP_USER.password },
  });
  const accounts = new Map([[SERVICE.address, { user: SERVICE.address, password: 'x' }], [MYSTERY.user, me]]);
  smtp = await startSmtp({ users: { [SMTP_USER.user]: SMTP_USER.password }, deliver: S.deliverer(ctx.dovecot, accounts, new Set(), { saveSentFor }) });
  await mailboxStore.updateMailbox(ctx.t.deps.db, ctx.orgId, ctx.mailboxId, { smtpPort: smtp.port });
  ctx.t.clock.set('2025-12-01T06:00:00Z');
  const c = await campaignService.createCampaign(ctx.t.deps, ctx.orgId, ctx.referent.id, {
    name: 'Reprise', mode: 'send', mailboxId: ctx.mailboxId, periodStart: '2025-12-01', periodEnd: '2025-12-05',
    targets: [`${ctx.services.get(SERVICE.address)!.id}|${SERVICE.address}`], probesPerService: 3, windowStart: 540, windowEnd: 1020,
    seed: 'reprise', signatureChecklist: [...SIGNATURE_ITEMS], deadlineDays: 5, holidayZone: 'metropole', whitMondayWorked: false,
    retentionDays: 30, variables: {}, defaultQuestions: true,
  });
  campaignId = c.id;
  await campaignService.launchCampaign(ctx.t.deps, ctx.orgId, campaignId);
}, 60_000);
afterAll(async () => {
  await smtp?.close();
  await ctx?.close();
});

/** Runs the probe's job on a runner whose send dies at a hook; leaves the job as a dead worker would. */
async function dieWhileSending(probeId: string, hooks: SendHooks) {
  const dying: JobDefinition<{ probeId: string }> = { name: SEND_PROBE_JOB, run: (p, c) => sendProbe(c, p.probeId, { hooks }).then(() => undefined) };
  const [job] = await q<{ id: number; run_at: Date }>(sql`select id, run_at from jobs where name = ${SEND_PROBE_JOB} and payload->>'probeId' = ${probeId}`);
  ctx.t.clock.set(job.run_at);
  await new JobRunner(ctx.t.deps, [dying as JobDefinition<never>]).drain();
  await ctx.t.deps.db.execute(sql`update jobs set status = 'running', locked_by = 'dead-worker',
    locked_until = ${new Date(ctx.t.clock.now().getTime() + 5 * 60_000).toISOString()}::timestamptz where id = ${job.id}`);
}

/** A new worker on the same database, once the dead worker's lease has expired. */
async function newWorkerTakesOver() {
  ctx.t.clock.advance(6 * 60_000);
  await new JobRunner(ctx.t.deps, jobs).drain();
}

const probeRows = () => q<{ id: string; state: string; message_id: string; sent_copy: string | null; attempts: number }>(sql`
  select id, state, message_id, sent_copy, attempts from mail_probes where campaign_id = ${campaignId} order by planned_at`);

describe('when the sending worker dies', () => {
  it('after recording « sending » and before SMTP, then the new worker finds no copy and sends it once', async () => {
    const [p] = await probeRows();
    await dieWhileSending(p.id, { beforeSmtp: crash });
    expect((await probeRows())[0].state).toBe('sending');
    expect(smtp.countOf(p.message_id)).toBe(0);
    await newWorkerTakesOver();
    const after = (await probeRows())[0];
    expect(after).toMatchObject({ state: 'sent', sent_copy: 'appended' });
    expect(smtp.countOf(p.message_id)).toBe(1);
    expect((await sentFolderIds()).filter((id) => id === p.message_id)).toHaveLength(1);
  });

  it('after SMTP and the copy, before recording « sent », then the new worker finds the copy and does not resend', async () => {
    const p = (await probeRows())[1];
    await dieWhileSending(p.id, { afterAppend: crash });
    expect((await probeRows())[1].state).toBe('sending');
    expect(smtp.countOf(p.message_id)).toBe(1);
    await newWorkerTakesOver();
    expect((await probeRows())[1]).toMatchObject({ state: 'sent', sent_copy: 'found' });
    expect(smtp.countOf(p.message_id)).toBe(1);
    expect((await sentFolderIds()).filter((id) => id === p.message_id)).toHaveLength(1);
  });

  it('right after SMTP on a server that files sent messages itself, then the new worker does not resend', async () => {
    saveSentFor.add(MYSTERY.user);
    await mailboxStore.updateMailbox(ctx.t.deps.db, ctx.orgId, ctx.mailboxId, { serverSavesSent: true });
    const p = (await probeRows())[2];
    await dieWhileSending(p.id, { afterSmtp: crash });
    expect(smtp.countOf(p.message_id)).toBe(1);
    await newWorkerTakesOver();
    expect((await probeRows())[2]).toMatchObject({ state: 'sent', sent_copy: 'found' });
    expect(smtp.countOf(p.message_id)).toBe(1);
    expect((await probeRows()).map((x) => x.state)).toEqual(['sent', 'sent', 'sent']);
    expect(smtp.received).toHaveLength(3);
  });
});

describe('when the tracker dies or the mailbox changes under it', () => {
  beforeAll(async () => {
    const seen = await S.readInbox(ctx.dovecot, { user: SERVICE.address, password: 'x' });
    const from = { name: 'Accueil', address: SERVICE.address };
    const agent: S.Agent = { firstName: 'Marc', lastName: 'Rey', function: 'Agent d’accueil', service: 'Accueil général', address: `marc.rey@${D}`, phone: '04 50 00 00 01' };
    const msgs: Buffer[] = [];
    for (const p of seen) msgs.push(S.autoAck(p, S.after(p.date, 0.01), from), S.answer(p, S.after(p.date, 3), agent));
    for (let i = 0; i < 6; i++) msgs.push(S.newsletter(MYSTERY.user, new Date(Date.UTC(2025, 11, 1 + i, 8))));
    await S.deliver(ctx.dovecot, me, 'INBOX', msgs);
  });

  it('between two batches, then the next tracker resumes from the cursor and records each message once', async () => {
    const m = await mailbox();
    let session = await openImap(imapSettingsOf(ctx.t.deps, m));
    let batches = 0;
    await expect(syncInbox(ctx.t.deps, m, session, { batchSize: 4, hooks: { afterBatch: async () => { if (++batches === 1) await crash(); } } })).rejects.toThrow(SimulatedCrash);
    await session.close();
    expect(await replyCount()).toBe(4);
    expect(await mailboxStore.getCursor(ctx.t.deps.db, ctx.orgId, ctx.mailboxId, 'INBOX')).toMatchObject({ lastUid: 4 });
    session = await openImap(imapSettingsOf(ctx.t.deps, m));
    const stats = await syncInbox(ctx.t.deps, m, session, { batchSize: 4 });
    await session.close();
    expect(stats).toMatchObject({ fetched: 8, recorded: 8, fullResync: false });
    expect(await replyCount()).toBe(12);
    const dups = await q<{ n: number }>(sql`select count(*)::int as n from (select dedupe_key from mail_replies group by 1 having count(*) > 1) d`);
    expect(dups[0].n).toBe(0);
  });

  it('before saving its cursor, or when UIDVALIDITY changes, then messages read again are not recorded twice', async () => {
    const m = await mailbox();
    await ctx.t.deps.db.execute(sql`update mailbox_cursors set last_uid = 0 where mailbox_id = ${ctx.mailboxId}`);
    let session = await openImap(imapSettingsOf(ctx.t.deps, m));
    expect(await syncInbox(ctx.t.deps, m, session)).toMatchObject({ fetched: 12, recorded: 0, fullResync: false });
    await session.close();
    await ctx.t.deps.db.execute(sql`update mailbox_cursors set uid_validity = '12345' where mailbox_id = ${ctx.mailboxId}`);
    session = await openImap(imapSettingsOf(ctx.t.deps, m));
    expect(await syncInbox(ctx.t.deps, m, session)).toMatchObject({ fetched: 12, recorded: 0, fullResync: true });
    expect(await syncInbox(ctx.t.deps, m, session)).toMatchObject({ fetched: 0, recorded: 0, fullResync: false });
    await session.close();
    expect(await replyCount()).toBe(12);
  });

  it('then the figures come from those replies: 3 acknowledged, 3 answered', async () => {
    const res = await request(ctx.t.app).get(`/api/v1/campagnes-courriel/${campaignId}/resultats`).set('Authorization', `Bearer ${ctx.token}`);
    expect(res.body.indicators).toMatchObject({ sent: 3, delivered: 3, acknowledgements: { numerator: 3 }, answers: { numerator: 3 } });
  });
});

describe('when the live tracker is in IDLE', () => {
  let supervisor: TrackingSupervisor;
  afterAll(() => supervisor?.stop());

  it('then a new message is recorded at once, Dovecot restarts, and the tracker reconnects and goes on', async () => {
    // Poll every minute: only IDLE (or a reconnection) can record a message within seconds.
    supervisor = new TrackingSupervisor(ctx.t.deps, { pollMs: 60_000, idleDelayMs: 100, refreshMs: 60_000, backoffMinMs: 100, backoffMaxMs: 400 });
    supervisor.start();
    const tracker = await waitFor('tracker', async () => supervisor.tracker(ctx.mailboxId));
    await waitFor('connected', async () => tracker.connected);
    await new Promise((r) => setTimeout(r, 500));
    const before = await replyCount();
    await S.deliver(ctx.dovecot, me, 'INBOX', [S.newsletter(MYSTERY.user, new Date('2025-12-08T08:00:00Z'))]);
    await waitFor('message recorded through IDLE', async () => (await replyCount()) === before + 1, 5_000);

    await ctx.dovecot.restart();
    await waitFor('reconnected', async () => tracker.connected && tracker.syncs >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    await S.deliver(ctx.dovecot, me, 'INBOX', [S.newsletter(MYSTERY.user, new Date('2025-12-09T08:00:00Z'))]);
    await waitFor('message recorded after the restart', async () => (await replyCount()) === before + 2, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await replyCount()).toBe(before + 2);
  });

  it('then an oversized message is stored truncated and flagged, a malformed one stored and flagged, and tracking goes on', async () => {
    const before = await replyCount();
    const big = S.buildMessage({ from: { address: `accueil@${D}` }, to: MYSTERY.user, subject: 'Pièce jointe volumineuse', date: new Date('2025-12-10T08:00:00Z'), text: `${'x'.repeat(76)}\n`.repeat(Math.ceil((2.2 * 1024 * 1024) / 77)) });
    const malformed = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'eml', '13-malformed-mime.eml'));
    await S.deliver(ctx.dovecot, me, 'INBOX', [big, malformed, S.newsletter(MYSTERY.user, new Date('2025-12-11T08:00:00Z'))]);
    await waitFor('three more messages', async () => (await replyCount()) === before + 3, 10_000);
    const rowsBig = await q<{ size: number; truncated: boolean; len: number }>(sql`
      select r.size, m.truncated, length(m.raw)::int as len from mail_replies r join mail_raw_messages m on m.reply_id = r.id where r.subject = 'Pièce jointe volumineuse'`);
    expect(rowsBig[0].truncated).toBe(true);
    expect(rowsBig[0].len).toBe(2 * 1024 * 1024);
    expect(rowsBig[0].size).toBeGreaterThan(2 * 1024 * 1024);
    const flagged = await q<{ n: number }>(sql`select count(*)::int as n from mail_replies where malformed`);
    expect(flagged[0].n).toBeGreaterThanOrEqual(1);
  });

  it('then another worker cannot take the mailbox while it is tracked, and can once it is released', async () => {
    const url = (ctx.t.deps.db as unknown as { $client: { options?: { connectionString?: string } } }).$client.options?.connectionString;
    const other = ctx.t.deps.dbKind === 'postgres' && url ? await openDatabase({ url, poolSize: 2 }) : undefined;
    const otherDeps = other ? { db: other.db, dbKind: other.kind } : { db: ctx.t.deps.db, dbKind: ctx.t.deps.dbKind };
    try {
      expect(await tryLockMailbox(otherDeps, ctx.mailboxId)).toBeNull();
      await supervisor.stop();
      const lock = await tryLockMailbox(otherDeps, ctx.mailboxId);
      expect(lock).not.toBeNull();
      await lock!.release();
    } finally {
      if (other) {
        await closeLockConnection(otherDeps);
        await other.close();
      }
    }
  });
});

describe('when the retention period is over', () => {
  it('then the purge deletes raw messages and texts, and the figures stay', async () => {
    const before = (await request(ctx.t.app).get(`/api/v1/campagnes-courriel/${campaignId}/resultats`).set('Authorization', `Bearer ${ctx.token}`)).body.indicators;
    ctx.t.clock.set('2026-01-04T00:00:00Z');
    await purgeRawJob.run({}, { ...ctx.t.deps, jobId: 0, attempt: 1, signal: new AbortController().signal });
    expect((await q<{ n: number }>(sql`select count(*)::int as n from mail_raw_messages m join mail_replies r on r.id = m.reply_id where r.campaign_id = ${campaignId}`))[0].n).toBeGreaterThan(0);
    ctx.t.clock.set('2026-01-06T00:00:00Z');
    await purgeRawJob.run({}, { ...ctx.t.deps, jobId: 0, attempt: 1, signal: new AbortController().signal });
    const left = await q<{ raw: number; text: number }>(sql`select
      (select count(*)::int from mail_raw_messages m join mail_replies r on r.id = m.reply_id where r.campaign_id = ${campaignId}) as raw,
      (select count(*)::int from mail_replies where campaign_id = ${campaignId} and text is not null) as text`);
    expect(left[0]).toEqual({ raw: 0, text: 0 });
    const after = (await request(ctx.t.app).get(`/api/v1/campagnes-courriel/${campaignId}/resultats`).set('Authorization', `Bearer ${ctx.token}`)).body.indicators;
    expect(after).toEqual(before);
  });
});
