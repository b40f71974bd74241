/**
 * Plays the prefecture's services for mystery e-mail tests: builds the messages services send
 * back (automatic and written acknowledgements, answers with and without a conforming
 * signature, an agent's out-of-office notice, a bounce report, a newsletter) with their Date
 * headers set to the wanted times, and delivers them into the mystery mailbox over IMAP APPEND.
 * It also builds hand-sent probes for the sent folder (analyse mode), and reads what the SMTP
 * test server delivered to services (send mode). Our own builder: plain text, 8-bit UTF-8.
 */
import crypto from 'node:crypto';
import { ImapFlow } from 'imapflow';
import type { Dovecot } from './dovecot';
import { rfc2822, type Address, type SeenProbe } from '../../server/demo/mail-messages.demo';

// One RFC 5322 date writer and one probe shape for the demo and the tests.
export { rfc2822 };
export type { Address, SeenProbe };


export interface MessageSpec {
  from: Address;
  to: Address | string;
  subject: string;
  date: Date;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  text: string;
}

const HOUR = 3600_000;

function encodeWord(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

function addr(a: Address | string): string {
  if (typeof a === 'string') return a;
  return a.name ? `${/^[\x20-\x7e]*$/.test(a.name) ? `"${a.name}"` : encodeWord(a.name)} <${a.address}>` : a.address;
}

export function messageId(domain: string): string {
  return `<${crypto.randomBytes(12).toString('hex')}@${domain}>`;
}

const domainOf = (a: string) => a.slice(a.lastIndexOf('@') + 1);

export function buildMessage(m: MessageSpec): Buffer {
  const from = typeof m.from === 'string' ? m.from : m.from.address;
  const lines = [
    `From: ${addr(m.from)}`,
    `To: ${addr(m.to)}`,
    `Subject: ${encodeWord(m.subject)}`,
    `Date: ${rfc2822(m.date)}`,
    `Message-ID: ${m.messageId ?? messageId(domainOf(from))}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
    ...(m.references?.length ? [`References: ${m.references.join(' ')}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${m.text.replace(/\r?\n/g, '\r\n')}\r\n`, 'utf8');
}

function quoted(p: SeenProbe): string {
  return [
    '',
    `De : ${p.from.name ?? ''} <${p.from.address}>`,
    `Envoyé : ${rfc2822(p.date)}`,
    `À : ${p.to}`,
    `Objet : ${p.subject}`,
    '',
    p.text,
  ].join('\n');
}

export interface Agent {
  firstName: string;
  lastName: string;
  function: string;
  service: string;
  address: string;
  phone: string;
}

export function signatureOf(a: Agent, conforming = true): string {
  return [
    `${a.firstName} ${a.lastName.toUpperCase()}`,
    a.function,
    a.service,
    'Préfecture de la Haute-Savoie',
    '30 rue du 30ème Régiment d’Infanterie - BP 2332',
    '74034 ANNECY CEDEX',
    ...(conforming ? [`Tél. : ${a.phone}`] : []),
  ].join('\n');
}

/** An automatic acknowledgement (Exchange style: Auto-Submitted, « Réponse automatique »). */
export function autoAck(p: SeenProbe, at: Date, from: Address, opts: { inReplyTo?: boolean } = {}): Buffer {
  return buildMessage({
    from, to: p.from, date: at, subject: `Réponse automatique : ${p.subject}`,
    inReplyTo: opts.inReplyTo === false ? undefined : p.messageId, references: opts.inReplyTo === false ? undefined : [p.messageId],
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    text: 'Bonjour,\n\nNous avons bien reçu votre message. Il sera traité dans les meilleurs délais par le service compétent.\n\nCeci est un message automatique, merci de ne pas y répondre.\n\nPréfecture de la Haute-Savoie',
  });
}

/** A short acknowledgement written by an agent (no automatic header). */
export function humanAck(p: SeenProbe, at: Date, from: Address): Buffer {
  return buildMessage({
    from, to: p.from, date: at, subject: `RE: ${p.subject}`, inReplyTo: p.messageId, references: [p.messageId],
    text: `Bonjour,\n\nNous accusons réception de votre message, qui a été transmis au service compétent. Une réponse vous sera apportée dans les meilleurs délais.\n\nCordialement,\nL’accueil de la préfecture\n${quoted(p)}`,
  });
}

/** A substantive answer, signed (conforming or without the phone number). */
export function answer(p: SeenProbe, at: Date, agent: Agent, opts: { conforming?: boolean; via?: 'in-reply-to' | 'forward'; body?: string } = {}): Buffer {
  const via = opts.via ?? 'in-reply-to';
  const body = opts.body ?? 'Vous trouverez les informations demandées sur le site internet des services de l’État en Haute-Savoie, rubrique « Démarches administratives ». Le dépôt se fait sur rendez-vous, du lundi au vendredi, et les pièces justificatives sont listées sur la notice jointe au formulaire. N’hésitez pas à revenir vers nous si un document vous manque.';
  return buildMessage({
    from: { name: `${agent.lastName.toUpperCase()} ${agent.firstName}`, address: agent.address },
    to: p.from, date: at,
    subject: via === 'forward' ? `RE: TR: ${p.subject}` : `RE: ${p.subject}`,
    ...(via === 'in-reply-to' ? { inReplyTo: p.messageId, references: [p.messageId] } : {}),
    text: `Bonjour Madame,\n\n${body}\n\nCordialement,\n\n${signatureOf(agent, opts.conforming !== false)}\n${quoted(p)}`,
  });
}

/** The out-of-office notice of an individual agent (not the service's acknowledgement). */
export function outOfOffice(p: SeenProbe, at: Date, from: Address): Buffer {
  return buildMessage({
    from, to: p.from, date: at, subject: `Absent : ${p.subject}`, inReplyTo: p.messageId,
    headers: { 'Auto-Submitted': 'auto-replied' },
    text: 'Bonjour,\n\nJe suis absent du bureau jusqu’au 1er juillet inclus. Votre message sera lu à mon retour.\n\nCordialement',
  });
}

/** A delivery-status report for a probe whose address does not exist (Postfix style). */
export function bounce(p: SeenProbe, at: Date, mta: string): Buffer {
  const boundary = `dsn-${crypto.randomBytes(6).toString('hex')}`;
  const head = [
    `From: Mail Delivery System <MAILER-DAEMON@${mta}>`,
    `To: ${p.from.address}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${rfc2822(at)}`,
    `Message-ID: ${messageId(mta)}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
  ].join('\r\n');
  const parts = [
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThis is the mail system at host ${mta}.\r\n\r\nI'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.\r\n\r\n<${p.to}>: host ${mta} said: 550 5.1.1 <${p.to}>: Recipient address rejected: User unknown in virtual mailbox table\r\n`,
    `--${boundary}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; ${mta}\r\nArrival-Date: ${rfc2822(p.date)}\r\n\r\nFinal-Recipient: rfc822; ${p.to}\r\nOriginal-Recipient: rfc822;${p.to}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <${p.to}>: Recipient address rejected: User unknown in virtual mailbox table\r\n`,
    `--${boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: ${addr(p.from)}\r\nTo: ${p.to}\r\nSubject: ${encodeWord(p.subject)}\r\nMessage-ID: ${p.messageId}\r\nDate: ${rfc2822(p.date)}\r\n`,
    `--${boundary}--\r\n`,
  ];
  return Buffer.from(`${head}\r\n\r\n${parts.join('\r\n')}`, 'utf8');
}

export function newsletter(to: string, at: Date): Buffer {
  return buildMessage({
    from: { name: 'Lettre du quartier', address: 'lettre@association-quartier.example' }, to, date: at, subject: 'La lettre de juin',
    headers: { Precedence: 'bulk', 'List-Unsubscribe': '<mailto:desinscription@association-quartier.example>', 'List-Id': '<lettre.association-quartier.example>' },
    text: 'Bonjour,\n\nVoici les nouvelles du quartier : fête des voisins le 21 juin, vide-grenier le 30.\n\nPour vous désinscrire, répondez STOP.',
  });
}

/** A probe written by hand from the mystery mailbox (analyse mode: found in its sent folder). */
export function handSentProbe(from: Address, to: string, subject: string, text: string, at: Date): { raw: Buffer; probe: SeenProbe } {
  const id = messageId(domainOf(from.address));
  const raw = buildMessage({ from, to, subject, date: at, messageId: id, headers: { 'User-Agent': 'Mozilla/5.0 Thunderbird/60.7.0' }, text });
  return { raw, probe: { messageId: id, subject, from, to, date: at, text } };
}

export const after = (d: Date, hours: number) => new Date(d.getTime() + hours * HOUR);

/** IMAP access to a Dovecot account, for delivering and reading as a service would. */
export async function imapClient(dovecot: Dovecot, user: string, password: string): Promise<ImapFlow> {
  const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: password }, logger: false });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** Appends messages to a folder of an account (one connection for the lot). */
