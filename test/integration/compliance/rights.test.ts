/**
 * Rights requests: a referent finds what is held about a person (agent in replies' signatures,
 * account), exports it (JSON), erases it; the action is recorded and the figures stay.
 */
import { sql } from 'drizzle-orm';
import { campaignResults } from '../../../server/campaigns/campaign.service';
import { rows } from '../../../server/storage/db';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createUser, loggedIn } from '../../helpers/factories';
import { AGENT_EMAIL, AGENT_NAME, seedCampaign } from './fixtures';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('rights requests', () => {
  it('when a referent searches by e-mail, then the agent’s replies are found and the search is recorded', async () => {
    const org = await createOrg(t.deps);
    await seedCampaign(t.deps, org.id, { periodEnd: '2019-06-30' });
    const ref = await createUser(t.deps, org.id, 'referent');
    const b = await loggedIn(t.app, ref);
    const res = await b.page(`/conformite/droits/recherche?email=${encodeURIComponent(AGENT_EMAIL)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 élément(s)');
    expect(res.text).toContain(AGENT_EMAIL);
    const page = await b.page('/conformite/droits');
    expect(page.text).toContain('Recherche');
    expect(page.text).toContain(AGENT_EMAIL);
    expect(page.text).toContain(ref.displayName);
  });

  it('when the export is asked by name, then the JSON holds the replies whose signature names the person and the account', async () => {
    const org = await createOrg(t.deps);
    await seedCampaign(t.deps, org.id, { periodEnd: '2019-06-30' });
    const ref = await createUser(t.deps, org.id, 'referent');
    await t.deps.db.execute(sql`update users set display_name = ${AGENT_NAME} where id = ${(await createUser(t.deps, org.id, 'viewer')).id}`);
    const b = await loggedIn(t.app, ref);
    const res = await b.agent.get(`/conformite/droits/export.json?name=${encodeURIComponent(AGENT_NAME)}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const data = JSON.parse(res.text);
    const counts = Object.fromEntries(data.sources.map((s: { key: string; items: unknown[] }) => [s.key, s.items.length]));
    expect(counts).toEqual({ comptes: 1, 'reponses-courriels': 1 });
    expect(JSON.stringify(data)).toContain('Adjointe au chef du bureau du séjour');
  });

  it('when the referent erases, then the identity is gone, the figures are unchanged and the action is recorded', async () => {
    const org = await createOrg(t.deps);
    const { campaignId } = await seedCampaign(t.deps, org.id, { periodEnd: '2019-06-30' });
    const before = (await campaignResults(t.deps, org.id, campaignId)).metrics;
    const ref = await createUser(t.deps, org.id, 'referent');
    const b = await loggedIn(t.app, ref);
    await b.page('/conformite/droits');
    const res = await b.post('/conformite/droits/effacer', { email: AGENT_EMAIL, name: AGENT_NAME });
    expect(res.status).toBe(303);
    const left = rows<{ n: number }>(await t.deps.db.execute(sql`select count(*)::int as n from mail_replies
      where org_id = ${org.id} and (from_address = ${AGENT_EMAIL} or full_text ilike ${`%${AGENT_NAME}%`} or text ilike ${`%${AGENT_NAME}%`})`))[0];
    expect(left.n).toBe(0);
    expect(rows<{ n: number }>(await t.deps.db.execute(sql`select count(*)::int as n from mail_raw_messages where org_id = ${org.id}`))[0].n).toBe(2);
    expect((await campaignResults(t.deps, org.id, campaignId)).metrics).toEqual(before);
    const log = rows<{ action: string; user_id: string; counts: Record<string, number> }>(await t.deps.db.execute(sql`select action, user_id, counts from rights_actions where org_id = ${org.id} and action = 'erase'`));
    expect(log).toEqual([{ action: 'erase', user_id: ref.id, counts: { comptes: 0, 'reponses-courriels': 1 } }]);
  });

  it('when the person is another organisation’s agent, then nothing is found or erased', async () => {
    const a = await createOrg(t.deps);
    const other = await createOrg(t.deps);
    await seedCampaign(t.deps, other.id, { periodEnd: '2019-06-30' });
    const b = await loggedIn(t.app, await createUser(t.deps, a.id, 'referent'));
    const res = await b.agent.get(`/conformite/droits/export.json?email=${encodeURIComponent(AGENT_EMAIL)}`);
    expect(JSON.parse(res.text).total).toBe(0);
    await b.page('/conformite/droits');
    await b.post('/conformite/droits/effacer', { email: AGENT_EMAIL });
    expect(rows<{ n: number }>(await t.deps.db.execute(sql`select count(*)::int as n from mail_replies where org_id = ${other.id} and from_address = ${AGENT_EMAIL}`))[0].n).toBe(1);
  });

  it('when the query is empty, too short or not an address, then 422 with the reason; viewers get 403 « Accès réservé »', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    expect((await b.page('/conformite/droits/recherche')).status).toBe(422);
    const short = await b.page('/conformite/droits/recherche?name=ab');
    expect(short.status).toBe(422);
    expect(short.text).toContain('Au moins 3 caractères.');
    expect((await b.agent.get('/conformite/droits/export.json?email=pas-une-adresse')).status).toBe(422);
    const viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
    expect((await viewer.page('/conformite/droits')).status).toBe(403);
  });
});
