/**
 * The satisfaction counters the reports read (report_answer_counts, kept by triggers on
 * responses) agree with the answer sets: with a hand-written GROUP BY over the raw answers,
 * with the satisfaction results page's own query, and after deletions, site removal,
 * updates and bulk inserts. Days are Paris days.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows } from '../../server/storage/db';
import { satisfactionCounts, NO_SITE } from '../../server/reports/satisfaction.query';
import { satisfactionResults } from '../../server/surveys/results.service';
import * as orgService from '../../server/org/org.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite } from '../helpers/factories';
import { SEED_2018, SURVEY, insertAnswerSets, type AnswerSet } from './reports.fixtures';

let t: TestContext;
const ITEMS = SEED_2018.map(([item]) => item);
const VALUES = ['tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis'];

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t?.close());

/** Deterministic pseudo-random answer sets (some items unanswered, some answer sets without a site). */
function randomSets(n: number, sites: (string | null)[], seed: number): AnswerSet[] {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648), x / 2147483648);
  return Array.from({ length: n }, () => {
    const answers: Record<string, unknown> = { avis_global: ['tres_bien', 'moyen', 'pas_bien'][Math.floor(next() * 3)] };
    for (const item of ITEMS) if (next() < 0.85) answers[item] = VALUES[Math.floor(next() * VALUES.length)];
    if (next() < 0.1) answers.commentaire = next() < 0.5 ? 'satisfait' : 'Très bien reçu, merci';
    // Around the clock, so some answer sets fall either side of a Paris midnight.
    return { siteId: sites[Math.floor(next() * sites.length)], completedAt: new Date(Date.UTC(2019, 2, 1) + Math.floor(next() * 60 * 24 * 3600_000)), answers };
  });
}

/** The hand-written query over raw answer sets: counts per item and value for a period of Paris days. */
async function rawCounts(orgId: string, from: string, to: string) {
  const r = await t.deps.db.execute(sql`
    select a.key as item, a.value, count(*)::int as n
    from responses r cross join lateral jsonb_each_text(r.answers) a
    where r.org_id = ${orgId} and r.survey_id = ${SURVEY}
      and r.completed_at >= (${from}::date)::timestamp at time zone 'Europe/Paris'
      and r.completed_at < (${to}::date + 1)::timestamp at time zone 'Europe/Paris'
    group by 1, 2`);
  const m = new Map<string, number>();
  for (const x of rows<{ item: string; value: string; n: number }>(r)) m.set(`${x.item}|${x.value}`, Number(x.n));
  return m;
}

async function reportCounts(orgId: string, from: string, to: string) {
  const counts = await satisfactionCounts(t.deps.db, orgId, SURVEY, ITEMS, [{ key: 'p', from, to }]);
  return counts.filter((c) => c.siteId === null);
}

async function expectAgreement(orgId: string, from: string, to: string) {
  const raw = await rawCounts(orgId, from, to);
  const mine = new Map((await reportCounts(orgId, from, to)).map((c) => [c.item, c]));
  for (const item of ITEMS) {
    const get = (v: string) => raw.get(`${item}|${v}`) ?? 0;
    const c = mine.get(item) ?? { top2: 0, opinions: 0, sansAvis: 0 };
    expect([item, c.top2, c.opinions, c.sansAvis]).toEqual([
      item, get('tres_satisfait') + get('satisfait'), get('tres_satisfait') + get('satisfait') + get('peu_satisfait') + get('pas_du_tout_satisfait'), get('sans_avis'),
    ]);
  }
}

describe('when answer sets are inserted in bulk', () => {
  it('then the report counts equal a hand-written GROUP BY over the raw answers, for whole periods and single Paris days', async () => {
    const org = await createOrg(t.deps);
    const s1 = (await createSite(t.deps, org.id, 'A')).id;
    const s2 = (await createSite(t.deps, org.id, 'B')).id;
    await insertAnswerSets(t.deps, org.id, randomSets(600, [s1, s2, null], 7));
    await insertAnswerSets(t.deps, org.id, randomSets(300, [s1], 8));
    await expectAgreement(org.id, '2019-03-01', '2019-04-30');
    // 31 March 2019 is the day Paris moves to summer time.
    await expectAgreement(org.id, '2019-03-31', '2019-03-31');
    await expectAgreement(org.id, '2019-03-10', '2019-03-20');
  });

  it('then the per-site counts add up to the all-sites counts, answer sets without a site included', async () => {
    const org = await createOrg(t.deps);
    const s1 = (await createSite(t.deps, org.id, 'A')).id;
    await insertAnswerSets(t.deps, org.id, randomSets(200, [s1, null], 11));
    const counts = await satisfactionCounts(t.deps.db, org.id, SURVEY, ITEMS, [{ key: 'p', from: '2019-01-01', to: '2019-12-31' }]);
    for (const item of ITEMS) {
      const all = counts.find((c) => c.item === item && c.siteId === null)!;
      const parts = counts.filter((c) => c.item === item && c.siteId !== null);
      expect(parts.map((p) => p.siteId).sort()).toEqual([NO_SITE, s1].sort());
      expect(parts.reduce((a, p) => a + p.opinions, 0)).toBe(all.opinions);
      expect(parts.reduce((a, p) => a + p.top2, 0)).toBe(all.top2);
    }
  });
});

