/**
 * The raw messages of the demo's mystery e-mail campaign, as a mystery mailbox would hold them:
 * probes written by hand (sent folder) and what the services sent back (inbox): automatic and
 * written acknowledgements, signed answers, an agent's out-of-office notice, a bounce report,
 * a newsletter. Plain text, 8-bit UTF-8, Date headers in Paris time. Message-IDs come from the
 * caller (a seeded generator), so the demo is the same on every first start.
 * (The tests' builder, test/helpers/mail-services.ts, adds IMAP delivery and shares the date writer.)
 */
export interface Address {
  name?: string;
  address: string;
}

/** A probe as the service saw it. */
export interface SeenProbe {
  messageId: string;
  subject: string;
  from: Address;
  to: string;
  date: Date;
  text: string;
}

export interface Agent {
  firstName: string;
  lastName: string;
  function: string;
  service: string;
  address: string;
  phone: string;
}

const encodeWord = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`);
const addr = (a: Address | string) => (typeof a === 'string' ? a : a.name ? `${encodeWord(a.name)} <${a.address}>` : a.address);

/** RFC 5322 date in Paris time with its offset, as French servers write it. */
export function rfc2822(d: Date): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((p) => [p.type, p.value]));
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const local = Date.UTC(Number(parts.year), months.indexOf(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offMin = Math.round((local - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  const off = `${offMin >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(offMin) / 60)).padStart(2, '0')}${String(Math.abs(offMin) % 60).padStart(2, '0')}`;
  return `${parts.weekday}, ${parts.day} ${parts.month} ${parts.year} ${parts.hour}:${parts.minute}:${parts.second} ${off}`;
}

interface Spec {
  from: Address;
  to: Address | string;
  subject: string;
  date: Date;
  messageId: string;
  inReplyTo?: string;
  headers?: Record<string, string>;
  text: string;
}

function build(m: Spec): Buffer {
  const lines = [
    `From: ${addr(m.from)}`, `To: ${addr(m.to)}`, `Subject: ${encodeWord(m.subject)}`, `Date: ${rfc2822(m.date)}`, `Message-ID: ${m.messageId}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${m.text.replace(/\r?\n/g, '\r\n')}\r\n`, 'utf8');
}

const quoted = (p: SeenProbe) => ['', `De : ${p.from.name ?? ''} <${p.from.address}>`, `Envoyé : ${rfc2822(p.date)}`, `À : ${p.to}`, `Objet : ${p.subject}`, '', p.text].join('\n');

export function handSentProbe(from: Address, to: string, subject: string, text: string, at: Date, messageId: string): { raw: Buffer; probe: SeenProbe } {
  const raw = build({ from, to, subject, date: at, messageId, headers: { 'User-Agent': 'Mozilla/5.0 Thunderbird/115.0' }, text });
  return { raw, probe: { messageId, subject, from, to, date: at, text } };
}

export function autoAck(p: SeenProbe, at: Date, from: Address, messageId: string): Buffer {
  return build({
    from, to: p.from, date: at, messageId, subject: `Réponse automatique : ${p.subject}`, inReplyTo: p.messageId,
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    text: 'Bonjour,\n\nNous avons bien reçu votre message. Il sera traité dans les meilleurs délais par le service compétent.\n\nCeci est un message automatique, merci de ne pas y répondre.\n\nPréfecture de la Haute-Savoie',
  });
}

export function humanAck(p: SeenProbe, at: Date, from: Address, messageId: string): Buffer {
  return build({
    from, to: p.from, date: at, messageId, subject: `RE: ${p.subject}`, inReplyTo: p.messageId,
    text: `Bonjour,\n\nNous accusons réception de votre message, qui a été transmis au service compétent. Une réponse vous sera apportée dans les meilleurs délais.\n\nCordialement,\nL’accueil de la préfecture\n${quoted(p)}`,
  });
}

export function signatureOf(a: Agent, conforming: boolean): string {
  return [
    `${a.firstName} ${a.lastName.toUpperCase()}`, a.function, a.service, 'Préfecture de la Haute-Savoie',
    '30 rue du 30ème Régiment d’Infanterie - BP 2332', '74034 ANNECY CEDEX', ...(conforming ? [`Tél. : ${a.phone}`] : []),
  ].join('\n');
}

/** A signed answer, in the thread (In-Reply-To) or after an internal forward (« RE: TR: », no thread headers). */
export function answer(p: SeenProbe, at: Date, agent: Agent, messageId: string, opts: { conforming: boolean; forwarded: boolean }): Buffer {
  const body = 'Vous trouverez les informations demandées sur le site internet des services de l’État en Haute-Savoie, rubrique « Démarches administratives ». Le dépôt se fait sur rendez-vous, du lundi au vendredi, et les pièces justificatives sont listées sur la notice jointe au formulaire. N’hésitez pas à revenir vers nous si un document vous manque.';
  return build({
    from: { name: `${agent.lastName.toUpperCase()} ${agent.firstName}`, address: agent.address }, to: p.from, date: at, messageId,
    subject: opts.forwarded ? `RE: TR: ${p.subject}` : `RE: ${p.subject}`,
    ...(opts.forwarded ? {} : { inReplyTo: p.messageId }),
    text: `Bonjour Madame,\n\n${body}\n\nCordialement,\n\n${signatureOf(agent, opts.conforming)}\n${quoted(p)}`,
  });
}

export function outOfOffice(p: SeenProbe, at: Date, from: Address, messageId: string): Buffer {
  return build({
    from, to: p.from, date: at, messageId, subject: `Absent : ${p.subject}`, inReplyTo: p.messageId, headers: { 'Auto-Submitted': 'auto-replied' },
    text: 'Bonjour,\n\nJe suis absent du bureau jusqu’au 1er juillet inclus. Votre message sera lu à mon retour.\n\nCordialement',
  });
}

/** A delivery-status report (Postfix style) for a probe whose address does not exist. */
export function bounce(p: SeenProbe, at: Date, mta: string, messageId: string): Buffer {
  const boundary = `dsn-${messageId.replace(/[^a-z0-9]/gi, '').slice(0, 12)}`;
  const reason = `550 5.1.1 <${p.to}>: Recipient address rejected: User unknown in virtual mailbox table`;
  const head = [
    `From: Mail Delivery System <MAILER-DAEMON@${mta}>`, `To: ${p.from.address}`, 'Subject: Undelivered Mail Returned to Sender', `Date: ${rfc2822(at)}`,
    `Message-ID: ${messageId}`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0', `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
  ].join('\r\n');
  const parts = [
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThis is the mail system at host ${mta}.\r\n\r\nI'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.\r\n\r\n<${p.to}>: host ${mta} said: ${reason}\r\n`,
    `--${boundary}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; ${mta}\r\nArrival-Date: ${rfc2822(p.date)}\r\n\r\nFinal-Recipient: rfc822; ${p.to}\r\nOriginal-Recipient: rfc822;${p.to}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; ${reason}\r\n`,
    `--${boundary}\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: ${addr(p.from)}\r\nTo: ${p.to}\r\nSubject: ${encodeWord(p.subject)}\r\nMessage-ID: ${p.messageId}\r\nDate: ${rfc2822(p.date)}\r\n`,
    `--${boundary}--\r\n`,
  ];
  return Buffer.from(`${head}\r\n\r\n${parts.join('\r\n')}`, 'utf8');
}

export function newsletter(to: string, at: Date, messageId: string): Buffer {
  return build({
    from: { name: 'Lettre du quartier', address: 'lettre@association-quartier.test' }, to, date: at, messageId, subject: 'La lettre de juin',
    headers: { Precedence: 'bulk', 'List-Unsubscribe': '<mailto:desinscription@association-quartier.test>', 'List-Id': '<lettre.association-quartier.test>' },
    text: 'Bonjour,\n\nVoici les nouvelles du quartier : fête des voisins le 21 juin, vide-grenier le 30.\n\nPour vous désinscrire, répondez STOP.',
  });
}
