/**
 * Per-mailbox TLS trust (issue 14). State mail servers often present a certificate issued by the
 * administration's own certification authority, which Node does not trust by default. A mailbox
 * may therefore carry:
 * - an authority's certificate (PEM), trusted in addition to the usual public authorities, for
 *   both its SMTP and its IMAP server (the host name is still checked);
 * - per protocol, a pinned server certificate: its SHA-256 fingerprint, and the certificate
 *   itself once a test has read it from the server. A pinned certificate is trusted as its own
 *   authority (OpenSSL partial chain) and only when its fingerprint is exactly the pinned one;
 *   the host name is not checked then (the fingerprint names the certificate more strictly).
 * Certificate errors are never ignored: there is no « accept any certificate » mode.
 *
 * fetchPresentedCertificate() reads the certificate a server presents, for the « Ce serveur
 * présente un certificat émis par … : l'accepter ? » question. It speaks just enough SMTP or IMAP
 * to reach STARTTLS, never sends credentials, and closes at once.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';

export interface TlsPin {
  /** Uppercase, colon-separated SHA-256 fingerprint (Node's `fingerprint256` form). */
  sha256: string;
  /** The pinned certificate (PEM), once read from the server. */
  pem?: string | null;
}

export interface MailTls {
  caPem?: string | null;
  pin?: TlsPin | null;
}

/** `ab cd…`, `AB:CD:…`, `sha256:abcd…` → `AB:CD:…`; null unless exactly 32 bytes of hex. */
export function normaliseFingerprint(value: string): string | null {
  const hex = value.trim().replace(/^sha-?256\s*[:=]?\s*/i, '').replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join(':');
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a pasted PEM text, checked and re-written; throws a French message. */
export function parseCaPem(text: string): string {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (!blocks.length) throw new Error('Collez un certificat au format PEM (« -----BEGIN CERTIFICATE----- … »).');
  return blocks.map((b, i) => {
    try {
      return new crypto.X509Certificate(b).toString().trim();
    } catch {
      throw new Error(`Le certificat n° ${i + 1} est illisible : recopiez-le en entier.`);
    }
  }).join('\n');
}

export class PinMismatchError extends Error {
  readonly code = 'EPINMISMATCH';
  constructor(public readonly presented: string) {
    super('certificate fingerprint does not match the pinned one');
  }
}

/** The `tls` options of nodemailer and imapflow for a mailbox's trust settings. */
export function tlsOptionsFor(trust: MailTls | undefined): tls.ConnectionOptions {
  const base: tls.ConnectionOptions = { rejectUnauthorized: true };
  const cas = trust?.caPem ? trust.caPem.match(PEM_BLOCK) ?? [] : [];
  const pin = trust?.pin;
  if (pin?.sha256) {
    const expected = pin.sha256;
    return {
      ...base,
      ...(pin.pem ? { ca: [pin.pem, ...cas], allowPartialTrustChain: true } : cas.length ? { ca: [...tls.rootCertificates, ...cas] } : {}),
      checkServerIdentity: (_host, cert) => (cert.fingerprint256 === expected ? undefined : new PinMismatchError(cert.fingerprint256)),
    } as tls.ConnectionOptions;
  }
  if (cas.length) return { ...base, ca: [...tls.rootCertificates, ...cas] };
  return base;
}

export interface PresentedCertificate {
  subject: string;
  issuer: string;
  validTo: string;
  sha256: string;
  pem: string;
}

function commonName(dn: string): string {
  const lines = dn.split('\n');
  return lines.find((l) => l.startsWith('CN='))?.slice(3) ?? lines.find((l) => l.startsWith('O='))?.slice(2) ?? dn.replace(/\n/g, ', ');
}

export function describeCertificate(pem: string): PresentedCertificate {
  const x = new crypto.X509Certificate(pem);
  return { subject: commonName(x.subject), issuer: commonName(x.issuer), validTo: new Date(x.validTo).toISOString(), sha256: x.fingerprint256, pem: x.toString().trim() };
}

export type HandshakeMode = 'tls' | 'smtp-starttls' | 'imap-starttls';

/**
 * Connects to `address:port` (already checked by mail-host.ts), reaches the TLS handshake and
 * returns the server's certificate without trusting it. Never sends credentials.
 */
export async function fetchPresentedCertificate(address: string, port: number, servername: string | undefined, mode: HandshakeMode, timeoutMs = 10_000): Promise<PresentedCertificate> {
  const plain = mode === 'tls' ? undefined : await startTlsSocket(address, port, mode, timeoutMs);
  return new Promise((resolve, reject) => {
    // Verification off on purpose: this socket only reads the certificate to show it; it carries
    // nothing and is closed at once.
    const sock = tls.connect({ ...(plain ? { socket: plain } : { host: address, port }), ...(servername ? { servername } : {}), rejectUnauthorized: false });
    const timer = setTimeout(() => sock.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
    sock.once('secureConnect', () => {
      clearTimeout(timer);
      const raw = sock.getPeerCertificate()?.raw;
      sock.destroy();
      if (!raw) return reject(new Error('no certificate'));
      resolve(describeCertificate(`-----BEGIN CERTIFICATE-----\n${raw.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`));
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** A plain connection taken up to the point where the server starts TLS (SMTP or IMAP STARTTLS). */
function startTlsSocket(address: string, port: number, mode: 'smtp-starttls' | 'imap-starttls', timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, address);
    let buf = '';
    let stage = 0;
    const fail = (err: Error) => {
      sock.destroy();
      reject(err);
    };
    sock.setTimeout(timeoutMs, () => fail(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    sock.on('error', fail);
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.length > 16_384) return fail(new Error('reply too long'));
      const lines = buf.split('\r\n');
      buf = lines.pop()!;
      for (const line of lines) {
        if (mode === 'smtp-starttls') {
          // Multi-line replies go on with "250-"; the last line has a space after the code.
          if (!/^\d{3} /.test(line)) continue;
          if (!line.startsWith(stage === 2 ? '220' : stage === 1 ? '250' : '220')) return fail(Object.assign(new Error('STARTTLS refused'), { code: 'ETLS' }));
          if (stage === 0) sock.write('EHLO localhost\r\n');
          else if (stage === 1) sock.write('STARTTLS\r\n');
          else return done();
          stage++;
        } else {
          if (stage === 0 && line.startsWith('* OK')) {
            sock.write('A1 STARTTLS\r\n');
            stage = 1;
          } else if (stage === 1 && line.startsWith('A1 ')) {
            if (!line.startsWith('A1 OK')) return fail(Object.assign(new Error('STARTTLS refused'), { code: 'ETLS' }));
            return done();
          }
        }
      }
    };
    const done = () => {
      sock.off('data', onData);
      sock.setTimeout(0);
      sock.removeAllListeners('error');
      resolve(sock);
    };
    sock.on('data', onData);
  });
}