export async function deliver(dovecot: Dovecot, account: { user: string; password: string }, folder: string, messages: (Buffer | { raw: Buffer; date?: Date })[]) {
  const c = await imapClient(dovecot, account.user, account.password);
  try {
    for (const m of messages) {
      const raw = Buffer.isBuffer(m) ? m : m.raw;
      const date = Buffer.isBuffer(m) ? undefined : m.date;
      await c.append(folder, raw, folder === 'INBOX' ? [] : ['\\Seen'], date);
    }
  } finally {
    await c.logout().catch(() => c.close());
  }
}

/** What a service finds in its inbox: the probes it received, oldest first. */
export async function readInbox(dovecot: Dovecot, account: { user: string; password: string }): Promise<SeenProbe[]> {
  const { simpleParser } = await import('mailparser');
  const c = await imapClient(dovecot, account.user, account.password);
  const out: SeenProbe[] = [];
  try {
    const lock = await c.getMailboxLock('INBOX');
    try {
      if ((c.mailbox as { exists: number }).exists === 0) return [];
      const msgs = await c.fetchAll('1:*', { source: true, uid: true });
      for (const m of msgs) {
        const p = await simpleParser(m.source!);
        const from = p.from?.value[0];
        out.push({
          messageId: p.messageId!, subject: p.subject ?? '', from: { name: from?.name, address: from?.address ?? '' },
          to: account.user, date: p.date!, text: p.text ?? '',
        });
      }
    } finally {
      lock.release();
    }
  } finally {
    await c.logout().catch(() => c.close());
  }
  return out.sort((a, b) => a.date.getTime() - b.date.getTime());
}

