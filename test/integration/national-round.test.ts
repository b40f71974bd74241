/**
 * The national phone round (issue 18): the national team creates a round over several
 * organisations; the pairs follow the generator's rules; each organisation's referent finds
 * the programme among their phone programmes and accepts it as any other; the round's page
 * shows the progress; another seed or the next round changes the pairs; only the national team
 * may create one.
 */
import { sql } from 'drizzle-orm';
import { rows } from '../../server/storage/db';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createUser, loggedIn, type Browser } from '../helpers/factories';

let t: TestContext;
let national: Browser;
const orgs: { id: string; code: string }[] = [];

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2019-10-15T08:00:00Z');
  for (let i = 0; i < 5; i++) orgs.push(await createOrg(t.deps, `Préfecture ${i}`));
  national = await loggedIn(t.app, await createUser(t.deps, null, 'national'));
});
afterAll(() => t?.close());

const form = (extra: Record<string, string> = {}) => ({ name: 'Tournée nationale T4 2019', startsOn: '2019-11-04', endsOn: '2019-11-29', organisations: '', seed: '42', ...extra });
const pairsOf = async (programmeId: string) =>
  rows<{ caller: string; called: string }>(await t.deps.db.execute(sql`select caller_org_id as caller, called_org_id as called from phone_pairs where programme_id = ${programmeId} order by caller_org_id`));

