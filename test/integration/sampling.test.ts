/**
 * Real-mail sampling on a real Dovecot: a generated August 2019 of a service mailbox (25
 * citizen messages, 24 answered within 5 working days, one of them only thanks to the 15 August
 * holiday; an out-of-office, a bounce, a newsletter and a colleague's message left out), read
 * through the job, giving the golden 96 % on the board with its n and rule; a first-n rule;
 * nothing of the content stored; another organisation sees nothing and gets 404.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/app';
import { destroyDovecot, startDovecot, type Dovecot } from '../helpers/dovecot';
import { createOrg, createUser, loggedIn } from '../helpers/factories';
import { bounce, buildMessage, deliver, messageId, newsletter, outOfOffice } from '../helpers/mail-services';
import * as mailboxService from '../../server/campaigns/mailbox.service';
import { samplingJob } from '../../server/sampling/sampling.job';
import { runSampling } from '../../server/sampling/sampling.service';
import { boardModel, monthValues } from '../../server/indicators/board.service';
import type { JobContext } from '../../server/jobs/job';

const SERVICE = { user: 'pref-info@haute-savoie.gouv.fr', password: 'service-secret-1' };
const paris = (s: string) => new Date(`${s.replace(' ', 'T')}:00+02:00`);
const HOUR = 3600_000;
// Working days of August 2019 (15 August, a Thursday, is a holiday).
const DAYS = [1, 2, 5, 6, 7, 8, 9, 12, 13, 14, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30];
const at = (day: number, hour: number) => paris(`2019-08-${String(day).padStart(2, '0')} ${String(hour).padStart(2, '0')}:00`);
const service = { name: 'Préfecture de la Haute-Savoie', address: SERVICE.user };

let t: TestContext;
let dovecot: Dovecot;
let orgId: string;
let otherOrgId: string;
let mailboxId: string;
let userId: string;
let referent: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  [t, dovecot] = await Promise.all([createTestContext(), startDovecot({ users: [SERVICE] })]);
  t.deps.encryptionKey = crypto.randomBytes(32);
  orgId = (await createOrg(t.deps, 'Préfecture de la Haute-Savoie')).id;
  otherOrgId = (await createOrg(t.deps, 'Préfecture de l’Ain')).id;
  referent = await createUser(t.deps, orgId, 'referent');
  userId = referent.id;
  mailboxId = (await mailboxService.createMailbox(t.deps, orgId, {
    displayName: 'Accueil général', address: SERVICE.user,
    smtpHost: '127.0.0.1', smtpPort: 2525, smtpSecurity: 'none', smtpUser: '', smtpPassword: undefined,
    imapHost: dovecot.host, imapPort: dovecot.port, imapTls: false, imapUser: SERVICE.user, imapPassword: SERVICE.password,
    inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: true, plusAddressing: false,
  })).id;

  const inbox: Buffer[] = [];
  const sent: Buffer[] = [];
  for (let i = 0; i < 25; i++) {
    const received = at(DAYS[i % DAYS.length], i < DAYS.length ? 9 : 14);
    const from = { name: `Usager ${i}`, address: `usager${i}@courriel.example` };
    const id = messageId('courriel.example');
    const subject = `Demande d’information ${i}`;
    inbox.push(buildMessage({ from, to: SERVICE.user, subject, date: received, messageId: id, text: `Bonjour, question numéro ${i}.` }));
    let answeredAt = new Date(received.getTime() + 24 * HOUR);
    // Thu 1 Aug → Fri 9 Aug: the 6th working day, late.
    if (i === 0) answeredAt = at(9, 10);
    // Tue 13 Aug → Wed 21 Aug: the 5th working day only because 15 August is a holiday.
    if (DAYS[i] === 13) answeredAt = at(21, 17);
    const headers = i === 1 ? {} : i === 2 ? { references: [`<autre@courriel.example>`, id] } : { inReplyTo: id, references: [id] };
    sent.push(buildMessage({ from: service, to: from, subject: `RE: ${subject}`, date: answeredAt, ...headers, text: 'Bonjour, voici la réponse.' }));
  }
  const seen = { messageId: messageId('haute-savoie.gouv.fr'), subject: 'Votre demande', from: service, to: 'inconnu@courriel.example', date: at(5, 11), text: 'Bonjour' };
  inbox.push(
    outOfOffice({ ...seen, from: { address: 'usager3@courriel.example' } }, at(6, 10), { address: 'usager3@courriel.example' }),
    bounce(seen, at(5, 11), 'mx.haute-savoie.gouv.fr'),
    newsletter(SERVICE.user, at(7, 8)),
    buildMessage({ from: { name: 'Collègue', address: 'agent@haute-savoie.gouv.fr' }, to: SERVICE.user, subject: 'Réunion', date: at(8, 9), text: 'Réunion à 10 h.' }),
    // Other months: not sampled for August.
    buildMessage({ from: { address: 'juillet@courriel.example' }, to: SERVICE.user, subject: 'Juillet', date: paris('2019-07-31 10:00'), text: 'Question.' }),
    buildMessage({ from: { address: 'septembre@courriel.example' }, to: SERVICE.user, subject: 'Septembre', date: paris('2019-09-02 10:00'), text: 'Question.' }),
  );
  await Promise.all([deliver(dovecot, SERVICE, 'INBOX', inbox), deliver(dovecot, SERVICE, 'Sent', sent)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([t?.close(), destroyDovecot(dovecot)]);
});

describe('real-mail sampling', () => {
  it('when the job samples every message of August, then 24 of 25 are answered within 5 working days: 96 % on the board, with n and the rule', async () => {
    const ctx = { ...t.deps, jobId: 1, attempt: 1, signal: new AbortController().signal } as JobContext;
    await samplingJob.run({ orgId, mailboxId, month: '2019-08-01', rule: 'all', userId }, ctx);

    const runs = await t.deps.db.execute(sql`select sampled, excluded, failed, rule from mail_sampling_runs where org_id = ${orgId}`);
    expect((runs as unknown as { rows: unknown[] }).rows ?? runs).toEqual([{ sampled: 25, excluded: 4, failed: 0, rule: 'all' }]);

    const values = (await monthValues(t.deps, orgId, '2019-08-01', '2019-08-01')).filter((v) => v.indicatorId === 'courriels-5j');
    expect(values).toEqual(expect.arrayContaining([
      expect.objectContaining({ breakdown: '', numerator: 24, denominator: 25, value: 96, source: 'computed' }),
      expect.objectContaining({ breakdown: 'Accueil général', numerator: 24, denominator: 25 }),
    ]));

    const board = await boardModel(t.deps, orgId, '2019-08-01');
    const row = board.rows.find((r) => r.id === 'courriels-5j')!;
    expect(row.value).toMatch(/^96\s?%$/);
    expect(row.source).toBe('calculé');
    expect(row.formula).toContain('tous les courriels d’usagers reçus dans le mois');
    expect(row.formula).toContain('24 courriels répondus sous 5 jours ouvrés sur 25 échantillonnés (n = 25');
  }, 20_000);

  it('when stored, then only keyed hashes, dates and verdicts are kept (no address, subject or body)', async () => {
    const r = await t.deps.db.execute(sql`select * from sampled_mails where org_id = ${orgId}`);
    const rows = ((r as unknown as { rows?: Record<string, unknown>[] }).rows ?? r) as Record<string, unknown>[];
    expect(rows).toHaveLength(25);
    for (const row of rows) {
      expect(row.message_key).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toMatch(/@|courriel|Demande/);
    }
    expect(rows.filter((x) => x.within_deadline === false)).toHaveLength(1);
    expect(new Set(rows.map((x) => x.method))).toEqual(new Set(['in-reply-to', 'references', 'subject']));
  });

  it('when the rule keeps the first 10 messages, then the month is replaced by 9 / 10 (the late one is the first)', async () => {
    const r = await runSampling(t.deps, orgId, { mailboxId, month: '2019-08-01', rule: { kind: 'first', n: 10 } });
    expect(r).toMatchObject({ sampled: 10, numerator: 9, denominator: 10 });
    const board = await boardModel(t.deps, orgId, '2019-08-01');
    const row = board.rows.find((x) => x.id === 'courriels-5j')!;
    expect(row.value).toMatch(/^90\s?%$/);
    expect(row.formula).toContain('les 10 premiers courriels');
  }, 20_000);

  it('when another organisation asks, then the mailbox is not found and its board has no sampled value', async () => {
    await expect(runSampling(t.deps, otherOrgId, { mailboxId, month: '2019-08-01', rule: { kind: 'all' } })).rejects.toMatchObject({ status: 404 });
    const values = await monthValues(t.deps, otherOrgId, '2019-08-01', '2019-08-01');
    expect(values.filter((v) => v.indicatorId === 'courriels-5j')).toEqual([]);
  });

  it('when the month is malformed, then a French field error, not a 500', async () => {
    await expect(runSampling(t.deps, orgId, { mailboxId, month: '2019-13-01', rule: { kind: 'all' } })).rejects.toMatchObject({ status: 422 });
  });

  it('when the referent opens the page, then the mailbox and the last run show; posting queues the job once', async () => {
    const b = await loggedIn(t.app, referent);
    const page = await b.page('/indicateurs/echantillonnage');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Accueil général (pref-info@haute-savoie.gouv.fr)');
    expect(page.text).toContain('9 / 10 (90 %)');
    const res = await b.post('/indicateurs/echantillonnage', { mailboxId, mois: '2019-09', regle: 'first', nombre: '25' });
    expect(res.status).toBe(303);
    await b.post('/indicateurs/echantillonnage', { mailboxId, mois: '2019-09', regle: 'first', nombre: '25' });
    const jobs = await t.deps.db.execute(sql`select payload from jobs where name = 'sampling.run'`);
    const rows = ((jobs as unknown as { rows?: { payload: unknown }[] }).rows ?? jobs) as { payload: unknown }[];
    expect(rows.map((r) => r.payload)).toEqual([{ orgId, mailboxId, month: '2019-09-01', rule: 'first:25', userId }]);
  });

  it('when the form is wrong, then 422 with French field errors', async () => {
    const b = await loggedIn(t.app, referent);
    await b.page('/indicateurs/echantillonnage');
    const res = await b.post('/indicateurs/echantillonnage', { mailboxId, mois: '2019-9', regle: 'first', nombre: 'dix' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Mois attendu au format AAAA-MM.');
  });

  it('when a viewer or another organisation’s referent comes, then 403 and 404', async () => {
    const viewer = await loggedIn(t.app, await createUser(t.deps, orgId, 'viewer'));
    const refused = await viewer.page('/indicateurs/echantillonnage');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Accès réservé aux');
    const other = await loggedIn(t.app, await createUser(t.deps, otherOrgId, 'referent'));
    const page = await other.page('/indicateurs/echantillonnage');
    expect(page.text).not.toContain('pref-info@haute-savoie.gouv.fr');
    expect(page.text).not.toContain('9 / 10');
    const res = await other.post('/indicateurs/echantillonnage', { mailboxId, mois: '2019-08', regle: 'all' });
    expect(res.status).toBe(404);
  });
});
