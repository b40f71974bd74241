/**
 * SMTP for mystery mailboxes: the only module that imports nodemailer.
 * - composeMessage(): the exact RFC 5322 bytes of a probe (our Message-ID, a plain citizen-like
 *   message: no X-Mailer, text only), so the copy appended to the sent folder is the same bytes;
 * - smtpSender(): sends those bytes with an explicit envelope, verifies a configuration;
 * - failures come out as SmtpError with the fields delivery-error.ts classifies.
 * Passwords are passed in already opened and never logged (nodemailer's logger is off).
 */
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { SmtpSecurity } from '../../storage/schema';
import { resolveMailHost, type MailHostPolicy } from '../mail-host';
import { tlsOptionsFor, type MailTls } from '../mail-tls';

export interface SmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string;
  password: string;
  /** Which non-public networks the host may resolve to (see mail-host.ts). */
  hostPolicy: MailHostPolicy;
  /** Extra authority and pinned certificate (see mail-tls.ts). */
  trust?: MailTls;
}

export interface OutgoingMessage {
  from: { name: string; address: string };
  replyTo?: string | null;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  date: Date;
}

export class SmtpError extends Error {
  constructor(message: string, public readonly code: string | null, public readonly responseCode: number | null, public readonly response: string | null, public readonly stage: string | null) {
    super(message);
    this.name = 'SmtpError';
  }
}

/** A Message-ID on the mystery mailbox's domain, shaped like a mail client's. */
export function newMessageId(address: string): string {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase() || 'localhost';
  const id = crypto.randomUUID();
  return `<${id}@${domain}>`;
}

export async function composeMessage(msg: OutgoingMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: msg.from.name, address: msg.from.address },
    to: msg.to,
    replyTo: msg.replyTo ?? undefined,
    subject: msg.subject,
    text: msg.text,
    messageId: msg.messageId,
    date: msg.date,
    textEncoding: 'quoted-printable',
  });
  const raw = await composer.compile().build();
  // CRLF everywhere, as SMTP transmits it: the bytes stored, sent and appended are then the same
  // (nodemailer would otherwise turn the body's bare LFs into CRLF only on the wire).
  return Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

function toSmtpError(err: unknown): SmtpError {
  const e = err as { message?: string; code?: string; responseCode?: number; response?: string; command?: string };
  return new SmtpError(e?.message ?? String(err), e?.code ?? null, typeof e?.responseCode === 'number' ? e.responseCode : null, e?.response ?? null, e?.command ?? null);
}

export interface SmtpSender {
  send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<{ response: string; accepted: string[]; rejected: string[] }>;
  verify(): Promise<void>;
  close(): void;
}

export function smtpSender(s: SmtpSettings, opts: { timeoutMs?: number; clientName?: string } = {}): SmtpSender {
  const timeout = opts.timeoutMs ?? 30_000;
  let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
  // The host is resolved and checked once, then the checked address is what we connect to.
  const ready = async () => {
    if (transport) return transport;
    let target: Awaited<ReturnType<typeof resolveMailHost>>;
    try {
      target = await resolveMailHost(s.host, s.hostPolicy);
    } catch (err) {
      throw toSmtpError(err);
    }
    transport = createTransport(s, target, timeout, opts.clientName);
    return transport;
  };
  return {
    async send(envelope, raw) {
      try {
        const info = await (await ready()).sendMail({ envelope, raw });
        if (info.rejected?.length && !info.accepted?.length) {
          const rejected = (info as { rejectedErrors?: { response?: string; responseCode?: number }[] }).rejectedErrors?.[0];
          throw new SmtpError('recipient rejected', 'EENVELOPE', rejected?.responseCode ?? 550, rejected?.response ?? null, 'RCPT TO');
        }
        return { response: String(info.response ?? ''), accepted: (info.accepted ?? []).map(String), rejected: (info.rejected ?? []).map(String) };
      } catch (err) {
        throw err instanceof SmtpError ? err : toSmtpError(err);
      }
    },
    async verify() {
      try {
        await (await ready()).verify();
      } catch (err) {
        throw err instanceof SmtpError ? err : toSmtpError(err);
      }
    },
    close() {
      transport?.close();
    },
  };
}

function createTransport(s: SmtpSettings, target: { address: string; servername: string | undefined }, timeout: number, clientName: string | undefined) {
  return nodemailer.createTransport({
    host: target.address,
    servername: target.servername,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    auth: s.user ? { user: s.user, pass: s.password } : undefined,
    // The EHLO name: the mailbox's domain, as a mail client would, not this server's host name.
    name: clientName,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    tls: tlsOptionsFor(s.trust),
    logger: false,
    debug: false,
  });
}
