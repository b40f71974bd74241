/**
 * Each probe as sent (issue 14): before launch, « Aperçu des messages » shows every message a
 * launch would send with the variables and the signature filled (never « {{…}} »), and the bank
 * shows filled examples; after sending, the probe's page shows the bytes that left, equal to
 * what the SMTP server received and to the copy in the sent folder. And a mailbox whose SMTP host
 * is on a network this instance may not reach fails its probes at once, said on the campaign
 * and the home, instead of retrying for hours (issue 14, send job).
 */
import { ImapFlow } from 'imapflow';
import { sql } from 'drizzle-orm';
import { JobRunner } from '../../../server/jobs/runner';
import { jobs } from '../../../server/jobs/registry';
import { rows } from '../../../server/storage/db';
import { testConfig } from '../../helpers/app';
import { startSmtp, type SmtpTestServer } from '../../helpers/smtp';
import { loggedIn, type Browser } from '../../helpers/factories';
import { MYSTERY, mailTestContext, type MailTestContext } from './setup';

const D = 'haute-savoie.gouv.example';
let ctx: MailTestContext;
let smtp: SmtpTestServer;
let referent: Browser;
let campaignId: string;
const q = async <T>(query: ReturnType<typeof sql>) => rows<T>(await ctx.t.deps.db.execute(query));
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await mailTestContext({ services: [{ name: 'Urbanisme', address: `urbanisme@${D}` }], smtp: { host: '127.0.0.1', port: smtp.port }, config: { MIN_CELL_SIZE: '1' } });
  ctx.t.clock.set('2025-12-01T06:00:00Z');
  referent = await loggedIn(ctx.t.app, ctx.referent);
  const s = ctx.services.get(`urbanisme@${D}`)!;
  const res = await referent.agent.post('/campagnes-courriel').type('form').set('Accept', 'text/html').send({
    name: 'Campagne de décembre', mode: 'send', mailboxId: ctx.mailboxId, periodStart: '2025-12-01', periodEnd: '2025-12-05',
    targets: [`${s.id}|${s.address}`], probesPerService: '2', windowStart: '09:00', windowEnd: '17:00', seed: 'decembre',
    signatureChecklist: ['lastName'], deadlineDays: '5', holidayZone: 'metropole', retentionDays: '365', defaultQuestions: 'on',
    variables: 'commune = Annecy; Thonon-les-Bains', _csrf: referent.csrf,
  });
  if (res.status !== 303) throw new Error(res.text.match(/fr-error-text[^>]*>([^<]*)/g)?.join(' | ') ?? res.text.slice(0, 500));
  campaignId = res.headers.location.split('/').pop()!;
}, 60_000);
afterAll(async () => {
  await smtp?.close();
  await ctx?.close();
});

let preview: string;

describe('before launch', () => {
  it('then the bank shows each question filled with example values, never « {{…}} »', async () => {
    const page = (await referent.page(`/campagnes-courriel/${campaignId}`)).text;
    // The bank itself (the variables' table names « {{prenom}} » as a marked placeholder, on purpose).
    const bank = page.slice(page.indexOf('id="questions"'), page.indexOf('Ajouter une question'));
    expect(bank).toContain('Camille Martin');
    expect(bank).not.toContain('{{');
    expect(page).toContain('Je souhaite construire un abri de jardin à Annecy.');
    expect(page).toContain('Camille Martin');
    expect(page).toContain(`href="/campagnes-courriel/${campaignId}/apercu"`);
  });

  it('then « Aperçu des messages » shows every message as it will leave, variables and signature filled', async () => {
    const res = await referent.page(`/campagnes-courriel/${campaignId}/apercu`);
    expect(res.status).toBe(200);
    preview = res.text;
    expect(preview).not.toContain('{{');
    expect(preview.match(/class="fr-card fr-card--no-arrow fr-mb-3w qm-preview"/g)).toHaveLength(2);
    expect(preview).toContain(`<td>urbanisme@${D}</td>`);
    expect(preview).toContain('<td>Camille Martin &lt;camille.martin74@orange.example&gt;</td>');
    // Every body ends with the mystery citizen's signature, filled.
    expect(preview.match(/<div class="qm-pre qm-message">Bonjour,\n[^<]*\nCamille Martin<\/div>/g)).toHaveLength(2);
    // The source as composed for sending: quoted-printable text, our headers.
    expect(preview).toContain('Content-Transfer-Encoding: quoted-printable');
  });

  it('then the launch sends exactly the previewed texts (same seed, same instant)', async () => {
    expect((await referent.post(`/campagnes-courriel/${campaignId}/lancer`, { confirme: '1' })).status).toBe(303);
    const probes = await q<{ body: string; subject: string }>(sql`select body, subject from mail_probes where campaign_id = ${campaignId} order by planned_at`);
    expect(probes).toHaveLength(2);
    for (const p of probes) expect(unescape(preview)).toContain(`<div class="qm-pre qm-message">${p.body}</div>`);
    // A launched campaign has nothing left to preview.
    expect((await referent.page(`/campagnes-courriel/${campaignId}/apercu`)).text).toContain('Une fois la campagne lancée');
  });
});

