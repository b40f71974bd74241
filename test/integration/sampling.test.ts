/**
 * Real-mail sampling on a real Dovecot: a generated August 2019 of a service mailbox (25
 * citizen messages, 24 answered within 5 working days, one of them only thanks to the 15 August
 * holiday; an out-of-office, a bounce, a newsletter and a colleague's message left out), read
 * through the job, giving the golden 96 % on the board with its n and rule; a first-n rule;
 * nothing of the content stored; another organisation sees nothing and gets 404.
 *
 * Then July 2019 by weeks: a chosen week samples only its messages, a drawn week is a Monday of
 * the month stored with its draw, doubtful messages (matched by subject only, unanswered, one
 * without Message-ID) are opened live from Dovecot, and the referent's corrections change the
 * board's value.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/app';
import { destroyDovecot, freePort, startDovecot, type Dovecot } from '../helpers/dovecot';
import { createOrg, createUser, loggedIn } from '../helpers/factories';
import { bounce, buildMessage, deliver, messageId, newsletter, outOfOffice } from '../helpers/mail-services';
import * as mailboxService from '../../server/campaigns/mailbox.service';
import * as mailboxStore from '../../server/campaigns/mailbox.store';
import { openImap } from '../../server/campaigns/tracking/imap-tracker';
import { mondaysOf, parseRule } from '../../server/sampling/sampling-rule';
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

/**
 * July 2019 around the week of Monday 8 July: A answered by In-Reply-To; B answered by subject
 * and correspondent only (doubtful); C unanswered as far as headers and subject go, but a reply
 * « Votre dossier » went to its sender the next day (doubtful, corrected to answered); D has no
 * Message-ID and no answer (doubtful, excluded by the referent). F (week of 1 July) and E (week
 * of 15 July) are outside the chosen week.
 */
const JULY = (() => {
  const jul = (s: string) => paris(`2019-07-${s}`);
  const people = { A: 'alice', B: 'bruno', C: 'chloe', D: 'denis', E: 'emma', F: 'fanny' } as const;
  const who = (k: keyof typeof people) => ({ name: `Usager ${k}`, address: `${people[k]}@courriel.example` });
  const ids = { A: messageId('courriel.example'), B: messageId('courriel.example'), C: messageId('courriel.example') };
  const withoutMessageId = (b: Buffer) => Buffer.from(b.toString('utf8').replace(/^Message-ID: .*\r\n/m, ''), 'utf8');
  const inbox = [
    buildMessage({ from: who('F'), to: SERVICE.user, subject: 'Passeport', date: jul('05 10:00'), text: 'Question F.' }),
    buildMessage({ from: who('A'), to: SERVICE.user, subject: 'Titre de séjour', date: jul('08 10:00'), messageId: ids.A, text: 'Question A.' }),
    buildMessage({ from: who('B'), to: SERVICE.user, subject: 'Permis de conduire international', date: jul('09 10:00'), messageId: ids.B, text: 'Bonjour, je pars au Canada <b>en août</b> : quel délai ?' }),
    buildMessage({ from: who('C'), to: SERVICE.user, subject: 'Carte grise perdue', date: jul('10 11:00'), messageId: ids.C, text: 'Question C.' }),
    withoutMessageId(buildMessage({ from: who('D'), to: SERVICE.user, subject: 'Sans identifiant', date: jul('11 15:00'), text: 'Question D sans Message-ID.' })),
    buildMessage({ from: who('E'), to: SERVICE.user, subject: 'Naturalisation', date: jul('15 10:00'), text: 'Question E.' }),
  ];
  const sent = [
    buildMessage({ from: service, to: who('A'), subject: 'RE: Titre de séjour', date: jul('09 10:00'), inReplyTo: ids.A, references: [ids.A], text: 'Réponse A.' }),
    buildMessage({ from: service, to: who('B'), subject: 'RE: Permis de conduire international', date: jul('10 10:00'), text: 'Réponse B.' }),
    buildMessage({ from: service, to: who('C'), subject: 'Votre dossier', date: jul('11 16:00'), text: 'Réponse C.' }),
  ];
  return { inbox, sent, ids };
})();

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
  inbox.push(...JULY.inbox);
  sent.push(...JULY.sent);
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
    const jobs = await t.deps.db.execute(sql`select payload from jobs where name = 'sampling.run' and payload->>'month' = '2019-09-01'`);
    const rows = ((jobs as unknown as { rows?: { payload: unknown }[] }).rows ?? jobs) as { payload: unknown }[];
    expect(rows.map((r) => r.payload)).toEqual([{ orgId, mailboxId, month: '2019-09-01', rule: 'first:25', userId, drawnAt: null }]);
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

