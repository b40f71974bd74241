/**
 * « Tester la connexion » is not a port scanner, and a stored mailbox password goes nowhere it
 * was not typed for (issue 10, items 6, 7 and the IMAP part of 14):
 * - hosts on loopback/private networks are refused unless MAIL_PRIVATE_NETWORKS allows them,
 *   before any connection is made;
 * - what a server wrote (a banner, an error reply) is never shown, only the failing step;
 * - changing host, port, user or security mode requires the password again (SMTP and IMAP);
 * - an IMAP session that went on in clear (no TLS, no STARTTLS) is said on the test and the page.
 */
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { rows } from '../../../server/storage/db';
import { testConfig } from '../../helpers/app';
import { loggedIn, type Browser } from '../../helpers/factories';
import { MYSTERY, mailTestContext, type MailTestContext } from './setup';

let ctx: MailTestContext;
let referent: Browser;
let ssh: net.Server;
let sshConnections = 0;
let attacker: SMTPServer;
let attackerPort = 0;
const attackerAuth: string[] = [];
const SMTP_SECRET = 'stored-smtp-secret-7';

beforeAll(async () => {
  ctx = await mailTestContext({ services: [], smtp: { host: '127.0.0.1', port: 2525, user: 'camille.smtp', password: SMTP_SECRET } });
  referent = await loggedIn(ctx.t.app, ctx.referent);
  // Something that is not a mail server, on loopback: what a port scan would look for.
  ssh = net.createServer((socket) => {
    sshConnections++;
    socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
  });
  await new Promise<void>((r) => ssh.listen(0, '127.0.0.1', r));
  // A server the attacker controls: records every AUTH it receives.
  attacker = new SMTPServer({
    disabledCommands: ['STARTTLS'], authOptional: true, logger: false,
    onAuth(auth, _s, cb) {
      attackerAuth.push(`${auth.username}:${auth.password}`);
      cb(null, { user: auth.username });
    },
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerPort = (attacker.server.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((r) => (ssh ? ssh.close(() => r()) : r()));
  await new Promise<void>((r) => (attacker ? attacker.close(() => r()) : r()));
  await ctx?.close();
});

const sshPort = () => (ssh.address() as AddressInfo).port;
const mailbox = async () => (await rows<Record<string, unknown>>(await ctx.t.deps.db.execute(sql`select * from mystery_mailboxes where id = ${ctx.mailboxId}`)))[0];
const form = (over: Record<string, string> = {}) => ({
  displayName: MYSTERY.name, address: MYSTERY.user,
  smtpHost: '127.0.0.1', smtpPort: '2525', smtpSecurity: 'none', smtpUser: 'camille.smtp', smtpPassword: '',
  imapHost: ctx.dovecot.host, imapPort: String(ctx.dovecot.port), imapUser: MYSTERY.user, imapPassword: '',
  inboxFolder: 'INBOX', sentFolder: 'Sent', ...over,
});
const test = async () => {
  expect((await referent.post(`/boites-mysteres/${ctx.mailboxId}/tester`)).status).toBe(303);
  return (await referent.page(`/boites-mysteres/${ctx.mailboxId}`)).text;
};

describe('when the operator allows no private network', () => {
  const allowed = () => ctx.t.deps.config;
  let saved: ReturnType<typeof allowed>;
  beforeAll(async () => {
    saved = ctx.t.deps.config;
    // The mailbox points at loopback services, set while loopback is still allowed (our tests' setting).
    const res = await referent.post(`/boites-mysteres/${ctx.mailboxId}`, form({
      smtpHost: '127.0.0.1', smtpPort: String(sshPort()), smtpPassword: SMTP_SECRET, imapHost: 'localhost', imapPort: String(sshPort()), imapPassword: MYSTERY.password,
    }));
    expect(res.status).toBe(303);
    ctx.t.deps.config = testConfig({ MAIL_PRIVATE_NETWORKS: '' });
  });
  afterAll(() => {
    ctx.t.deps.config = saved;
  });

  it('then loopback hosts (by address or by name) are refused without any connection', async () => {
    const before = sshConnections;
    const text = await test();
    expect(text).toContain('SMTP : ce serveur est sur un réseau interne ou local');
    expect(text).toContain('IMAP : ce serveur est sur un réseau interne ou local');
    expect(text).toContain('MAIL_PRIVATE_NETWORKS');
    expect(sshConnections).toBe(before);
  });
});

describe('when a port answers with something that is not a mail server', () => {
  it('then the test names the step and never shows what the server wrote', async () => {
    const before = sshConnections;
    const text = await test();
    expect(sshConnections).toBeGreaterThan(before);
    expect(text).not.toMatch(/SSH|OpenSSH|Debian/);
    expect(text).toMatch(/SMTP : (le serveur a fermé la connexion|la connexion a échoué|le serveur ne répond pas)/);
    expect(text).toMatch(/IMAP : (le serveur a fermé la connexion|la connexion a échoué|le serveur ne répond pas)/);
  }, 60_000);
});

describe('when the referent changes where the mailbox connects without retyping the password', () => {
  beforeAll(async () => {
    const res = await referent.post(`/boites-mysteres/${ctx.mailboxId}`, form({ smtpPassword: SMTP_SECRET, imapPassword: MYSTERY.password }));
    expect(res.status).toBe(303);
  });

  it.each([
    ['the SMTP port (a server the attacker controls)', () => ({ smtpPort: String(attackerPort) }), 'smtp'],
    ['the SMTP host', () => ({ smtpHost: 'localhost' }), 'smtp'],
    ['the SMTP user', () => ({ smtpUser: 'someone.else' }), 'smtp'],
    ['the SMTP security mode', () => ({ smtpSecurity: 'tls' }), 'smtp'],
    ['the IMAP host', () => ({ imapHost: 'localhost' }), 'imap'],
    ['the IMAP port', () => ({ imapPort: String(attackerPort) }), 'imap'],
    ['the IMAP user', () => ({ imapUser: 'other@orange.example' }), 'imap'],
    ['the IMAP security mode', () => ({ imapTls: 'on' }), 'imap'],
  ])('then changing %s is refused until the password is typed again', async (_label, over, which) => {
    const before = await mailbox();
    const res = await referent.post(`/boites-mysteres/${ctx.mailboxId}`, form(over()));
    expect(res.status).toBe(422);
    expect(res.text).toContain(`saisissez à nouveau le mot de passe ${which.toUpperCase()}`);
    expect(await mailbox()).toEqual(before);
    await test();
    expect(attackerAuth).toEqual([]);
  });

  it('then the same server with empty password fields keeps the stored passwords', async () => {
    const before = await mailbox();
    expect((await referent.post(`/boites-mysteres/${ctx.mailboxId}`, form({ displayName: 'Camille Martin-Durand' }))).status).toBe(303);
    const after = await mailbox();
    expect(after.smtp_password_sealed).toBe(before.smtp_password_sealed);
    expect(after.imap_password_sealed).toBe(before.imap_password_sealed);
  });

  it('then with the password typed again the change is saved', async () => {
    expect((await referent.post(`/boites-mysteres/${ctx.mailboxId}`, form({ smtpPort: String(attackerPort), smtpPassword: 'typed-for-this-one' }))).status).toBe(303);
    await test();
    expect(attackerAuth).toEqual(['camille.smtp:typed-for-this-one']);
  });
});

describe('when IMAP has TLS unticked and the server offers no STARTTLS', () => {
  it('then the test and the page say the connection is not encrypted', async () => {
    expect((await referent.post(`/boites-mysteres/${ctx.mailboxId}`, form({ smtpPort: '2525', smtpPassword: SMTP_SECRET }))).status).toBe(303);
    const text = await test();
    expect(text).toContain('IMAP : connexion réussie');
    expect(text).toContain('la connexion IMAP n’est pas chiffrée');
    expect(text).toContain('Connexion IMAP non chiffrée : le serveur ne propose pas STARTTLS');
  });
});
