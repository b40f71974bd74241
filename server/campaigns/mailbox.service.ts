/**
 * Mystery mailbox use cases: create and edit (passwords sealed, kept when left empty), delete
 * when unused, open the settings for SMTP/IMAP, and « tester la connexion » (both protocols,
 * each failure said precisely). Passwords are never returned to a page nor logged.
 */
import crypto from 'node:crypto';
import type { Deps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import { open, seal } from './secret-box';
import { smtpSender, type SmtpSettings } from './sending/mailer';
import { checkImap, type ImapSettings } from './tracking/imap-tracker';
import { parseNetworks, type MailHostPolicy } from './mail-host';
import { IMAP_CLEARTEXT_WARNING, describeStep, failedStep } from './mailbox-check';
import { DEFAULT_AUTOCONFIG_URLS, discover, type Provider } from './mail-discovery';
import * as store from './mailbox.store';
import type { MailboxInput } from './mailbox.schemas';

type Ctx = Pick<Deps, 'db' | 'clock' | 'encryptionKey' | 'config'>;

function hostPolicy(ctx: Pick<Deps, 'config'>): MailHostPolicy {
  return { allowedPrivateNetworks: parseNetworks(ctx.config.MAIL_PRIVATE_NETWORKS) };
}

function key(ctx: Pick<Deps, 'encryptionKey'>): Buffer {
  if (!ctx.encryptionKey) throw new AppError(500, 'no_encryption_key', 'La clé de chiffrement (ENCRYPTION_KEY) n’est pas chargée.');
  return ctx.encryptionKey;
}

const smtpContext = (id: string) => `mailbox:${id}:smtp`;
const imapContext = (id: string) => `mailbox:${id}:imap`;

function columns(v: Omit<MailboxInput, 'password'>) {
  return {
    displayName: v.displayName, address: v.address,
    smtpHost: v.smtpHost, smtpPort: v.smtpPort, smtpSecurity: v.smtpSecurity, smtpUser: v.smtpUser,
    imapHost: v.imapHost, imapPort: v.imapPort, imapTls: v.imapTls, imapUser: v.imapUser,
    inboxFolder: v.inboxFolder, sentFolder: v.sentFolder, serverSavesSent: v.serverSavesSent, plusAddressing: v.plusAddressing,
  };
}

export async function createMailbox(ctx: Ctx, orgId: string, input: Omit<MailboxInput, 'password'> & { password?: string }) {
  const k = key(ctx);
  const v = { ...input, smtpPassword: input.smtpPassword ?? (input.smtpUser ? input.password : undefined), imapPassword: input.imapPassword ?? input.password };
  const errors: Record<string, string> = {};
  if (!v.smtpPassword && v.smtpUser) errors.smtpPassword = 'Indiquez le mot de passe SMTP.';
  if (!v.imapPassword) {
    errors.imapPassword = 'Indiquez le mot de passe IMAP.';
    errors.password = 'Indiquez le mot de passe de la boîte.';
  }
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

/**
 * Empty password fields keep the stored passwords, but only for the same server, port, user and
 * security mode: a stored password is never sent anywhere it was not typed for (otherwise
 * changing the host to one you control and pressing « Tester » would hand it over).
 */
export async function updateMailbox(ctx: Ctx, orgId: string, id: string, v: Omit<MailboxInput, 'password'>) {
  const k = key(ctx);
  const old = await requireMailbox(ctx, orgId, id);
  const smtpMoved = old.smtpHost.toLowerCase() !== v.smtpHost.toLowerCase() || old.smtpPort !== v.smtpPort || old.smtpSecurity !== v.smtpSecurity || old.smtpUser !== v.smtpUser;
  const imapMoved = old.imapHost.toLowerCase() !== v.imapHost.toLowerCase() || old.imapPort !== v.imapPort || old.imapTls !== v.imapTls || old.imapUser !== v.imapUser;
  const errors: Record<string, string> = {};
  if (smtpMoved && v.smtpUser && !v.smtpPassword) errors.smtpPassword = 'Le serveur, le port, l’identifiant ou la sécurité SMTP ont changé : saisissez à nouveau le mot de passe SMTP.';
  if (!v.smtpUser && v.smtpPassword) errors.smtpUser = 'Indiquez l’identifiant SMTP qui va avec ce mot de passe.';
  if (imapMoved && !v.imapPassword) errors.imapPassword = 'Le serveur, le port, l’identifiant ou la sécurité IMAP ont changé : saisissez à nouveau le mot de passe IMAP.';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const row = await store.updateMailbox(ctx.db, orgId, id, {
    ...columns(v),
    // No SMTP user: no authentication, and no stored password left behind.
    ...(v.smtpPassword ? { smtpPasswordSealed: seal(k, v.smtpPassword, smtpContext(id)) } : !v.smtpUser ? { smtpPasswordSealed: null } : {}),
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

export function smtpSettingsOf(ctx: Pick<Deps, 'encryptionKey' | 'config'>, m: store.MailboxRow): SmtpSettings {
  return {
    host: m.smtpHost, port: m.smtpPort, security: m.smtpSecurity, user: m.smtpUser, hostPolicy: hostPolicy(ctx),
    password: m.smtpPasswordSealed ? open(key(ctx), m.smtpPasswordSealed, smtpContext(m.id)) : '',
  };
}

export function imapSettingsOf(ctx: Pick<Deps, 'encryptionKey' | 'config'>, m: store.MailboxRow): ImapSettings {
  return {
    host: m.imapHost, port: m.imapPort, tls: m.imapTls, user: m.imapUser, hostPolicy: hostPolicy(ctx),
    password: m.imapPasswordSealed ? open(key(ctx), m.imapPasswordSealed, imapContext(m.id)) : '',
  };
}

export function mailboxDomain(m: Pick<store.MailboxRow, 'address'>): string {
  return m.address.slice(m.address.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * « Tester la connexion »: SMTP (connection + authentication) and IMAP (login + folders). Each
 * failure names its step only (mailbox-check.ts); an IMAP session that went on in clear says so.
 */
export async function testMailbox(ctx: Ctx, orgId: string, id: string, timeoutMs = 15_000) {
  const m = await requireMailbox(ctx, orgId, id);
  let smtp: { ok: boolean; message: string };
  const sender = smtpSender(smtpSettingsOf(ctx, m), { timeoutMs, clientName: mailboxDomain(m) });
  try {
    await sender.verify();
    smtp = { ok: true, message: `SMTP : connexion${m.smtpUser ? ' et authentification' : ''} réussies sur ${m.smtpHost}:${m.smtpPort}.` };
  } catch (err) {
    smtp = { ok: false, message: describeStep('SMTP', failedStep(err)) };
  } finally {
    sender.close();
  }
  const imap = imapVerdict(m, await checkImap(imapSettingsOf(ctx, m), timeoutMs));
  const result = { ok: smtp.ok && imap.ok, smtp, imap, message: `${smtp.message} ${imap.message}` };
  await store.recordCheck(ctx.db, orgId, id, { ok: result.ok, message: result.message, at: ctx.clock.now(), imapEncrypted: imap.encrypted });
  // Reading needs IMAP only: a working IMAP resumes a reading stopped after failing too long.
  if (imap.ok && m.syncStoppedAt) await store.resumeSync(ctx.db, orgId, id);
  return result;
}

function imapVerdict(m: store.MailboxRow, c: Awaited<ReturnType<typeof checkImap>>): { ok: boolean; message: string; encrypted?: boolean } {
  if (c.error !== undefined || !c.folders) return { ok: false, message: describeStep('IMAP', failedStep(c.error)) };
  const clear = c.encrypted ? '' : ` ${IMAP_CLEARTEXT_WARNING}`;
  const missing = [m.inboxFolder, m.sentFolder].filter((f) => !c.folders!.includes(f));
  if (missing.length) {
    const hint = !c.folders.includes(m.sentFolder) && c.specialSent ? ` Le serveur désigne « ${c.specialSent} » comme dossier des messages envoyés.` : '';
    return { ok: false, encrypted: c.encrypted, message: `IMAP : dossier ${missing.map((f) => `« ${f} »`).join(' et ')} introuvable.${hint} Dossiers disponibles : ${c.folders.join(', ')}.${clear}` };
  }
  return { ok: true, encrypted: c.encrypted, message: `IMAP : connexion réussie, dossiers « ${m.inboxFolder} » et « ${m.sentFolder} » trouvés.${clear}` };
}

const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);

/** The mailbox assistant: settings proposed for an address (presets, SRV records, autoconfig). */
export async function proposeSettings(ctx: Pick<Deps, 'config'>, presets: Provider[], address: string) {
  return discover(address.trim().toLowerCase(), {
    presets,
    dnsServers: list(ctx.config.MAIL_DISCOVERY_DNS),
    autoconfigUrls: ctx.config.MAIL_AUTOCONFIG_URLS ? list(ctx.config.MAIL_AUTOCONFIG_URLS) : DEFAULT_AUTOCONFIG_URLS,
    hostPolicy: hostPolicy(ctx),
  });
}
