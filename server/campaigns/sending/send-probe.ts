/**
 * Sending one probe, safe to run twice (a job may be retried after a crash):
 *   planned → sending (recorded before anything leaves, with the Date we put in the message)
 *           → SMTP → copy appended to the sent folder (unless the server saves it itself)
 *           → sent
 *   transient SMTP error → back to planned, retried with backoff by the job;
 *   permanent SMTP error (or attempts exhausted) → failed, with the server's words.
 * A probe found in state « sending » means a worker died after recording it: the sent folder is
 * searched for its Message-ID before deciding to resend, so a probe is never skipped, and not
 * sent twice once its copy is in the sent folder. (A crash in the milliseconds between the SMTP
 * server's acceptance and the copy's APPEND cannot be told from a crash before sending: that
 * probe is resent. Servers that save sent messages themselves close this window.)
 */
import type { Deps } from '../../deps';
import * as campaignStore from '../campaign.store';
import * as mailboxStore from '../mailbox.store';
import { imapSettingsOf, mailboxDomain, smtpSettingsOf } from '../mailbox.service';
import { openImap } from '../tracking/imap-tracker';
import { classifyDeliveryError } from './delivery-error';
import { describeStep } from '../mailbox-check';
import { SmtpError, composeMessage, smtpSender } from './mailer';

type Ctx = Pick<Deps, 'db' | 'dbKind' | 'clock' | 'logger' | 'encryptionKey' | 'config'>;

/** Test seams that stand for a worker dying at a given point (nothing after them runs). */
export interface SendHooks {
  beforeSmtp?(): Promise<void>;
  afterSmtp?(): Promise<void>;
  afterAppend?(): Promise<void>;
}

export interface SendOptions {
  attempt?: number;
  maxAttempts?: number;
  hooks?: SendHooks;
  smtpTimeoutMs?: number;
}

export class TransientSendError extends Error {}

export type SendOutcome = 'sent' | 'recovered' | 'failed' | 'cancelled' | 'nothing-to-do';

