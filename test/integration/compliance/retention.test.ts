/**
 * Retention actually applied (compliance.retention job): one test per kind of personal data
 * proves the purge, on PGlite and PostgreSQL, and that the figures depending on it stay.
 */
import { sql } from 'drizzle-orm';
import { campaignResults } from '../../../server/campaigns/campaign.service';
import { applyRetention } from '../../../server/compliance/retention.job';
import { retentionRules } from '../../../server/compliance/retention.rules';
import * as complianceStore from '../../../server/compliance/compliance.store';
import { rows } from '../../../server/storage/db';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createUser, loggedIn } from '../../helpers/factories';
import { createComplaint } from '../../../server/complaints/complaint.service';
import { complaintSchema } from '../../../server/complaints/complaint.schemas';
import { AGENT_EMAIL, seedCampaign } from './fixtures';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const one = async <T>(q: ReturnType<typeof sql>) => rows<T>(await t.deps.db.execute(q))[0];

describe('retention rules', () => {
  it('when the module loads, then every kind named in processings.json with a built-in module has a rule', () => {
    expect(retentionRules().map((r) => r.kind).sort()).toEqual(['accounts.inactive', 'complaints.contact', 'logs', 'mail.agent-identity', 'rights.log']);
  });

  it('when 90 days have passed since the end of a campaign, then the agents’ addresses, texts and raw messages are erased and the figures stay', async () => {
    const org = await createOrg(t.deps);
    const { campaignId } = await seedCampaign(t.deps, org.id, { periodEnd: '2019-06-30' });
    const before = (await campaignResults(t.deps, org.id, campaignId)).metrics;

    // 89 days after the end: nothing yet.
    await applyRetention(t.deps.db, new Date('2019-09-28T12:00:00Z'));
    expect((await one<{ n: number }>(sql`select count(*)::int as n from mail_replies where org_id = ${org.id} and from_address is not null`)).n).toBe(4);

    await applyRetention(t.deps.db, new Date('2019-09-30T12:00:00Z'));
    const left = await one<{ addr: number; txt: number; raw: number }>(sql`select
      (select count(*)::int from mail_replies where org_id = ${org.id} and from_address is not null) as addr,
      (select count(*)::int from mail_replies where org_id = ${org.id} and (text is not null or full_text is not null or subject is not null)) as txt,
      (select count(*)::int from mail_raw_messages where org_id = ${org.id}) as raw`);
    expect(left).toEqual({ addr: 0, txt: 0, raw: 0 });
    expect((await campaignResults(t.deps, org.id, campaignId)).metrics).toEqual(before);
    const runs = await complianceStore.lastRetentionRuns(t.deps.db, org.id);
    expect(runs.find((r) => r.kind === 'mail.agent-identity')?.purged).toBe(4);

    // Idempotent: a second run finds nothing more.
    const again = await applyRetention(t.deps.db, new Date('2019-10-01T12:00:00Z'));
    expect(again['mail.agent-identity']).toBe(0);
  });

  it('when an organisation sets a longer duration, then its campaign keeps the identities until then', async () => {
    const org = await createOrg(t.deps);
    await complianceStore.saveSettings(t.deps.db, org.id, { retentionDays: { 'mail.agent-identity': 200 } });
    await seedCampaign(t.deps, org.id, { periodEnd: '2019-06-30' });
    await applyRetention(t.deps.db, new Date('2019-09-30T12:00:00Z'));
    expect((await one<{ n: number }>(sql`select count(*)::int as n from mail_replies where org_id = ${org.id} and from_address = ${AGENT_EMAIL}`)).n).toBe(1);
  });

  it('when an account has not logged in for a year, then it is anonymised, deactivated and logged out; an account used recently is left alone', async () => {
    const org = await createOrg(t.deps);
    const stale = await createUser(t.deps, org.id, 'evaluator');
    const fresh = await createUser(t.deps, org.id, 'referent');
    const now = new Date(Date.now() + 400 * 86_400_000);
    await t.deps.db.execute(sql`update users set last_login_at = ${new Date(now.getTime() - 10 * 86_400_000).toISOString()}::timestamptz where id = ${fresh.id}`);
    await t.deps.db.execute(sql`insert into sessions (id, user_id, expires_at) values (${`s-${stale.id}`}, ${stale.id}, ${now.toISOString()}::timestamptz)`);
    await applyRetention(t.deps.db, now);
    const s = await one<{ email: string; display_name: string; active: boolean; password_hash: string | null }>(sql`select email, display_name, active, password_hash from users where id = ${stale.id}`);
    expect(s.email).toBe(`anonymise-${stale.id}@invalid`);
    expect(s.display_name).toBe('Personne anonymisée');
    expect(s.active).toBe(false);
    expect(s.password_hash).toBeNull();
    expect((await one<{ n: number }>(sql`select count(*)::int as n from sessions where user_id = ${stale.id}`)).n).toBe(0);
    expect((await one<{ email: string }>(sql`select email from users where id = ${fresh.id}`)).email).toBe(fresh.email);
  });

  it('when invitations, finished jobs and expired sessions are older than 30 days, then they are deleted; recent ones stay', async () => {
    const org = await createOrg(t.deps);
    const now = new Date('2030-01-31T00:00:00Z');
    const ref = await createUser(t.deps, org.id, 'referent');
    await t.deps.db.execute(sql`insert into invitations (org_id, email, role, token_hash, expires_at) values
      (${org.id}, 'old@pref.test', 'viewer', ${`h-old-${org.id}`}, '2029-12-01T00:00:00Z'),
      (${org.id}, 'new@pref.test', 'viewer', ${`h-new-${org.id}`}, '2030-02-05T00:00:00Z')`);
    await t.deps.db.execute(sql`insert into jobs (name, status, finished_at, last_error) values
      ('test.old', 'failed', '2029-12-01T00:00:00Z', 'refused by old@pref.test'), ('test.recent', 'done', '2030-01-20T00:00:00Z', null)`);
    await t.deps.db.execute(sql`insert into sessions (id, user_id, expires_at) values (${`old-${ref.id}`}, ${ref.id}, '2029-12-01T00:00:00Z')`);
    await applyRetention(t.deps.db, now);
    expect(rows<{ email: string }>(await t.deps.db.execute(sql`select email from invitations where org_id = ${org.id}`)).map((r) => r.email)).toEqual(['new@pref.test']);
    expect(rows<{ name: string }>(await t.deps.db.execute(sql`select name from jobs where name like 'test.%'`)).map((r) => r.name)).toEqual(['test.recent']);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from sessions where id = ${`old-${ref.id}`}`)).n).toBe(0);
  });

  it('when a rights-request trace is older than five years, then it is deleted', async () => {
    const org = await createOrg(t.deps);
    await t.deps.db.execute(sql`insert into rights_actions (org_id, action, subject, user_name, created_at) values
      (${org.id}, 'search', 'ancien@pref.test', 'Référent', '2020-01-01T00:00:00Z'), (${org.id}, 'search', 'recent@pref.test', 'Référent', '2026-01-01T00:00:00Z')`);
    await applyRetention(t.deps.db, new Date('2026-06-01T00:00:00Z'));
    expect(rows<{ subject: string }>(await t.deps.db.execute(sql`select subject from rights_actions where org_id = ${org.id}`)).map((r) => r.subject)).toEqual(['recent@pref.test']);
  });

  it('when a complaint was closed longer ago than the register’s duration, then its contact details are erased and its figures stay; an open or recent one keeps them', async () => {
    const org = await createOrg(t.deps);
    const contact = { contactName: 'Jeanne Martin', contactEmail: 'jeanne@example.org', contactPhone: '0600000000', contactAddress: '1 rue de la Paix' };
    const add = (receivedOn: string, answeredOn: string | undefined, subject: string) =>
      createComplaint(t.deps, org.id, null, complaintSchema.parse({ channel: 'papier', receivedOn, answeredOn, subject, ...contact }));
    await add('2019-01-07', '2019-01-08', 'ancienne'); // closed 8 Jan 2019
    await add('2019-01-07', '2019-12-20', 'réponse tardive'); // closed 20 Dec 2019
    await add('2019-03-04', undefined, 'jamais répondue'); // open: counted from receipt
    const figure = async () => one<{ n: number; d: number }>(sql`select count(*)::int as n, coalesce(sum(delay_days), 0)::int as d from complaints where org_id = ${org.id}`);
    const before = await figure();
    const contacts = async () => rows<{ subject: string; name: string | null }>(await t.deps.db.execute(sql`select subject, contact_name as name from complaints where org_id = ${org.id} order by subject`));

    // 730 days (the default) after 8 January 2019 is 7 January 2021: erased the day after.
    const totals = await applyRetention(t.deps.db, new Date('2021-01-09T12:00:00Z'));
    expect(totals['complaints.contact']).toBeGreaterThanOrEqual(1);
    expect(await contacts()).toEqual([{ subject: 'ancienne', name: null }, { subject: 'jamais répondue', name: 'Jeanne Martin' }, { subject: 'réponse tardive', name: 'Jeanne Martin' }]);
    await applyRetention(t.deps.db, new Date('2021-03-05T12:00:00Z'));
    expect((await contacts()).map((c) => c.name)).toEqual([null, null, 'Jeanne Martin']);
    expect(await figure()).toEqual(before);
    const runs = await complianceStore.lastRetentionRuns(t.deps.db, org.id);
    expect(runs.find((r) => r.kind === 'complaints.contact')?.purged).toBe(1);
    expect((await applyRetention(t.deps.db, new Date('2021-03-06T12:00:00Z')))['complaints.contact']).toBe(0);
  });

  it('when an organisation sets its own duration for complaints, then its register, notice and purge follow it', async () => {
    const org = await createOrg(t.deps);
    await complianceStore.saveSettings(t.deps.db, org.id, { retentionDays: { 'complaints.contact': 90 } });
    await createComplaint(t.deps, org.id, null, complaintSchema.parse({ channel: 'site', receivedOn: '2019-01-07', answeredOn: '2019-01-08', contactName: 'Paul' }));
    await applyRetention(t.deps.db, new Date('2019-04-06T12:00:00Z'));
    expect((await one<{ n: number }>(sql`select count(contact_name)::int as n from complaints where org_id = ${org.id}`)).n).toBe(1);
    await applyRetention(t.deps.db, new Date('2019-04-09T12:00:00Z'));
    expect((await one<{ n: number }>(sql`select count(contact_name)::int as n from complaints where org_id = ${org.id}`)).n).toBe(0);
    const viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    const notice = await viewer.page(`/donnees-personnelles/${(await one<{ code: string }>(sql`select code from organisations where id = ${org.id}`)).code}`);
    expect(notice.text).toContain('Coordonnées de l’usager : effacées 90 jours après la clôture de la réclamation');
  });
});