describe('after sending', () => {
  let runner: JobRunner;
  let planned: { id: string; planned_at: Date; message_id: string }[];
  beforeAll(async () => {
    runner = new JobRunner(ctx.t.deps, jobs);
    planned = await q(sql`select id, planned_at, message_id from mail_probes where campaign_id = ${campaignId} order by planned_at`);
    ctx.t.clock.set(planned[0].planned_at);
    await runner.drain();
    // Days went by on the clock: the session is new.
    referent = await loggedIn(ctx.t.app, ctx.referent);
  });

  it('then the probe’s page shows the bytes sent, equal to what the server received and to the sent folder’s copy', async () => {
    const received = smtp.received.find((m) => m.messageId === planned[0].message_id)!;
    expect(received).toBeDefined();
    const page = (await referent.page(`/campagnes-courriel/${campaignId}/messages/${planned[0].id}`)).text;
    const shown = unescape(/<pre class="qm-pre" id="source-envoyee">([\s\S]*?)<\/pre>/.exec(page)![1]);
    expect(Buffer.from(shown, 'utf8').equals(received.raw)).toBe(true);
    expect(page).toContain('Message tel qu’envoyé');
    expect(page).not.toContain('{{');
    const c = new ImapFlow({ host: ctx.dovecot.host, port: ctx.dovecot.port, secure: false, auth: { user: MYSTERY.user, pass: MYSTERY.password }, logger: false });
    c.on('error', () => undefined);
    await c.connect();
    const lock = await c.getMailboxLock('Sent');
    try {
      const [copy] = await c.fetchAll('1:*', { source: true });
      expect(copy.source!.equals(received.raw)).toBe(true);
    } finally {
      lock.release();
      await c.logout();
    }
  });

  it('then a mailbox whose SMTP host is on a network not allowed fails its probe at once, said on the campaign and the home', async () => {
    const saved = ctx.t.deps.config;
    ctx.t.deps.config = testConfig({ MAIL_PRIVATE_NETWORKS: '', MIN_CELL_SIZE: '1' });
    try {
      ctx.t.clock.set(planned[1].planned_at);
      await runner.drain();
      referent = await loggedIn(ctx.t.app, ctx.referent);
      const [p] = await q<{ state: string; attempts: number; last_error: string }>(sql`select state, attempts, last_error from mail_probes where id = ${planned[1].id}`);
      expect(p).toEqual({ state: 'failed', attempts: 1, last_error: expect.stringContaining('Boîte mystère : SMTP : ce serveur est sur un réseau interne ou local') });
      const [queued] = await q<{ n: number }>(sql`select count(*)::int as n from jobs where name = 'campaigns.send-probe' and status = 'queued'`);
      expect(queued.n).toBe(0);
      expect(smtp.received).toHaveLength(1);
      const campaign = (await referent.page(`/campagnes-courriel/${campaignId}`)).text;
      expect(campaign).toMatch(/id="envoi-boite"><p>Envoi impossible depuis le .*: SMTP : ce serveur est sur un réseau interne ou local/);
      const home = (await referent.page('/')).text;
      expect(home).toContain('Boîte mystère camille.martin74@orange.example : envoi impossible depuis le');
    } finally {
      ctx.t.deps.config = saved;
    }
    // Once the settings work again, a successful test clears the alert.
    await referent.post(`/boites-mysteres/${ctx.mailboxId}/tester`);
    const [m] = await q<{ send_error_at: Date | null }>(sql`select send_error_at from mystery_mailboxes where id = ${ctx.mailboxId}`);
    expect(m.send_error_at).toBeNull();
    expect((await referent.page('/')).text).not.toContain('envoi impossible');
  });
});
