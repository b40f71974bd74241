/**
 * Mystery mailbox use cases: create and edit (passwords sealed, kept when left empty), delete
 * when unused, open the settings for SMTP/IMAP, and « tester la connexion » (both protocols,
 * each failure said precisely). Passwords are never returned to a page nor logged.
 */
import crypto from 'node:crypto';
import type { Deps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import { formatDate } from '../format';
import { checkPlusAddressing, type PlusCheck } from './plus-check';
import { open, seal } from './secret-box';
import { smtpSender, type SmtpSettings } from './sending/mailer';
import { checkImap, type ImapSettings } from './tracking/imap-tracker';
import { parseNetworks, resolveMailHost, type MailHostPolicy } from './mail-host';
import { fetchPresentedCertificate, type HandshakeMode, type MailTls, type PresentedCertificate } from './mail-tls';
import { IMAP_CLEARTEXT_WARNING, describeStep, failedStep } from './mailbox-check';
import { DEFAULT_AUTOCONFIG_URLS, discover, type Provider } from './mail-discovery';
import * as store from './mailbox.store';
import type { MailboxInput } from './mailbox.schemas';

type Ctx = Pick<Deps, 'db' | 'clock' | 'encryptionKey' | 'config'>;
type TlsFields = 'tlsCaPem' | 'smtpTlsPin' | 'imapTlsPin';
/** The form's fields; the TLS trust ones may be left out (none). */
type MailboxFields = Omit<MailboxInput, 'password' | TlsFields> & Partial<Pick<MailboxInput, TlsFields>>;

function hostPolicy(ctx: Pick<Deps, 'config'>): MailHostPolicy {
  return { allowedPrivateNetworks: parseNetworks(ctx.config.MAIL_PRIVATE_NETWORKS) };
}

function key(ctx: Pick<Deps, 'encryptionKey'>): Buffer {
  if (!ctx.encryptionKey) throw new AppError(500, 'no_encryption_key', 'La clé de chiffrement (ENCRYPTION_KEY) n’est pas chargée.');
  return ctx.encryptionKey;
}

const smtpContext = (id: string) => `mailbox:${id}:smtp`;
const imapContext = (id: string) => `mailbox:${id}:imap`;

function columns(v: MailboxFields) {
  return {
    displayName: v.displayName, address: v.address,
    smtpHost: v.smtpHost, smtpPort: v.smtpPort, smtpSecurity: v.smtpSecurity, smtpUser: v.smtpUser,
    imapHost: v.imapHost, imapPort: v.imapPort, imapTls: v.imapTls, imapUser: v.imapUser,
    inboxFolder: v.inboxFolder, sentFolder: v.sentFolder, serverSavesSent: v.serverSavesSent, plusAddressing: v.plusAddressing,
    tlsCaPem: v.tlsCaPem ?? null, smtpTlsPin: v.smtpTlsPin ?? null, imapTlsPin: v.imapTlsPin ?? null,
  };
}

export async function createMailbox(ctx: Ctx, orgId: string, input: MailboxFields & { password?: string }) {
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
export async function updateMailbox(ctx: Ctx, orgId: string, id: string, v: MailboxFields) {
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
    // A changed pin forgets the certificate read for the previous one.
    ...(old.smtpTlsPin !== (v.smtpTlsPin ?? null) ? { smtpTlsPinPem: null } : {}),
    ...(old.imapTlsPin !== (v.imapTlsPin ?? null) ? { imapTlsPinPem: null } : {}),
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

type Protocol = 'smtp' | 'imap';

export function trustOf(m: store.MailboxRow, p: Protocol): MailTls {
  const pin = p === 'smtp' ? m.smtpTlsPin : m.imapTlsPin;
  return { caPem: m.tlsCaPem, pin: pin ? { sha256: pin, pem: p === 'smtp' ? m.smtpTlsPinPem : m.imapTlsPinPem } : null };
}

export function smtpSettingsOf(ctx: Pick<Deps, 'encryptionKey' | 'config'>, m: store.MailboxRow): SmtpSettings {
  return {
    host: m.smtpHost, port: m.smtpPort, security: m.smtpSecurity, user: m.smtpUser, hostPolicy: hostPolicy(ctx), trust: trustOf(m, 'smtp'),
    password: m.smtpPasswordSealed ? open(key(ctx), m.smtpPasswordSealed, smtpContext(m.id)) : '',
  };
}

export function imapSettingsOf(ctx: Pick<Deps, 'encryptionKey' | 'config'>, m: store.MailboxRow): ImapSettings {
  return {
    host: m.imapHost, port: m.imapPort, tls: m.imapTls, user: m.imapUser, hostPolicy: hostPolicy(ctx), trust: trustOf(m, 'imap'),
    password: m.imapPasswordSealed ? open(key(ctx), m.imapPasswordSealed, imapContext(m.id)) : '',
  };
}

export function mailboxDomain(m: Pick<store.MailboxRow, 'address'>): string {
  return m.address.slice(m.address.lastIndexOf('@') + 1).toLowerCase();
}

/** Where the TLS handshake of a protocol starts (for reading the presented certificate). */
function handshakeOf(m: store.MailboxRow, p: Protocol): { host: string; port: number; mode: HandshakeMode } | null {
  if (p === 'smtp') return m.smtpSecurity === 'none' ? null : { host: m.smtpHost, port: m.smtpPort, mode: m.smtpSecurity === 'tls' ? 'tls' : 'smtp-starttls' };
  return { host: m.imapHost, port: m.imapPort, mode: m.imapTls ? 'tls' : 'imap-starttls' };
}

/** The certificate a server presents, read without trusting it (no credentials sent); null when it cannot be read. */
async function presentedCertificate(ctx: Pick<Deps, 'config'>, m: store.MailboxRow, p: Protocol, timeoutMs: number): Promise<PresentedCertificate | null> {
  const h = handshakeOf(m, p);
  if (!h) return null;
  try {
    const target = await resolveMailHost(h.host, hostPolicy(ctx));
    return await fetchPresentedCertificate(target.address, h.port, target.servername, h.mode, timeoutMs);
  } catch {
    return null;
  }
}

const certText = (c: PresentedCertificate) => `Ce serveur présente un certificat émis par « ${c.issuer} » pour « ${c.subject} », valable jusqu’au ${formatDate(new Date(c.validTo))}, d’empreinte SHA-256 ${c.sha256}.`;

/**
 * A pin typed without its certificate: the test reads the certificate the server presents, and
 * keeps it only when its fingerprint is the pinned one. Returns a failure message otherwise
 * (nothing is then sent to the server, no password).
 */
async function completePin(ctx: Ctx, orgId: string, m: store.MailboxRow, p: Protocol, timeoutMs: number): Promise<{ mailbox: store.MailboxRow; failure?: string }> {
  const pin = p === 'smtp' ? m.smtpTlsPin : m.imapTlsPin;
  const pem = p === 'smtp' ? m.smtpTlsPinPem : m.imapTlsPinPem;
  if (!pin || pem || !handshakeOf(m, p)) return { mailbox: m };
  const label = p.toUpperCase();
  const c = await presentedCertificate(ctx, m, p, timeoutMs);
  if (!c) return { mailbox: m, failure: `${label} : le certificat du serveur n’a pas pu être lu pour le comparer à l’empreinte indiquée.` };
  if (c.sha256 !== pin) {
    return { mailbox: m, failure: `${label} : certificat refusé : le serveur présente un certificat d’empreinte ${c.sha256}, différente de l’empreinte indiquée (${pin}). Aucun mot de passe n’a été envoyé.` };
  }
  const row = await store.updateMailbox(ctx.db, orgId, m.id, p === 'smtp' ? { smtpTlsPinPem: c.pem } : { imapTlsPinPem: c.pem });
  return { mailbox: row ?? m };
}

/**
 * « Tester la connexion »: SMTP (connection + authentication) and IMAP (login + folders). Each
 * failure names its step only (mailbox-check.ts); an IMAP session that went on in clear says so.
 * A certificate that is not trusted is read and described, so the referent can accept it (pin)
 * or give its authority's certificate.
 */
export async function testMailbox(ctx: Ctx, orgId: string, id: string, timeoutMs = 15_000, opts: { plusWaitMs?: number } = {}) {
  let m = await requireMailbox(ctx, orgId, id);
  const certificates: { protocol: Protocol; subject: string; issuer: string; validTo: string; sha256: string }[] = [];
  const certificateFailure = async (p: Protocol) => {
    const pinned = p === 'smtp' ? m.smtpTlsPin : m.imapTlsPin;
    const c = await presentedCertificate(ctx, m, p, timeoutMs);
    if (c) certificates.push({ protocol: p, subject: c.subject, issuer: c.issuer, validTo: c.validTo, sha256: c.sha256 });
    const head = pinned
      ? `${p.toUpperCase()} : le certificat présenté n’est pas celui qui a été accepté (empreinte ${pinned}).`
      : describeStep(p === 'smtp' ? 'SMTP' : 'IMAP', 'certificate');
    return c ? `${head} ${certText(c)}` : head;
  };

  let smtp: { ok: boolean; message: string };
  const smtpPin = await completePin(ctx, orgId, m, 'smtp', timeoutMs);
  m = smtpPin.mailbox;
  if (smtpPin.failure) smtp = { ok: false, message: smtpPin.failure };
  else {
    const sender = smtpSender(smtpSettingsOf(ctx, m), { timeoutMs, clientName: mailboxDomain(m) });
    try {
      await sender.verify();
      smtp = { ok: true, message: `SMTP : connexion${m.smtpUser ? ' et authentification' : ''} réussies sur ${m.smtpHost}:${m.smtpPort}.` };
    } catch (err) {
      const step = failedStep(err);
      smtp = { ok: false, message: step === 'certificate' ? await certificateFailure('smtp') : describeStep('SMTP', step) };
    } finally {
      sender.close();
    }
  }
  const imapPin = await completePin(ctx, orgId, m, 'imap', timeoutMs);
  m = imapPin.mailbox;
  let imap: { ok: boolean; message: string; encrypted?: boolean };
  if (imapPin.failure) imap = { ok: false, message: imapPin.failure };
  else {
    const checked = await checkImap(imapSettingsOf(ctx, m), timeoutMs);
    imap = imapVerdict(m, checked);
    if (!imap.ok && checked.error !== undefined && failedStep(checked.error) === 'certificate') imap.message = await certificateFailure('imap');
  }
  let plus: PlusCheck | null = null;
  if (smtp.ok && imap.ok && m.plusAddressing) plus = await checkPlusAddressing(ctx, m, smtpSettingsOf(ctx, m), imapSettingsOf(ctx, m), timeoutMs, opts.plusWaitMs ?? 20_000);
  const ok = smtp.ok && imap.ok && (plus === null || plus.ok);
  const message = [smtp.message, imap.message, plus?.message].filter(Boolean).join(' ');
  const result = { ok, smtp, imap, plus, certificates, message };
  await store.recordCheck(ctx.db, orgId, id, { ok, message, at: ctx.clock.now(), imapEncrypted: imap.encrypted, certificates, plusAddressing: plus ? plus.ok : null });
  if (smtp.ok && m.sendErrorAt) await store.recordSendError(ctx.db, orgId, id, null);
  // Reading needs IMAP only: a working IMAP resumes a reading stopped after failing too long.
  if (imap.ok && m.syncStoppedAt) await store.resumeSync(ctx.db, orgId, id);
  return result;
}

/**
 * « Accepter ce certificat »: reads the certificate the server presents now and pins it, only if
 * it is still the one the referent saw (same fingerprint).
 */
export async function acceptCertificate(ctx: Ctx, orgId: string, id: string, p: Protocol, sha256: string, timeoutMs = 15_000) {
  const m = await requireMailbox(ctx, orgId, id);
  const c = await presentedCertificate(ctx, m, p, timeoutMs);
  if (!c || c.sha256 !== sha256) throw new ValidationError({ _: 'Le serveur ne présente plus ce certificat : relancez le test de connexion.' });
  await store.updateMailbox(ctx.db, orgId, id, {
    ...(p === 'smtp' ? { smtpTlsPin: c.sha256, smtpTlsPinPem: c.pem } : { imapTlsPin: c.sha256, imapTlsPinPem: c.pem }),
    lastCheckCertificates: (m.lastCheckCertificates ?? []).filter((x) => x.protocol !== p),
  });
  return c;
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