describe('a national round', () => {
  let roundId: string;

  it('when the national team creates it for every organisation, then each calls one other, none itself, no reciprocal pair, nobody has accepted yet', async () => {
    await national.page('/national/tournees');
    const res = await national.post('/national/tournees', form());
    expect(res.status).toBe(303);
    roundId = /\/national\/tournees\/([0-9a-f-]{36})$/.exec(res.headers.location!)![1];
    const pairs = await pairsOf(roundId);
    const ids = orgs.map((o) => o.id).sort();
    expect(pairs.map((p) => p.caller).sort()).toEqual(ids);
    expect(pairs.map((p) => p.called).sort()).toEqual(ids);
    const set = new Set(pairs.map((p) => `${p.caller}>${p.called}`));
    expect(pairs.filter((p) => p.caller === p.called || set.has(`${p.called}>${p.caller}`))).toEqual([]);
    const [prog] = rows<{ owner_org_id: string | null; seed: number }>(await t.deps.db.execute(sql`select owner_org_id, seed from phone_programmes where id = ${roundId}`));
    expect(prog).toEqual({ owner_org_id: null, seed: 42 });
    const accepted = rows<{ n: number | string }>(await t.deps.db.execute(sql`select count(*) as n from phone_participants where programme_id = ${roundId} and accepted_at is not null`));
    expect(Number(accepted[0].n)).toBe(0);
  });

  it('when a referent opens their phone programmes, then the round is there to accept, and the round’s page shows the acceptance', async () => {
    const referent = await loggedIn(t.app, await createUser(t.deps, orgs[0].id, 'referent'));
    const list = await referent.page('/enquetes-telephoniques');
    expect(list.text).toContain('Tournée nationale T4 2019');
    const page = await referent.page(`/enquetes-telephoniques/${roundId}`);
    expect(page.status).toBe(200);
    const accept = await referent.post(`/enquetes-telephoniques/${roundId}/accepter`);
    expect(accept.status).toBe(303);
    const progress = await national.page(`/national/tournees/${roundId}`);
    expect(progress.status).toBe(200);
    expect(progress.text).toContain('Appelant seulement');
    expect(progress.text).toContain('Appelé seulement');
    const list2 = await national.page('/national/tournees');
    expect(list2.text).toContain('1 (20');
  });

  it('when the next round is created, then it repeats none of the previous pairs; the same seed over the same organisations alone gives the same first round', async () => {
    const first = await pairsOf(roundId);
    const res = await national.post('/national/tournees', form({ name: 'Tournée nationale T1 2020', seed: '42' }));
    const second = await pairsOf(/([0-9a-f-]{36})$/.exec(res.headers.location!)![1]);
    const before = new Set(first.map((p) => `${p.caller}>${p.called}`));
    expect(second.filter((p) => before.has(`${p.caller}>${p.called}`))).toEqual([]);
  });

  it('when the organisations are listed, then only they take part; unknown codes and fewer than two are refused with 422', async () => {
    const codes = orgs.slice(0, 3).map((o) => o.code).join(', ');
    const res = await national.post('/national/tournees', form({ name: 'Tournée régionale', organisations: codes }));
    const pairs = await pairsOf(/([0-9a-f-]{36})$/.exec(res.headers.location!)![1]);
    expect(pairs.map((p) => p.caller).sort()).toEqual(orgs.slice(0, 3).map((o) => o.id).sort());
    const unknown = await national.post('/national/tournees', form({ organisations: `${orgs[0].code} ZZ9` }));
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Organisation inconnue : ZZ9.');
    const alone = await national.post('/national/tournees', form({ organisations: orgs[0].code }));
    expect(alone.status).toBe(422);
    expect(alone.text).toContain('Une tournée réunit au moins deux organisations.');
    const badDates = await national.post('/national/tournees', form({ endsOn: '2019-10-01' }));
    expect(badDates.status).toBe(422);
    expect(badDates.text).toContain('La fin doit suivre le début.');
  });

  it('when a referent tries to create a round or open one, then 403 on the form and 404 on the round', async () => {
    const referent = await loggedIn(t.app, await createUser(t.deps, orgs[1].id, 'referent'));
    const before = rows<{ n: string | number }>(await t.deps.db.execute(sql`select count(*) as n from phone_programmes`))[0].n;
    expect((await referent.post('/national/tournees', form())).status).toBe(403);
    expect((await referent.page(`/national/tournees/${roundId}`)).status).toBe(404);
    expect(rows<{ n: string | number }>(await t.deps.db.execute(sql`select count(*) as n from phone_programmes`))[0].n).toBe(before);
    expect((await national.page('/national/tournees/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('regional neighbours', () => {
  const regional: { id: string; code: string }[] = [];
  beforeAll(async () => {
    // Auvergne-Rhône-Alpes (38, 73, 74) and Provence-Alpes-Côte d'Azur (13, 83, 84).
    for (const dep of ['38', '73', '74', '13', '83', '84']) {
      const o = await createOrg(t.deps, `Préfecture ${dep}`);
      await t.deps.db.execute(sql`update organisations set department_code = ${dep} where id = ${o.id}`);
      regional.push({ id: o.id, code: o.code });
    }
  });
  const regionOf = (id: string) => (regional.findIndex((o) => o.id === id) < 3 ? 'ARA' : 'PACA');

  it('when the form is opened, then « éviter » is ticked by default; when the round is created so, then nobody calls a prefecture of its own region and the round’s page says so', async () => {
    expect((await national.page('/national/tournees')).text).toMatch(/<input type="checkbox" id="voisins" name="voisins" value="eviter" checked>/);
    for (const seed of ['1', '2', '3']) {
      const res = await national.post('/national/tournees', form({ name: `Tournée sud-est ${seed}`, organisations: regional.map((o) => o.code).join(' '), seed, voisins: 'eviter' }));
      expect(res.status).toBe(303);
      const id = /([0-9a-f-]{36})$/.exec(res.headers.location!)![1];
      const pairs = await pairsOf(id);
      expect(pairs).toHaveLength(6);
      expect(pairs.filter((p) => regionOf(p.caller) === regionOf(p.called))).toEqual([]);
      expect((await national.page(`/national/tournees/${id}`)).text).toContain('Couples d’une même région : 0');
    }
  });

  it('when « éviter » is not ticked, then some seed pairs prefectures of one region (the option is what separates them)', async () => {
    let within = 0;
    for (const seed of ['1', '2', '3', '4', '5']) {
      const res = await national.post('/national/tournees', form({ name: `Tournée libre ${seed}`, organisations: regional.map((o) => o.code).join(' '), seed }));
      within += (await pairsOf(/([0-9a-f-]{36})$/.exec(res.headers.location!)![1])).filter((p) => regionOf(p.caller) === regionOf(p.called)).length;
    }
    expect(within).toBeGreaterThan(0);
  });
});
