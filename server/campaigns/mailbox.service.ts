/**
 * Mystery mailbox use cases: create and edit (passwords sealed, kept when left empty), delete
 * when unused, open the settings for SMTP/IMAP, and « tester la connexion » (both protocols,
 * each failure said precisely). Passwords are never returned to a page nor logged.
 */
import crypto from 'node:crypto';
import type { Deps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import { open, seal } from './secret-box';
import { describeSmtpFailure } from './sending/delivery-error';
import { smtpSender, type SmtpSettings } from './sending/mailer';
import { checkImap, type ImapSettings } from './tracking/imap-tracker';
import * as store from './mailbox.store';
import type { MailboxInput } from './mailbox.schemas';

type Ctx = Pick<Deps, 'db' | 'clock' | 'encryptionKey'>;

function key(ctx: Pick<Deps, 'encryptionKey'>): Buffer {
  if (!ctx.encryptionKey) throw new AppError(500, 'no_encryption_key', 'La clé de chiffrement (ENCRYPTION_KEY) n’est pas chargée.');
  return ctx.encryptionKey;
}

const smtpContext = (id: string) => `mailbox:${id}:smtp`;
const imapContext = (id: string) => `mailbox:${id}:imap`;

function columns(v: MailboxInput) {
  return {
    displayName: v.displayName, address: v.address,
    smtpHost: v.smtpHost, smtpPort: v.smtpPort, smtpSecurity: v.smtpSecurity, smtpUser: v.smtpUser,
    imapHost: v.imapHost, imapPort: v.imapPort, imapTls: v.imapTls, imapUser: v.imapUser,
    inboxFolder: v.inboxFolder, sentFolder: v.sentFolder, serverSavesSent: v.serverSavesSent, plusAddressing: v.plusAddressing,
  };
}

export async function createMailbox(ctx: Ctx, orgId: string, v: MailboxInput) {
  const k = key(ctx);
  const errors: Record<string, string> = {};
  if (!v.smtpPassword && v.smtpUser) errors.smtpPassword = 'Indiquez le mot de passe SMTP.';
  if (!v.imapPassword) errors.imapPassword = 'Indiquez le mot de passe IMAP.';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const id = crypto.randomUUID();
  return store.insertMailbox(ctx.db, orgId, {
    id, ...columns(v),
    smtpPasswordSealed: v.smtpPassword ? seal(k, v.smtpPassword, smtpContext(id)) : null,
    imapPasswordSealed: seal(k, v.imapPassword!, imapContext(id)),
  });
}

export async function requireMailbox(ctx: Pick<Deps, 'db'>, orgId: string, id: string) {
  const row = await store.getMailbox(ctx.db, orgId, id);
  if (!row) throw notFound('Boîte mystère');
  return row;
}

/** Empty password fields keep the stored passwords. */
export async function updateMailbox(ctx: Ctx, orgId: string, id: string, v: MailboxInput) {
  const k = key(ctx);
  await requireMailbox(ctx, orgId, id);
  const row = await store.updateMailbox(ctx.db, orgId, id, {
    ...columns(v),
    ...(v.smtpPassword ? { smtpPasswordSealed: seal(k, v.smtpPassword, smtpContext(id)) } : {}),
    ...(v.imapPassword ? { imapPasswordSealed: seal(k, v.imapPassword, imapContext(id)) } : {}),
  });
  if (!row) throw notFound('Boîte mystère');
  return row;
}

export async function deleteMailbox(ctx: Pick<Deps, 'db'>, orgId: string, id: string) {
  await requireMailbox(ctx, orgId, id);
  if ((await store.countCampaignsOfMailbox(ctx.db, orgId, id)) > 0) {
    throw new ValidationError({ _: 'Cette boîte est utilisée par une campagne : elle ne peut pas être supprimée.' });
  }
  await store.deleteMailbox(ctx.db, orgId, id);
}

export function smtpSettingsOf(ctx: Pick<Deps, 'encryptionKey'>, m: store.MailboxRow): SmtpSettings {
  return {
    host: m.smtpHost, port: m.smtpPort, security: m.smtpSecurity, user: m.smtpUser,
    password: m.smtpPasswordSealed ? open(key(ctx), m.smtpPasswordSealed, smtpContext(m.id)) : '',
  };
}

export function imapSettingsOf(ctx: Pick<Deps, 'encryptionKey'>, m: store.MailboxRow): ImapSettings {
  return {
    host: m.imapHost, port: m.imapPort, tls: m.imapTls, user: m.imapUser,
    password: m.imapPasswordSealed ? open(key(ctx), m.imapPasswordSealed, imapContext(m.id)) : '',
  };
}

export function mailboxDomain(m: Pick<store.MailboxRow, 'address'>): string {
  return m.address.slice(m.address.lastIndexOf('@') + 1).toLowerCase();
}

/** « Tester la connexion »: SMTP (connection + authentication) and IMAP (login + folders). */
export async function testMailbox(ctx: Ctx, orgId: string, id: string, timeoutMs = 15_000) {
  const m = await requireMailbox(ctx, orgId, id);
  let smtp: { ok: boolean; message: string };
  const sender = smtpSender(smtpSettingsOf(ctx, m), { timeoutMs, clientName: mailboxDomain(m) });
  try {
    await sender.verify();
    smtp = { ok: true, message: `SMTP : connexion${m.smtpUser ? ' et authentification' : ''} réussies sur ${m.smtpHost}:${m.smtpPort}.` };
  } catch (err) {
    smtp = { ok: false, message: `SMTP : ${describeSmtpFailure(err as never)}` };
  } finally {
    sender.close();
  }
  const imap = await checkImap(imapSettingsOf(ctx, m), { inbox: m.inboxFolder, sent: m.sentFolder }, timeoutMs);
  const result = { ok: smtp.ok && imap.ok, smtp, imap, message: `${smtp.message} ${imap.message}` };
  await store.recordCheck(ctx.db, orgId, id, { ok: result.ok, message: result.message, at: ctx.clock.now() });
  // Reading needs IMAP only: a working IMAP resumes a reading stopped after failing too long.
  if (imap.ok && m.syncStoppedAt) await store.resumeSync(ctx.db, orgId, id);
  return result;
}
