/**
 * Send mode, end to end, with a real SMTP listener that delivers into a real Dovecot:
 * the referent configures the mystery mailbox and tests the connection, creates and launches a
 * campaign through the pages; the job runner sends each probe at its planned time (one
 * greylisting refusal, one recipient refused for good, one address that bounces); the services
 * answer (mail-services.ts); the live tracker (IDLE) records the replies; the follow-up page, the
 * results and the referent's corrections.
 *
 * Services' replies come a fixed number of hours after the probe, the same day, so delays are
 * hours / 24 working days: 2 h → 0.0833, 1 h → 0.0417.
 */
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { JobRunner } from '../../../server/jobs/runner';
import { jobs } from '../../../server/jobs/registry';
import { rows } from '../../../server/storage/db';
import { TrackingSupervisor } from '../../../server/campaigns/tracking/supervisor';
import { SIGNATURE_ITEMS } from '../../../server/campaigns/classification/signature';
import { startSmtp, type SmtpTestServer } from '../../helpers/smtp';
import * as S from '../../helpers/mail-services';
import { createUser, loggedIn, type Browser } from '../../helpers/factories';
import { MYSTERY, mailTestContext, type MailTestContext } from './setup';
import { waitFor } from '../../helpers/wait';

const NN = '\u202f';
const D = 'prefecture.example';
const SERVICES = [
  { key: 'accueil', name: 'Accueil général', address: `accueil@${D}` },
  { key: 'sejour', name: 'Bureau du séjour', address: `sejour@${D}` },
  { key: 'urba', name: 'Urbanisme', address: `urbanisme@${D}` },
  { key: 'ancien', name: 'Ancien bureau', address: `ancien@${D}` },
  { key: 'refus', name: 'Bureau fermé', address: `refus@${D}` },
];
const SERVICE_PASSWORD = 'service-pass';
const SMTP_USER = { user: 'camille.smtp', password: 'smtp-secret-9' };

let ctx: MailTestContext;
let smtp: SmtpTestServer;
let referent: Browser;
let campaignId: string;
let mailboxId: string;
let supervisor: TrackingSupervisor | undefined;

const api = (path: string) => request(ctx.t.app).get(`/api/v1${path}`).set('Authorization', `Bearer ${ctx.token}`);
const q = async <T>(query: ReturnType<typeof sql>) => rows<T>(await ctx.t.deps.db.execute(query));
const account = (address: string) => ({ user: address, password: SERVICE_PASSWORD });

beforeAll(async () => {
  const accounts = new Map(SERVICES.filter((s) => s.key !== 'ancien' && s.key !== 'refus').map((s) => [s.address, account(s.address)]));
  ctx = await mailTestContext({
    services: SERVICES.map((s) => ({ name: s.name, address: s.address })),
    extraUsers: [...accounts.values()],
    mailbox: false,
    config: { MIN_CELL_SIZE: '1' },
  });
  accounts.set(MYSTERY.user, { user: MYSTERY.user, password: MYSTERY.password });
  smtp = await startSmtp({ users: { [SMTP_USER.user]: SMTP_USER.password }, deliver: S.deliverer(ctx.dovecot, accounts, new Set([`ancien@${D}`])) });
  smtp.refuseRecipient(`refus@${D}`, 550, `5.1.1 <refus@${D}>: Recipient address rejected: User unknown in local recipient table`);
  // Monday 1 December 2025, 07:00 in Paris (in the past: IMAP internal dates are real time).
  ctx.t.clock.set('2025-12-01T06:00:00Z');
  referent = await loggedIn(ctx.t.app, ctx.referent);
}, 60_000);
afterAll(async () => {
  await supervisor?.stop();
  await smtp?.close();
  await ctx?.close();
});