const rowsOf = <T>(r: unknown) => ((r as { rows?: T[] }).rows ?? r) as T[];
const jobCtx = () => ({ ...t.deps, jobId: 1, attempt: 1, signal: new AbortController().signal } as JobContext);

async function julyRun() {
  const runs = rowsOf<{ id: string; rule: string; drawn_at: Date | null; sampled: number }>(
    await t.deps.db.execute(sql`select id, rule, drawn_at, sampled from mail_sampling_runs where org_id = ${orgId} and month = '2019-07-01'`),
  );
  expect(runs).toHaveLength(1);
  return runs[0];
}

async function julyMails(runId: string) {
  return rowsOf<{ id: string; method: string | null; within_deadline: boolean }>(
    await t.deps.db.execute(sql`select id, method, within_deadline from sampled_mails where org_id = ${orgId} and run_id = ${runId} order by received_at`),
  );
}

async function julyValue() {
  return (await monthValues(t.deps, orgId, '2019-07-01', '2019-07-01')).find((v) => v.indicatorId === 'courriels-5j' && v.breakdown === '');
}

describe('real-mail sampling by weeks, and the review of doubtful cases', () => {
  it('when the referent asks for a week drawn at random, then one Monday of July is drawn, stored with its draw, and only that week is sampled', async () => {
    t.clock.set('2019-08-02T09:30:00+02:00');
    const b = await loggedIn(t.app, referent);
    const form = await b.page('/indicateurs/echantillonnage');
    // « Une semaine tirée au sort » is the form's default.
    expect(form.text).toMatch(/<option value="random-week"\s+selected>/);
    const res = await b.post('/indicateurs/echantillonnage', { mailboxId, mois: '2019-07', regle: 'random-week' });
    expect(res.status).toBe(303);
    const jobs = rowsOf<{ payload: { rule: string; drawnAt: string; month: string } }>(
      await t.deps.db.execute(sql`select payload from jobs where name = 'sampling.run' and payload->>'month' = '2019-07-01'`),
    );
    expect(jobs).toHaveLength(1);
    const drawn = parseRule(jobs[0].payload.rule);
    expect(drawn?.kind).toBe('random-week');
    const monday = (drawn as { monday: string }).monday;
    expect(mondaysOf('2019-07-01')).toContain(monday);
    expect((await b.page('/indicateurs/echantillonnage')).text).toContain('Semaine tirée au sort : du ');

    await samplingJob.run({ ...jobs[0].payload, orgId, mailboxId, userId }, jobCtx());
    const run = await julyRun();
    expect(run.rule).toBe(`random-week:${monday}`);
    expect(new Date(run.drawn_at!).toISOString()).toBe(new Date('2019-08-02T09:30:00+02:00').toISOString());
    // The fixture's citizen messages per week of July (the week of 29 July holds 1–2 August's).
    const perWeek: Record<string, number> = { '2019-07-01': 1, '2019-07-08': 4, '2019-07-15': 1, '2019-07-22': 0, '2019-07-29': 5 };
    expect(run.sampled).toBe(perWeek[monday]);

    const board = await boardModel(t.deps, orgId, '2019-07-01');
    const row = board.rows.find((r) => r.id === 'courriels-5j')!;
    expect(row.formula).toContain(`tirée au sort le 2 août 2019 par ${referent.displayName}`);
  }, 30_000);

  it('when the chosen week is not in the month or not a Monday, then 422 with a French field error', async () => {
    const b = await loggedIn(t.app, referent);
    await b.page('/indicateurs/echantillonnage');
    const outside = await b.post('/indicateurs/echantillonnage', { mailboxId, mois: '2019-07', regle: 'week', semaine: '2019-08-05' });
    expect(outside.status).toBe(422);
    expect(outside.text).toContain('Ce lundi n’est pas en juillet 2019');
    const tuesday = await b.post('/indicateurs/echantillonnage', { mailboxId, mois: '2019-07', regle: 'week', semaine: '2019-07-09' });
    expect(tuesday.status).toBe(422);
    expect(tuesday.text).toContain('Indiquez le lundi de la semaine choisie');
    await expect(runSampling(t.deps, orgId, { mailboxId, month: '2019-07-01', rule: { kind: 'week', monday: '2019-08-05' } })).rejects.toMatchObject({ status: 422 });
  });

  it('when the referent chooses the week of 8 July, then only its 4 messages are sampled: 2 answered in time (50 %), the rule printed with its dates', async () => {
    const b = await loggedIn(t.app, referent);
    await b.page('/indicateurs/echantillonnage');
    expect((await b.post('/indicateurs/echantillonnage', { mailboxId, mois: '2019-07', regle: 'week', semaine: '2019-07-08' })).status).toBe(303);
    const jobs = rowsOf<{ payload: { rule: string; month: string; drawnAt: string | null } }>(
      await t.deps.db.execute(sql`select payload from jobs where name = 'sampling.run' and payload->>'rule' = 'week:2019-07-08'`),
    );
    expect(jobs).toHaveLength(1);
    await samplingJob.run({ ...jobs[0].payload, orgId, mailboxId, userId }, jobCtx());

    const run = await julyRun();
    expect(run).toMatchObject({ rule: 'week:2019-07-08', drawn_at: null, sampled: 4 });
    expect((await julyMails(run.id)).map((m) => [m.method, m.within_deadline])).toEqual([
      ['in-reply-to', true], ['subject', true], [null, false], [null, false],
    ]);
    expect(await julyValue()).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    const row = (await boardModel(t.deps, orgId, '2019-07-01')).rows.find((r) => r.id === 'courriels-5j')!;
    expect(row.formula).toContain('la semaine du 8 au 14 juillet 2019, choisie par le référent');
  }, 30_000);

  it('when the referent opens the run, then its messages show with dates and how the answer was found, and the doubtful ones link to the mailbox', async () => {
    const run = await julyRun();
    const mails = await julyMails(run.id);
    const b = await loggedIn(t.app, referent);
    const page = await b.page(`/indicateurs/echantillonnage/${run.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('la semaine du 8 au 14 juillet 2019, choisie par le référent');
    expect(page.text).toContain('2 / 4 (50 %)');
    expect(page.text).toContain('En-tête In-Reply-To');
    expect(page.text).toContain('Objet et correspondant seulement');
    // B, C and D are doubtful; A is not.
    for (const [i, m] of mails.entries()) expect(page.text.includes(`/messages/${m.id}`)).toBe(i > 0);
    // Nothing of the content: no address, no subject.
    expect(page.text).not.toMatch(/courriel\.example|Permis de conduire|Carte grise/);
  });

  it('when a doubtful message is opened live, then it is found again by its key and shown with its text (escaped) and the candidate replies', async () => {
    const run = await julyRun();
    const [, bMail] = await julyMails(run.id);
    const b = await loggedIn(t.app, referent);
    const page = await b.page(`/indicateurs/echantillonnage/${run.id}/messages/${bMail.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Permis de conduire international');
    expect(page.text).toContain('bruno@courriel.example');
    expect(page.text).toContain('je pars au Canada &lt;b&gt;en août&lt;/b&gt;');
    expect(page.text).toContain('« RE: Permis de conduire international »');
    // Read live, never stored.
    const stored = JSON.stringify(rowsOf(await t.deps.db.execute(sql`select * from sampled_mails where org_id = ${orgId}`)));
    expect(stored).not.toMatch(/Canada|bruno|Permis/);
  }, 20_000);

  it('when a message without Message-ID is opened live, then it is found by its uid and date', async () => {
    const run = await julyRun();
    const dMail = (await julyMails(run.id))[3];
    const b = await loggedIn(t.app, referent);
    const page = await b.page(`/indicateurs/echantillonnage/${run.id}/messages/${dMail.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Question D sans Message-ID.');
    expect(page.text).toContain('Aucun message envoyé ne correspond.');
  }, 20_000);

  it('when the referent records the answer found for C, then the board counts it (3 / 4); excluding D leaves it out (3 / 3); the run page says who reviewed', async () => {
    const run = await julyRun();
    const [, , cMail, dMail] = await julyMails(run.id);
    const b = await loggedIn(t.app, referent);
    const live = await b.page(`/indicateurs/echantillonnage/${run.id}/messages/${cMail.id}`);
    expect(live.text).toContain('« Votre dossier »');
    const uid = /name="reponse" value="(\d+)"/.exec(live.text)?.[1];
    expect(uid).toBeDefined();

    const missing = await b.post(`/indicateurs/echantillonnage/${run.id}/messages/${cMail.id}`, { decision: 'answered' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Choisissez la réponse trouvée');

    const res = await b.post(`/indicateurs/echantillonnage/${run.id}/messages/${cMail.id}`, { decision: 'answered', reponse: uid! });
    expect(res.status).toBe(303);
    expect(await julyValue()).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
    const corrected = rowsOf<Record<string, unknown>>(await t.deps.db.execute(sql`select * from sampled_mails where id = ${cMail.id}`))[0];
    expect(corrected).toMatchObject({ review_decision: 'answered', reviewed_within: true, reviewed_by: userId, within_deadline: false });
    expect(new Date(corrected.reviewed_answered_at as string).toISOString()).toBe(paris('2019-07-11 16:00').toISOString());

    expect((await b.post(`/indicateurs/echantillonnage/${run.id}/messages/${dMail.id}`, { decision: 'excluded' })).status).toBe(303);
    expect(await julyValue()).toMatchObject({ numerator: 3, denominator: 3, value: 100 });
    const row = (await boardModel(t.deps, orgId, '2019-07-01')).rows.find((r) => r.id === 'courriels-5j')!;
    expect(row.formula).toContain('3 courriels répondus sous 5 jours ouvrés sur 3 échantillonnés');

    const page = await b.page(`/indicateurs/echantillonnage/${run.id}`);
    expect(page.text).toContain(`Revu par ${referent.displayName} le `);
    expect(page.text).toContain('Exclu : pas un courriel d’usager');
    expect(page.text).toContain('3 / 3 (100 %)');
  }, 30_000);

  it('when the same week is sampled again, then the reviews follow their messages', async () => {
    await runSampling(t.deps, orgId, { mailboxId, month: '2019-07-01', rule: { kind: 'week', monday: '2019-07-08' } });
    expect(await julyValue()).toMatchObject({ numerator: 3, denominator: 3 });
  }, 20_000);

  it('when the mailbox cannot be reached, then the page says so with the failing step (502, not 500)', async () => {
    const run = await julyRun();
    const bMail = (await julyMails(run.id))[1];
    const b = await loggedIn(t.app, referent);
    const closed = await freePort();
    await mailboxStore.updateMailbox(t.deps.db, orgId, mailboxId, { imapPort: closed });
    try {
      const page = await b.page(`/indicateurs/echantillonnage/${run.id}/messages/${bMail.id}`);
      expect(page.status).toBe(502);
      expect(page.text).toContain('Connexion à la boîte « Accueil général » impossible — IMAP : connexion refusée');
    } finally {
      await mailboxStore.updateMailbox(t.deps.db, orgId, mailboxId, { imapPort: dovecot.port });
    }
  }, 20_000);

  it('when the message is gone from the mailbox, then the page says the search found nothing', async () => {
    const run = await julyRun();
    const aMail = (await julyMails(run.id))[0];
    const session = await openImap(mailboxService.imapSettingsOf(t.deps, (await mailboxStore.getMailbox(t.deps.db, orgId, mailboxId))!));
    try {
      expect(await session.removeMessageId('INBOX', JULY.ids.A)).toBe(true);
    } finally {
      await session.close();
    }
    const b = await loggedIn(t.app, referent);
    const page = await b.page(`/indicateurs/echantillonnage/${run.id}/messages/${aMail.id}`);
    expect(page.status).toBe(502);
    expect(page.text).toContain('Recherche du message : aucun message du dossier « INBOX » reçu autour du 8 juillet 2019 ne correspond.');
  }, 20_000);

  it('when another organisation’s referent or a viewer asks for the run or its message, then 404', async () => {
    const run = await julyRun();
    const bMail = (await julyMails(run.id))[1];
    const other = await loggedIn(t.app, await createUser(t.deps, otherOrgId, 'referent'));
    expect((await other.page(`/indicateurs/echantillonnage/${run.id}`)).status).toBe(404);
    expect((await other.page(`/indicateurs/echantillonnage/${run.id}/messages/${bMail.id}`)).status).toBe(404);
    expect((await other.post(`/indicateurs/echantillonnage/${run.id}/messages/${bMail.id}`, { decision: 'excluded' })).status).toBe(404);
    expect((await other.page('/indicateurs/echantillonnage/pas-un-uuid')).status).toBe(404);
    // A viewer: a page naming an object answers 404, as everywhere (auth/policies.ts).
    const viewer = await loggedIn(t.app, await createUser(t.deps, orgId, 'viewer'));
    expect((await viewer.page(`/indicateurs/echantillonnage/${run.id}`)).status).toBe(404);
    expect(await julyValue()).toMatchObject({ numerator: 3, denominator: 3 });
  });
});