/**
 * The delivery side of the SMTP test server: a message to a service account is appended to its
 * INBOX; a message to an address listed in `bouncing` is accepted, then a bounce report goes
 * back into the sender's INBOX (as a real MTA does after a remote refusal).
 */
export function deliverer(dovecot: Dovecot, accounts: Map<string, { user: string; password: string }>, bouncing: Set<string>, opts: { mta?: string; saveSentFor?: Set<string> } = {}) {
  const mta = opts.mta ?? 'mx.prefecture.example';
  return async (msg: { from: string; to: string[]; raw: Buffer }) => {
    const { simpleParser } = await import('mailparser');
    // A provider that files a copy of what its users send (as Gmail or Outlook.com do).
    const own = accounts.get(msg.from.toLowerCase());
    if (own && opts.saveSentFor?.has(msg.from.toLowerCase())) await deliver(dovecot, own, 'Sent', [msg.raw]);
    for (const rcpt of msg.to) {
      const account = accounts.get(rcpt.toLowerCase());
      if (account) {
        await deliver(dovecot, account, 'INBOX', [msg.raw]);
      } else if (bouncing.has(rcpt.toLowerCase())) {
        const p = await simpleParser(msg.raw);
        const sender = accounts.get(msg.from.toLowerCase());
        if (!sender) continue;
        const seen: SeenProbe = { messageId: p.messageId!, subject: p.subject ?? '', from: { name: p.from?.value[0]?.name, address: msg.from }, to: rcpt, date: p.date ?? new Date(), text: p.text ?? '' };
        await deliver(dovecot, sender, 'INBOX', [bounce(seen, after(seen.date, 0.01), mta)]);
      }
    }
  };
}
