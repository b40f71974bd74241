/**
 * A real SMTP listener for tests (smtp-server in process, STARTTLS off, authentication
 * optional but checked when given) that DELIVERS: each accepted message is handed to
 * `deliver` (by default nothing), e.g. an IMAP APPEND into the recipient's Dovecot INBOX.
 * Failure injection: refuse recipients (5xx at RCPT) and fail the next messages with a reply
 * code (421/451 transient, 554 permanent…). Every accepted message is recorded.
 */
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  messageId: string | null;
  at: Date;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  received: ReceivedMessage[];
  /** Refuse a recipient at RCPT TO with this reply. */
  refuseRecipient(address: string, code: number, message: string): void;
  /** Refuse every recipient matching this pattern at RCPT TO (e.g. plus-addresses). */
  refuseMatching(pattern: RegExp, code: number, message: string): void;
  /** Fail the next `count` messages after DATA with this reply. */
  failNext(count: number, code: number, message: string): void;
  /** Messages accepted with this Message-ID (to check "sent once"). */
  countOf(messageId: string): number;
  close(): Promise<void>;
}

export interface SmtpOptions {
  users?: Record<string, string>;
  /** A certificate: STARTTLS is then offered (or, with `secure`, TLS from the first byte). */
  tls?: { certPem: string; keyPem: string; secure?: boolean };
  deliver?: (msg: ReceivedMessage) => Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtp(opts: SmtpOptions = {}): Promise<SmtpTestServer> {
  const received: ReceivedMessage[] = [];
  const refused = new Map<string, { code: number; message: string }>();
  const failures: { code: number; message: string }[] = [];
  const refusedPatterns: { pattern: RegExp; code: number; message: string }[] = [];
  const server = new SMTPServer({
    ...(opts.tls ? { key: opts.tls.keyPem, cert: opts.tls.certPem, secure: !!opts.tls.secure } : { disabledCommands: ['STARTTLS'] }),
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const expected = opts.users?.[auth.username ?? ''];
      if (expected === undefined || expected !== auth.password) return callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
      callback(null, { user: auth.username });
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback) {
      const r = refused.get(address.address.toLowerCase()) ?? refusedPatterns.find((p) => p.pattern.test(address.address));
      if (r) return callback(smtpError(r.code, r.message));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const failure = failures.shift();
        if (failure) return callback(smtpError(failure.code, failure.message));
        const raw = Buffer.concat(chunks);
        const head = raw.subarray(0, raw.indexOf('\r\n\r\n') > 0 ? raw.indexOf('\r\n\r\n') : raw.length).toString('utf8');
        const messageId = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? null;
        const msg: ReceivedMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw, messageId, at: new Date(),
        };
        received.push(msg);
        (opts.deliver ? opts.deliver(msg) : Promise.resolve()).then(
          () => callback(null, 'Ok: queued'),
          (err) => callback(smtpError(451, `4.3.0 delivery failed: ${(err as Error).message}`)),
        );
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    received,
    refuseRecipient(address, code, message) {
      refused.set(address.toLowerCase(), { code, message });
    },
    refuseMatching(pattern, code, message) {
      refusedPatterns.push({ pattern, code, message });
    },
    failNext(count, code, message) {
      for (let i = 0; i < count; i++) failures.push({ code, message });
    },
    countOf(messageId) {
      return received.filter((m) => m.messageId === messageId).length;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