const mailboxForm = (over: Record<string, string> = {}) => ({
  displayName: MYSTERY.name, address: MYSTERY.user,
  smtpHost: '127.0.0.1', smtpPort: String(smtp.port), smtpSecurity: 'none', smtpUser: SMTP_USER.user, smtpPassword: SMTP_USER.password,
  imapHost: ctx.dovecot.host, imapPort: String(ctx.dovecot.port), imapUser: MYSTERY.user, imapPassword: MYSTERY.password,
  inboxFolder: 'INBOX', sentFolder: 'Sent', ...over,
});

describe('when the referent configures the mystery mailbox', () => {
  it('then a form with errors is shown again without the passwords typed', async () => {
    const res = await referent.post('/boites-mysteres', mailboxForm({ address: 'pas-une-adresse', smtpPassword: 'typed-secret-1' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Saisissez une adresse électronique valide.');
    expect(res.text).not.toContain('typed-secret-1');
  });

  it('then the mailbox is saved with sealed passwords never shown again', async () => {
    const res = await referent.post('/boites-mysteres', mailboxForm());
    expect(res.status).toBe(303);
    mailboxId = res.headers.location.split('/').pop()!;
    const page = await referent.page(`/boites-mysteres/${mailboxId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(SMTP_USER.password);
    expect(page.text).not.toContain(MYSTERY.password);
    const [row] = await q<{ smtp: string; imap: string }>(sql`select smtp_password_sealed as smtp, imap_password_sealed as imap from mystery_mailboxes where id = ${mailboxId}`);
    expect(row.smtp).toMatch(/^v1\./);
    expect(row.smtp).not.toContain(SMTP_USER.password);
    expect(row.imap).not.toContain(MYSTERY.password);
    const json = await api(`/boites-mysteres/${mailboxId}`);
    expect(JSON.stringify(json.body)).not.toContain(MYSTERY.password);
    expect(json.body.imap.passwordSet).toBe(true);
  });

  it('then « tester la connexion » checks SMTP and IMAP and says so', async () => {
    const res = await referent.post(`/boites-mysteres/${mailboxId}/tester`);
    expect(res.status).toBe(303);
    const page = await referent.page(`/boites-mysteres/${mailboxId}`);
    expect(page.text).toContain('SMTP : connexion et authentification réussies');
    expect(page.text).toContain('IMAP : connexion réussie, dossiers « INBOX » et « Sent » trouvés.');
  });

  it('then a wrong password, a wrong folder or a closed port are each named precisely', async () => {
    const edit = async (over: Record<string, string>) => {
      expect((await referent.post(`/boites-mysteres/${mailboxId}`, mailboxForm(over))).status).toBe(303);
      await referent.post(`/boites-mysteres/${mailboxId}/tester`);
      return (await referent.page(`/boites-mysteres/${mailboxId}`)).text;
    };
    let text = await edit({ sentFolder: 'Envoyés' });
    expect(text).toContain('IMAP : dossier « Envoyés » introuvable. Le serveur désigne « Sent » comme dossier des messages envoyés. Dossiers disponibles : INBOX, Sent.');
    text = await edit({ sentFolder: 'Sent', smtpPort: '1' });
    expect(text).toContain('SMTP : connexion refusée : vérifiez l’hôte et le port.');
    text = await edit({ smtpPort: String(smtp.port), imapPassword: 'wrong-password', smtpPassword: 'wrong-too' });
    expect(text).toContain('SMTP : authentification refusée');
    expect(text).toContain('IMAP : authentification refusée');
    // Dovecot delays logins from an address after failures (anvil penalty): start afresh.
    await ctx.dovecot.restart();
    text = await edit({ smtpPassword: SMTP_USER.password, imapPassword: MYSTERY.password });
    expect(text).toContain('IMAP : connexion réussie');
  });
});

describe('when a campaign is created and launched', () => {
  it('then the creation form offers the organisation’s service addresses and the mailbox', async () => {
    const page = await referent.page('/campagnes-courriel/nouvelle');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Bureau du séjour – sejour@${D}`);
    expect(page.text).toContain('Camille Martin &lt;camille.martin74@orange.example&gt;');
    expect((await referent.page('/boites-mysteres')).text).toContain('réussi le');
    const bad = await referent.post('/campagnes-courriel', { name: 'X', mode: 'send', mailboxId, periodStart: '2025-12-05', periodEnd: '2025-12-01' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Choisissez au moins un service.');
    expect(bad.text).toContain('La fin doit suivre le début.');
  });

  it('then the probes are planned on working days, in office hours, never twice the same day to a service', async () => {
    const form: Record<string, string | string[]> = {
      name: 'Campagne de décembre', mode: 'send', mailboxId, periodStart: '2025-12-01', periodEnd: '2025-12-05',
      targets: SERVICES.map((s) => `${ctx.services.get(s.address)!.id}|${s.address}`),
      probesPerService: '2', windowStart: '09:00', windowEnd: '17:00', seed: 'decembre',
      signatureChecklist: [...SIGNATURE_ITEMS], deadlineDays: '5', holidayZone: 'metropole', retentionDays: '365', defaultQuestions: 'on',
      variables: 'commune = Annecy; Thonon-les-Bains',
    };
    // Services say which questions they handle (issue 14): the plan matches on them.
    const editService = async (key: string, categories: string[]) => {
      const s = ctx.services.get(SERVICES.find((x) => x.key === key)!.address)!;
      await referent.page(`/organisation/services/${s.id}`);
      const posted = await referent.agent.post(`/organisation/services/${s.id}`).type('form').set('Accept', 'text/html').send({ name: s.name, emails: s.address, phones: '', categories, _csrf: referent.csrf });
      expect(posted.status).toBe(303);
    };
    await editService('urba', ['urbanisme']);
    await editService('sejour', ['horaires', 'rendez-vous', 'sejour']);
    const unknown = await referent.post(`/organisation/services/${ctx.services.get(`urbanisme@${D}`)!.id}`, { name: 'Urbanisme', emails: `urbanisme@${D}`, categories: 'astrologie' });
    expect(unknown.status).toBe(422);
    expect((await referent.page('/organisation/services')).text).toContain('Horaires, Rendez-vous, Titres de séjour');
    const res = await referent.agent.post('/campagnes-courriel').type('form').set('Accept', 'text/html').send({ ...form, _csrf: referent.csrf });
    expect(res.status).toBe(303);
    campaignId = res.headers.location.split('/').pop()!;
    const draft = (await referent.page(`/campagnes-courriel/${campaignId}`)).text;
    expect(draft).toContain('Questions sur : Urbanisme.');
    expect(draft).toContain('Questions sur : Horaires, Rendez-vous.');
    expect(draft).toContain('Questions générales : la banque n’a aucune question des sujets que traite ce service');
    expect((await referent.post(`/campagnes-courriel/${campaignId}/lancer`, { confirme: '1' })).status).toBe(303);
    expect((await referent.post(`/campagnes-courriel/${campaignId}/lancer`, { confirme: '1' })).status).toBe(422);
    const probes = await q<{ to_address: string; planned_at: Date; day: string; minute: number; dow: number; body: string; subject: string }>(sql`
      select to_address, planned_at, (planned_at at time zone 'Europe/Paris')::date::text as day,
             extract(hour from planned_at at time zone 'Europe/Paris')::int * 60 + extract(minute from planned_at at time zone 'Europe/Paris')::int as minute,
             extract(isodow from planned_at at time zone 'Europe/Paris')::int as dow, body, subject
      from mail_probes where campaign_id = ${campaignId}`);
    expect(probes).toHaveLength(10);
    for (const p of probes) {
      expect(p.minute).toBeGreaterThanOrEqual(9 * 60);
      expect(p.minute).toBeLessThan(17 * 60);
      expect(p.dow).toBeLessThanOrEqual(5);
      expect(p.body).not.toMatch(/\{\{/);
      expect(p.body).toContain('Camille');
    }
    expect(probes.filter((p) => p.to_address === `urbanisme@${D}`).map((p) => p.subject)).toEqual(['Question sur un permis de construire', 'Question sur un permis de construire']);
    expect(probes.filter((p) => p.to_address === `sejour@${D}`).map((p) => p.subject).sort()).toEqual(['Horaires d’ouverture', 'Prise de rendez-vous']);
    const pairs = probes.map((p) => `${p.to_address} ${p.day}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    const jobsQueued = await q<{ n: number }>(sql`select count(*)::int as n from jobs where name = 'campaigns.send-probe' and status = 'queued'`);
    expect(jobsQueued[0].n).toBe(10);
    const list = await referent.page('/campagnes-courriel');
    expect(list.text).toContain('Campagne de décembre');
    expect(list.text).toContain('En cours');
  });

  it('then each probe is sent once at its time, retried after a transient refusal, failed with the server’s words after a permanent one', async () => {
    smtp.failNext(1, 451, '4.7.1 Greylisting in action, please come back later');
    const runner = new JobRunner(ctx.t.deps, jobs);
    const planned = await q<{ planned_at: Date }>(sql`select planned_at from mail_probes where campaign_id = ${campaignId} order by planned_at`);
    for (const p of planned) {
      ctx.t.clock.set(p.planned_at);
      await runner.drain();
    }
    ctx.t.clock.set('2025-12-05T17:00:00Z');
    await runner.drain();
    const states = await q<{ to_address: string; state: string; attempts: number; last_error: string | null; message_id: string; sent_copy: string | null }>(sql`
      select to_address, state, attempts, last_error, message_id, sent_copy from mail_probes where campaign_id = ${campaignId} order by planned_at`);
    expect(states.filter((s) => s.state === 'sent')).toHaveLength(8);
    const failed = states.filter((s) => s.state === 'failed');
    expect(failed.map((f) => f.to_address)).toEqual([`refus@${D}`, `refus@${D}`]);
    expect(failed[0].last_error).toContain('5.1.1');
    expect(failed[0].last_error).toContain('User unknown');
    expect(failed[0].attempts).toBe(1);
    // The greylisting refusal hit the first message that reached DATA: it was sent on its second attempt.
    expect(states.filter((x) => x.attempts === 2).map((x) => x.state)).toEqual(['sent']);
    for (const s of states.filter((x) => x.state === 'sent')) {
      expect(smtp.countOf(s.message_id)).toBe(1);
      expect(s.sent_copy).toBe('appended');
    }
  });

  it('then the services receive a citizen-like message and the sent folder holds each copy once', async () => {
    const got = smtp.received.find((m) => m.to.includes(`accueil@${D}`))!;
    const head = got.raw.toString('utf8').split('\r\n\r\n')[0];
    expect(head).toMatch(/^From: Camille Martin <camille\.martin74@orange\.example>$/m);
    expect(head).toMatch(/^Message-ID: <[0-9a-f-]+@orange\.example>$/m);
    expect(head).not.toMatch(/^X-Mailer:/im);
    const c = new ImapFlow({ host: ctx.dovecot.host, port: ctx.dovecot.port, secure: false, auth: { user: MYSTERY.user, pass: MYSTERY.password }, logger: false });
    c.on('error', () => undefined);
    await c.connect();
    const lock = await c.getMailboxLock('Sent');
    let ids: string[];
    try {
      ids = (await c.fetchAll('1:*', { envelope: true })).map((m) => m.envelope!.messageId!);
    } finally {
      lock.release();
      await c.logout();
    }
    const sent = await q<{ message_id: string }>(sql`select message_id from mail_probes where campaign_id = ${campaignId} and state = 'sent'`);
    expect(ids.sort()).toEqual(sent.map((s) => s.message_id).sort());
  });
});

describe('when the services answer', () => {
  // The session was opened on 1 December; the clock has moved on since.
  beforeAll(async () => {
    referent = await loggedIn(ctx.t.app, ctx.referent);
  });

  it('then the live tracker records every reply once and the follow-up shows the timeline', async () => {
    const seen = new Map<string, S.SeenProbe[]>();
    for (const s of SERVICES.filter((x) => ['accueil', 'sejour', 'urba'].includes(x.key))) seen.set(s.key, await S.readInbox(ctx.dovecot, account(s.address)));
    const me = { user: MYSTERY.user, password: MYSTERY.password };
    const svc = (key: string) => ({ name: `PREF - ${key}`, address: SERVICES.find((s) => s.key === key)!.address });
    const agent = (n: number): S.Agent => ({ firstName: 'Sophie', lastName: 'Berthier', function: 'Cheffe de bureau', service: 'Bureau de l’accueil', address: `agent${n}@${D}`, phone: '04 50 00 00 0' + n });
    const [a1, a2] = seen.get('accueil')!;
    const [s1] = seen.get('sejour')!;
    const [u1, u2] = seen.get('urba')!;
    supervisor = new TrackingSupervisor(ctx.t.deps, { pollMs: 1000, idleDelayMs: 100, refreshMs: 60_000, backoffMinMs: 100, backoffMaxMs: 500 });
    supervisor.start();
    await waitFor('tracker connected', async () => supervisor!.tracker(mailboxId)?.connected);
    await S.deliver(ctx.dovecot, me, 'INBOX', [
      S.autoAck(a1, S.after(a1.date, 0.02), svc('accueil')), S.answer(a1, S.after(a1.date, 2), agent(1)),
      S.autoAck(a2, S.after(a2.date, 0.02), svc('accueil')), S.answer(a2, S.after(a2.date, 2), agent(2), { via: 'forward' }),
      S.humanAck(s1, S.after(s1.date, 0.5), svc('sejour')), S.answer(s1, S.after(s1.date, 1), agent(3), { conforming: false }),
      S.outOfOffice(u1, S.after(u1.date, 0.01), { address: `jean.dupont@${D}` }), S.autoAck(u2, S.after(u2.date, 0.02), svc('urba')),
    ]);
    const total = await waitFor('10 replies', async () => {
      const [r] = await q<{ n: number }>(sql`select count(*)::int as n from mail_replies where mailbox_id = ${mailboxId}`);
      return r.n >= 10 ? r.n : false;
    });
    expect(total).toBe(10);
    const res = await api(`/campagnes-courriel/${campaignId}/resultats`);
    const i = res.body.indicators;
    expect({ sent: i.sent, delivered: i.delivered, bounced: i.bounced }).toEqual({ sent: 8, delivered: 6, bounced: 2 });
    expect(i.acknowledgements).toMatchObject({ numerator: 4, denominator: 6 });
    expect(i.answers).toMatchObject({ numerator: 3, denominator: 6, display: `50${NN}%` });
    expect(i.conformingSignatures).toMatchObject({ numerator: 2, denominator: 3 });
    expect(i.withinDeadline).toMatchObject({ numerator: 3, denominator: 3 });
    expect(i.meanDelay.value).toBeCloseTo(5 / 72, 2);
    expect(i.meanDelay.display).toBe('0,1 jour');
    expect(res.body.bounces.map((b: { address: string }) => b.address)).toEqual([`ancien@${D}`, `ancien@${D}`]);

    const page = await referent.page(`/campagnes-courriel/${campaignId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Adresse invalide');
    expect(page.text).toContain('Échec d’envoi');
    expect(page.text).toContain('incomplète (téléphone)');
  });

  it('then a probe’s page shows the new text, the quoted history folded away and the signature items', async () => {
    const [p] = await q<{ id: string }>(sql`select p.id from mail_probes p join mail_replies r on r.probe_id = p.id where r.reply_class = 'answer' and r.match_method = 'subject' limit 1`);
    const page = await referent.page(`/campagnes-courriel/${campaignId}/messages/${p.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Afficher l’historique cité');
    expect(page.text).toContain('objet, domaine et date');
    expect(page.text).toMatch(/✓<\/span> Téléphone<span class="fr-sr-only"> : présent/);
  });
});

describe('when the referent corrects replies', () => {
  const replyOf = async (where: ReturnType<typeof sql>) => (await q<{ id: string; probe_id: string }>(sql`select id, probe_id from mail_replies where ${where} limit 1`))[0];
  const correct = (replyId: string, form: Record<string, string | string[]>) => {
    ctx.t.clock.advance(60_000);
    return referent.agent.post(`/campagnes-courriel/${campaignId}/reponses/${replyId}/corriger`).type('form').set('Accept', 'text/html').send({ ...form, _csrf: referent.csrf });
  };
  const indicators = async () => (await api(`/campagnes-courriel/${campaignId}/resultats`)).body.indicators;

  it('then every correction is kept with who and when, and the figures are recomputed', async () => {
    const incomplete = await replyOf(sql`reply_class = 'answer' and (signature->>'phone')::boolean = false`);
    expect((await correct(incomplete.id, { field: 'signature', items: [...SIGNATURE_ITEMS] })).status).toBe(303);
    expect((await indicators()).conformingSignatures).toMatchObject({ numerator: 3, denominator: 3 });

    const ooo = await replyOf(sql`reply_class = 'out_of_office'`);
    expect((await correct(ooo.id, { field: 'class', replyClass: 'acknowledgement' })).status).toBe(303);
    expect((await indicators()).acknowledgements).toMatchObject({ numerator: 5, denominator: 6 });

    const ans = await replyOf(sql`reply_class = 'answer' and match_method = 'in-reply-to'`);
    expect((await correct(ans.id, { field: 'probe', probeId: '' })).status).toBe(303);
    expect((await indicators()).answers.numerator).toBe(2);
    expect((await correct(ans.id, { field: 'probe', probeId: ans.probe_id })).status).toBe(303);
    expect((await indicators()).answers.numerator).toBe(3);

    const named = await replyOf(sql`reply_class = 'answer'`);
    await correct(named.id, { field: 'signature', items: ['function', 'service', 'address', 'phone'] });
    expect((await indicators()).conformingSignatures.numerator).toBe(2);
    await correct(named.id, { field: 'anonymity', anonymityJustified: 'on' });
    expect((await indicators()).conformingSignatures.numerator).toBe(3);

    const log = await q<{ field: string; user_name: string; user_id: string }>(sql`select field, user_name, user_id from mail_corrections order by created_at, id`);
    expect(log.map((l) => l.field)).toEqual(['signature', 'class', 'probe', 'probe', 'signature', 'anonymity']);
    expect(new Set(log.map((l) => l.user_id))).toEqual(new Set([ctx.referent.id]));
    const page = await referent.page(`/campagnes-courriel/${campaignId}/messages/${named.probe_id}`);
    expect(page.text).toContain('anonymat justifié');
    expect(page.text).toContain(ctx.referent.displayName);
  });

  it('then a viewer reads the follow-up but cannot correct', async () => {
    const viewer = await loggedIn(ctx.t.app, await createUser(ctx.t.deps, ctx.orgId, 'viewer'));
    expect((await viewer.page(`/campagnes-courriel/${campaignId}`)).status).toBe(200);
    expect((await viewer.page(`/campagnes-courriel/${campaignId}/resultats`)).status).toBe(200);
    const r = await q<{ id: string }>(sql`select id from mail_replies limit 1`);
    expect((await viewer.post(`/campagnes-courriel/${campaignId}/reponses/${r[0].id}/corriger`, { field: 'class', replyClass: 'answer' })).status).toBe(404);
    expect((await viewer.page(`/boites-mysteres/${mailboxId}`)).status).toBe(404);
  });
});