describe('when answer sets change after they were counted', () => {
  it('then deleting some, removing a site and updating keep the counts right', async () => {
    const org = await createOrg(t.deps);
    const s1 = (await createSite(t.deps, org.id, 'A')).id;
    const s2 = (await createSite(t.deps, org.id, 'B')).id;
    await insertAnswerSets(t.deps, org.id, randomSets(400, [s1, s2], 21));
    await t.deps.db.execute(sql`delete from responses where org_id = ${org.id} and completed_at < '2019-03-20'`);
    await expectAgreement(org.id, '2019-03-01', '2019-04-30');
    // Deleting a site sets site_id to null on its answer sets: their counts move to « no site ».
    await orgService.deleteSite(t.deps, org.id, s2);
    await expectAgreement(org.id, '2019-03-01', '2019-04-30');
    const bySite = await satisfactionCounts(t.deps.db, org.id, SURVEY, ITEMS, [{ key: 'p', from: '2019-03-01', to: '2019-04-30' }]);
    expect(new Set(bySite.filter((c) => c.siteId !== null).map((c) => c.siteId))).toEqual(new Set([s1, NO_SITE]));
    await t.deps.db.execute(sql`update responses set answers = answers || '{"courtoisie": "pas_du_tout_satisfait"}'::jsonb where org_id = ${org.id} and completed_at < '2019-04-01'`);
    await expectAgreement(org.id, '2019-03-01', '2019-04-30');
    // No counter is left at zero or below.
    const left = await t.deps.db.execute(sql`select count(*)::int as n from report_answer_counts where org_id = ${org.id} and n <= 0`);
    expect(Number(rows<{ n: number }>(left)[0].n)).toBe(0);
  });

  it('then an answer set of another survey or organisation is never counted, and no free text is ever stored', async () => {
    const org = await createOrg(t.deps);
    const other = await createOrg(t.deps);
    await insertAnswerSets(t.deps, other.id, randomSets(50, [null], 31));
    await insertAnswerSets(t.deps, org.id, randomSets(50, [null], 32), 'point-numerique');
    expect(await reportCounts(org.id, '2019-01-01', '2019-12-31')).toEqual([]);
    // Only values of the scales are kept (a comment that reads exactly « satisfait » is a count, not a text).
    const free = await t.deps.db.execute(sql`select count(*)::int as n from report_answer_counts
      where value not in ('tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis', 'tres_bien', 'moyen', 'pas_bien')`);
    expect(Number(rows<{ n: number }>(free)[0].n)).toBe(0);
  });

  it('when an answer set is stored one at a time, as a kiosk does, then it is counted at once', async () => {
    const org = await createOrg(t.deps);
    await t.deps.db.execute(sql`
      insert into responses (id, org_id, survey_id, survey_version, site_id, channel, locale, answers, completed_at, received_at)
      values (${crypto.randomUUID()}, ${org.id}, ${SURVEY}, 'v', null, 'kiosk', 'fr', '{"avis_global":"tres_bien","courtoisie":"satisfait"}'::jsonb, now(), now())`);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const c = (await reportCounts(org.id, today, today)).find((x) => x.item === 'courtoisie');
    expect(c).toMatchObject({ top2: 1, opinions: 1, sansAvis: 0 });
  });
});

describe('the report and the satisfaction results page', () => {
  it('then both give the same n, top-2-box and « sans avis » for every item, all sites and per site', async () => {
    const org = await createOrg(t.deps);
    const s1 = (await createSite(t.deps, org.id, 'A')).id;
    await insertAnswerSets(t.deps, org.id, randomSets(300, [s1, null], 41));
    for (const site of [undefined, s1]) {
      const theirs = await satisfactionResults(t.deps, org.id, { survey: SURVEY, site, from: '2019-03-05', to: '2019-04-10' });
      const mine = await satisfactionCounts(t.deps.db, org.id, SURVEY, ITEMS, [{ key: 'p', from: '2019-03-05', to: '2019-04-10' }]);
      for (const i of theirs.items) {
        const c = mine.find((x) => x.item === i.item && x.siteId === (site ?? null))!;
        expect([i.item, i.n, i.top2, i.sansAvis]).toEqual([i.item, c.opinions, c.top2, c.sansAvis]);
      }
    }
  });
});

// Last in this file: it empties the file's own database.
describe('when the answer sets table is truncated', () => {
  it('then every counter goes with it', async () => {
    const org = await createOrg(t.deps);
    await insertAnswerSets(t.deps, org.id, randomSets(20, [null], 51));
    await t.deps.db.execute(sql`truncate responses`);
    const left = await t.deps.db.execute(sql`select count(*)::int as n from report_answer_counts`);
    expect(Number(rows<{ n: number }>(left)[0].n)).toBe(0);
  });
});