export function replyToOf(address: string, token: string | null, plus: boolean): string | null {
  if (!plus || !token) return null;
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

export async function sendProbe(ctx: Ctx, probeId: string, opts: SendOptions = {}): Promise<SendOutcome> {
  const log = ctx.logger.child({ module: 'campaigns.send', probeId });
  let probe = await campaignStore.getProbeForWorker(ctx.db, probeId);
  if (!probe || probe.state === 'sent' || probe.state === 'failed' || probe.state === 'cancelled') return 'nothing-to-do';
  const orgId = probe.orgId;
  const campaign = await campaignStore.getCampaign(ctx.db, orgId, probe.campaignId);
  const running = campaign?.status === 'running';
  if (!campaign || (!running && probe.state === 'planned')) {
    await campaignStore.transitionProbe(ctx.db, orgId, probeId, ['planned'], { state: 'cancelled' });
    return 'cancelled';
  }
  const mailbox = await mailboxStore.getMailbox(ctx.db, orgId, campaign.mailboxId);
  if (!mailbox) throw new Error('mailbox not found');

  if (probe.state === 'sending') {
    // A worker died after recording « sending »: did the message leave?
    const session = await openImap(imapSettingsOf(ctx, mailbox), { logger: log });
    let found: boolean;
    try {
      found = await session.hasMessageId(mailbox.sentFolder, probe.messageId);
    } finally {
      await session.close();
    }
    if (found) {
      await campaignStore.transitionProbe(ctx.db, orgId, probeId, ['sending'], { state: 'sent', sentCopy: 'found', lastError: null });
      log.info('probe found in the sent folder after a restart: not resent');
      return 'recovered';
    }
    if (!running) {
      // The campaign was closed meanwhile: what did not leave never will.
      await campaignStore.transitionProbe(ctx.db, orgId, probeId, ['sending'], { state: 'cancelled', sentAt: null });
      return 'cancelled';
    }
    log.info('probe not in the sent folder after a restart: sending it');
  }

  const now = ctx.clock.now();
  const claimed = await campaignStore.transitionProbe(ctx.db, orgId, probeId, ['planned', 'sending'], {
    state: 'sending', sentAt: now, attempts: probe.attempts + 1,
  });
  if (!claimed) return 'nothing-to-do';
  probe = claimed;

  const raw = await composeMessage({
    from: { name: mailbox.displayName, address: mailbox.address },
    replyTo: replyToOf(mailbox.address, probe.token, mailbox.plusAddressing),
    to: probe.toAddress,
    subject: probe.subject,
    text: probe.body,
    messageId: probe.messageId,
    date: now,
  });

  await opts.hooks?.beforeSmtp?.();
  const sender = smtpSender(smtpSettingsOf(ctx, mailbox), { timeoutMs: opts.smtpTimeoutMs, clientName: mailboxDomain(mailbox) });
  try {
    await sender.send({ from: mailbox.address, to: [probe.toAddress] }, raw);
  } catch (err) {
    const e = err instanceof SmtpError ? err : new SmtpError(String(err), null, null, null, null);
    if (e.code === 'EHOSTPRIVATE') {
      // Not a passing trouble: the host resolves to a network this instance may not reach, and
      // will until the settings (or MAIL_PRIVATE_NETWORKS) change. Failing now, said on the
      // mailbox (campaign page, home), instead of retrying for hours.
      const reason = `Boîte mystère : ${describeStep('SMTP', 'private_host')}`;
      await campaignStore.transitionProbe(ctx.db, orgId, probeId, ['sending'], { state: 'failed', sentAt: null, lastError: reason });
      await mailboxStore.recordSendError(ctx.db, orgId, mailbox.id, { at: now, message: describeStep('SMTP', 'private_host') });
      log.warn('probe failed: the mailbox’s SMTP host is on a network that is not allowed');
      return 'failed';
    }
    const verdict = classifyDeliveryError({ code: e.code, responseCode: e.responseCode, response: e.response, message: e.message });
    const exhausted = (opts.attempt ?? 1) >= (opts.maxAttempts ?? Infinity);
    if (verdict.kind === 'permanent' || exhausted) {
      const reason = verdict.kind === 'permanent' ? verdict.reason : `Abandon après ${opts.attempt} tentatives : ${verdict.reason}`;
      await campaignStore.transitionProbe(ctx.db, orgId, probeId, ['sending'], { state: 'failed', sentAt: null, lastError: reason });
      log.warn({ category: verdict.category, status: verdict.status }, 'probe failed for good');
      return 'failed';
    }
    await campaignStore.transitionProbe(ctx.db, orgId, probeId, ['sending'], { state: 'planned', sentAt: null, lastError: verdict.reason });
    throw new TransientSendError(verdict.reason);
  } finally {
    sender.close();
  }
  await opts.hooks?.afterSmtp?.();
  if (mailbox.sendErrorAt) await mailboxStore.recordSendError(ctx.db, orgId, mailbox.id, null);

  let sentCopy: 'appended' | 'server' | 'failed' = 'server';
  if (!mailbox.serverSavesSent) {
    try {
      const session = await openImap(imapSettingsOf(ctx, mailbox), { logger: log });
      try {
        await session.append(mailbox.sentFolder, raw, now);
      } finally {
        await session.close();
      }
      sentCopy = 'appended';
    } catch (err) {
      // The message left: the probe is sent; only its copy is missing.
      sentCopy = 'failed';
      log.warn({ err }, 'copy to the sent folder failed');
    }
  }
  await opts.hooks?.afterAppend?.();
  await campaignStore.transitionProbe(ctx.db, orgId, probeId, ['sending'], { state: 'sent', sentCopy, lastError: null, sentRaw: raw });
  return 'sent';
}
