/**
 * « Tester la connexion » checks plus-addressing when the mailbox uses it (issue 14): the test
 * sends the mailbox a message at `local+qm…@domain` over SMTP and looks for it in the inbox over
 * IMAP (then deletes it). The SMTP stand-in delivers into Dovecot the way the provider would:
 * stripping the « +repère », refusing such addresses, or accepting them and losing them.
 */
import { ImapFlow } from 'imapflow';
import { sql } from 'drizzle-orm';
import { rows } from '../../../server/storage/db';
import * as mailboxService from '../../../server/campaigns/mailbox.service';
import { startSmtp, type SmtpTestServer } from '../../helpers/smtp';
import { deliver } from '../../helpers/mail-services';
import { loggedIn, type Browser } from '../../helpers/factories';
import { MYSTERY, mailTestContext, type MailTestContext } from './setup';

let ctx: MailTestContext;
let smtp: SmtpTestServer;
let referent: Browser;
let mode: 'strip' | 'lose' = 'strip';

beforeAll(async () => {
  ctx = await mailTestContext({ services: [], mailbox: false });
  smtp = await startSmtp({
    deliver: async (msg) => {
      for (const rcpt of msg.to) {
        const base = rcpt.replace(/\+[^@]*@/, '@');
        if (base === MYSTERY.user && (mode === 'strip' || rcpt === base)) await deliver(ctx.dovecot, { user: MYSTERY.user, password: MYSTERY.password }, 'INBOX', [msg.raw]);
      }
    },
  });
  const m = await mailboxService.createMailbox(ctx.t.deps, ctx.orgId, {
    displayName: MYSTERY.name, address: MYSTERY.user,
    smtpHost: smtp.host, smtpPort: smtp.port, smtpSecurity: 'none', smtpUser: '', smtpPassword: undefined,
    imapHost: ctx.dovecot.host, imapPort: ctx.dovecot.port, imapTls: false, imapUser: MYSTERY.user, imapPassword: MYSTERY.password,
    inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: false, plusAddressing: true,
  });
  ctx.mailboxId = m.id;
  referent = await loggedIn(ctx.t.app, ctx.referent);
}, 60_000);
afterAll(async () => {
  await smtp?.close();
  await ctx?.close();
});

const mailbox = async () => (await rows<Record<string, unknown>>(await ctx.t.deps.db.execute(sql`select * from mystery_mailboxes where id = ${ctx.mailboxId}`)))[0];
const inboxCount = async () => {
  const c = new ImapFlow({ host: ctx.dovecot.host, port: ctx.dovecot.port, secure: false, auth: { user: MYSTERY.user, pass: MYSTERY.password }, logger: false });
  await c.connect();
  try {
    const status = await c.status('INBOX', { messages: true });
    return status ? status.messages : -1;
  } finally {
    await c.logout();
  }
};

describe('when the mailbox puts a « +repère » in its reply address', () => {
  it('then a server that delivers user+tag@ passes, the check message is said and removed from the inbox', async () => {
    mode = 'strip';
    expect((await referent.post(`/boites-mysteres/${ctx.mailboxId}/tester`)).status).toBe(303);
    const m = await mailbox();
    expect(smtp.received.at(-1)!.to[0]).toMatch(/^camille\.martin74\+qm[0-9a-f]{8}@orange\.example$/);
    expect(m.last_check_message).toMatch(/Adresses « \+repère » : un message envoyé à camille\.martin74\+qm[0-9a-f]{8}@orange\.example est bien arrivé dans la boîte\./);
    expect(m.last_check_ok).toBe(true);
    expect(m.last_check_plus_addressing).toBe(true);
    expect(await inboxCount()).toBe(0);
    expect((await referent.page(`/boites-mysteres/${ctx.mailboxId}`)).text).toContain('est bien arrivé dans la boîte');
  });

  it('then a server that refuses such addresses fails the test and says to untick the option', async () => {
    smtp.refuseMatching(/\+/, 550, '5.1.1 <recipient> User unknown');
    await referent.post(`/boites-mysteres/${ctx.mailboxId}/tester`);
    const m = await mailbox();
    expect(m.last_check_ok).toBe(false);
    expect(m.last_check_plus_addressing).toBe(false);
    expect(m.last_check_message).toContain('Adresses « +repère » : le serveur refuse l’adresse camille.martin74+qm');
    expect(m.last_check_message).toContain('décochez « Le serveur accepte les adresses');
    // SMTP and IMAP themselves are fine: said as such.
    expect(m.last_check_message).toContain('IMAP : connexion réussie');
  });
});

describe('when the server accepts user+tag@ but never delivers it', () => {
  let lost: SmtpTestServer;
  beforeAll(async () => {
    lost = await startSmtp({ deliver: async () => undefined });
    await mailboxService.updateMailbox(ctx.t.deps, ctx.orgId, ctx.mailboxId, {
      displayName: MYSTERY.name, address: MYSTERY.user,
      smtpHost: lost.host, smtpPort: lost.port, smtpSecurity: 'none', smtpUser: '', smtpPassword: undefined, imapPassword: undefined,
      imapHost: ctx.dovecot.host, imapPort: ctx.dovecot.port, imapTls: false, imapUser: MYSTERY.user,
      inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: false, plusAddressing: true,
    });
  });
  afterAll(async () => lost?.close());

  it('then the test says the message did not arrive, after the wait it was given', async () => {
    const r = await mailboxService.testMailbox(ctx.t.deps, ctx.orgId, ctx.mailboxId, 15_000, { plusWaitMs: 1500 });
    expect(lost.received).toHaveLength(1);
    expect(r.ok).toBe(false);
    expect(r.plus?.message).toMatch(/n’est pas arrivé dans la boîte après 2 s ; le serveur ne livre sans doute pas ces adresses/);
  });
});
