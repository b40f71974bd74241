/**
 * Per-mailbox TLS trust (issue 14): Dovecot (IMAP, implicit TLS) and smtp-server (STARTTLS)
 * present certificates from a test authority that Node does not trust, as State mail servers
 * do with the administration's authority. Without trust, the test names the certificate step
 * and shows the presented certificate to accept; with the authority's certificate, or with the
 * accepted (pinned) certificate, it succeeds; a wrong pin is refused before any password leaves.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { rows } from '../../../server/storage/db';
import * as mailboxService from '../../../server/campaigns/mailbox.service';
import { openImap } from '../../../server/campaigns/tracking/imap-tracker';
import { startSmtp, type SmtpTestServer } from '../../helpers/smtp';
import { createTestCa, type KeyPair, type TestCa } from '../../helpers/test-ca';
import { createOrg, createUser, loggedIn, type Browser } from '../../helpers/factories';
import { MYSTERY, mailTestContext, type MailTestContext } from './setup';

let ca: TestCa;
let server: KeyPair;
let ctx: MailTestContext;
let smtp: SmtpTestServer;
let referent: Browser;
let mailboxId: string;
const fingerprint = (pem: string) => new crypto.X509Certificate(pem).fingerprint256;

beforeAll(async () => {
  ca = createTestCa();
  server = ca.issue('mail.prefecture-test.fr', ['127.0.0.1', 'localhost']);
  [ctx, smtp] = await Promise.all([
    mailTestContext({ services: [], mailbox: false, dovecotTls: server }),
    startSmtp({ tls: server, users: { 'camille.smtp': 'smtp-secret' } }),
  ]);
  referent = await loggedIn(ctx.t.app, ctx.referent);
  const m = await mailboxService.createMailbox(ctx.t.deps, ctx.orgId, {
    displayName: MYSTERY.name, address: MYSTERY.user,
    smtpHost: smtp.host, smtpPort: smtp.port, smtpSecurity: 'starttls', smtpUser: 'camille.smtp', smtpPassword: 'smtp-secret',
    imapHost: ctx.dovecot.host, imapPort: ctx.dovecot.tlsPort, imapTls: true, imapUser: MYSTERY.user, imapPassword: MYSTERY.password,
    inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: false, plusAddressing: false,
  });
  mailboxId = m.id;
}, 60_000);
afterAll(async () => {
  await smtp?.close();
  await ctx?.close();
});

const mailbox = async () => (await rows<Record<string, unknown>>(await ctx.t.deps.db.execute(sql`select * from mystery_mailboxes where id = ${mailboxId}`)))[0];
const form = (over: Record<string, string> = {}) => ({
  displayName: MYSTERY.name, address: MYSTERY.user,
  smtpHost: smtp.host, smtpPort: String(smtp.port), smtpSecurity: 'starttls', smtpUser: 'camille.smtp', smtpPassword: '',
  imapHost: ctx.dovecot.host, imapPort: String(ctx.dovecot.tlsPort), imapTls: 'on', imapUser: MYSTERY.user, imapPassword: '',
  inboxFolder: 'INBOX', sentFolder: 'Sent', tlsCaPem: '', smtpTlsPin: '', imapTlsPin: '', ...over,
});
const save = async (over: Record<string, string>) => {
  const res = await referent.post(`/boites-mysteres/${mailboxId}`, form(over));
  expect(res.status).toBe(303);
};
const test = async () => {
  expect((await referent.post(`/boites-mysteres/${mailboxId}/tester`)).status).toBe(303);
  return (await referent.page(`/boites-mysteres/${mailboxId}`)).text;
};
const imapLogins = () => ctx.dovecot.log().split('\n').filter((l) => /imap-login: (Info: )?Login: user=<camille/.test(l)).length;

describe('when the servers present certificates from an authority Node does not trust', () => {
  it('then the test fails at the certificate step, in French, and shows each certificate to accept with its fingerprint', async () => {
    const html = await test();
    const m = await mailbox();
    expect(m.last_check_ok).toBe(false);
    expect(m.last_check_message).toContain('SMTP : le certificat du serveur n’est pas reconnu');
    expect(m.last_check_message).toContain('IMAP : le certificat du serveur n’est pas reconnu');
    expect(m.last_check_message).toContain('émis par « AC Test de l’Administration » pour « mail.prefecture-test.fr »');
    expect(m.last_check_message).toContain(fingerprint(server.certPem));
    expect(html).toContain('Accepter ce certificat (SMTP (envoi))');
    expect(html).toContain('Accepter ce certificat (IMAP (réception))');
    expect(html).toContain(`<code>${fingerprint(server.certPem)}</code>`);
    expect(smtp.received).toHaveLength(0);
  });

  it('then a pasted text that is not a certificate is refused on the field (422)', async () => {
    const res = await referent.post(`/boites-mysteres/${mailboxId}`, form({ tlsCaPem: 'bonjour', imapTlsPin: '12:34' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Collez un certificat au format PEM');
    expect(res.text).toContain('Une empreinte SHA-256 compte 64 caractères');
  });

  it('then with the authority’s certificate pasted, SMTP and IMAP succeed (and the sender and the reader use it)', async () => {
    await save({ tlsCaPem: ca.certPem });
    expect(String((await mailbox()).tls_ca_pem)).toContain('BEGIN CERTIFICATE');
    await test();
    const m = await mailbox();
    expect(m.last_check_message).toContain('SMTP : connexion et authentification réussies');
    expect(m.last_check_message).toContain('IMAP : connexion réussie');
    expect(m.last_check_ok).toBe(true);
    expect(m.last_check_certificates).toBeNull();
    // The worker's IMAP session trusts the same authority.
    const row = await mailboxService.requireMailbox(ctx.t.deps, ctx.orgId, mailboxId);
    const session = await openImap(mailboxService.imapSettingsOf(ctx.t.deps, row));
    expect(await session.folders()).toContain('Sent');
    await session.close();
  });

  it('then another authority’s certificate does not make the server trusted', async () => {
    await save({ tlsCaPem: createTestCa('Autre autorité').certPem });
    await test();
    expect((await mailbox()).last_check_ok).toBe(false);
    expect(String((await mailbox()).last_check_message)).toContain('IMAP : le certificat du serveur n’est pas reconnu');
  });

  it('then a wrong pin is refused before any password is sent', async () => {
    const before = imapLogins();
    const wrong = fingerprint(ca.certPem);
    await save({ imapTlsPin: wrong.replace(/:/g, '').toLowerCase() });
    expect((await mailbox()).imap_tls_pin).toBe(wrong);
    await test();
    const m = await mailbox();
    expect(m.last_check_ok).toBe(false);
    expect(m.last_check_message).toContain(`IMAP : certificat refusé : le serveur présente un certificat d’empreinte ${fingerprint(server.certPem)}, différente de l’empreinte indiquée (${wrong}). Aucun mot de passe n’a été envoyé.`);
    expect(imapLogins()).toBe(before);
  });

  it('then « Accepter ce certificat » pins what the server presents, and the test succeeds without the authority', async () => {
    await save({});
    await test();
    expect(((await mailbox()).last_check_certificates as unknown[]).length).toBe(2);
    for (const protocol of ['smtp', 'imap']) {
      const res = await referent.post(`/boites-mysteres/${mailboxId}/certificat`, { protocol, sha256: fingerprint(server.certPem) });
      expect(res.status).toBe(303);
    }
    const pinned = await mailbox();
    expect(pinned.smtp_tls_pin).toBe(fingerprint(server.certPem));
    expect(pinned.imap_tls_pin_pem).toContain('BEGIN CERTIFICATE');
    await test();
    const m = await mailbox();
    expect(m.last_check_message).toContain('SMTP : connexion et authentification réussies');
    expect(m.last_check_message).toContain('IMAP : connexion réussie');
    expect(m.last_check_ok).toBe(true);
    // The login counter does see logins (so the « no password sent » check above can fail).
    expect(imapLogins()).toBeGreaterThan(0);
  });

  it('then accepting a fingerprint the server does not present is refused', async () => {
    const res = await referent.post(`/boites-mysteres/${mailboxId}/certificat`, { protocol: 'imap', sha256: fingerprint(ca.certPem) });
    expect(res.status).toBe(303);
    expect((await referent.page(`/boites-mysteres/${mailboxId}`)).text).toContain('Le serveur ne présente plus ce certificat');
    expect((await mailbox()).imap_tls_pin).toBe(fingerprint(server.certPem));
  });

  it('then once the server presents another certificate (same authority), the pinned mailbox refuses it', async () => {
    const other = ca.issue('mail.prefecture-test.fr', ['127.0.0.1']);
    fs.writeFileSync(path.join(ctx.dovecot.dir, 'tls', 'cert.pem'), other.certPem);
    fs.writeFileSync(path.join(ctx.dovecot.dir, 'tls', 'key.pem'), other.keyPem);
    await ctx.dovecot.restart();
    await test();
    const m = await mailbox();
    expect(m.last_check_ok).toBe(false);
    expect(m.last_check_message).toContain(`IMAP : le certificat présenté n’est pas celui qui a été accepté (empreinte ${fingerprint(server.certPem)}).`);
    expect(m.last_check_message).toContain(fingerprint(other.certPem));
  });

  it('then another organisation cannot accept a certificate for this mailbox (404)', async () => {
    const org = await createOrg(ctx.t.deps, 'Préfecture du Jura');
    const stranger = await loggedIn(ctx.t.app, await createUser(ctx.t.deps, org.id, 'referent'));
    const res = await stranger.post(`/boites-mysteres/${mailboxId}/certificat`, { protocol: 'imap', sha256: fingerprint(server.certPem) });
    expect(res.status).toBe(404);
  });
});
