/**
 * The replies' summary kept on each probe by the triggers of migration 0018 (what the national
 * table reads instead of joining every reply): after every kind of write the tracker and the
 * referent make on replies — a batch of new replies, a class corrected, a reply moved to another
 * probe, a reply's time or flags changed, a reply deleted, a probe deleted — the stored summary equals one
 * recomputed from the replies as they are, and the national e-mail figures equal the bilan's.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows } from '../../server/storage/db';
import { campaignEmailSource } from '../../server/reports/email.source';
import { nationalFigures } from '../../server/national/national.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg } from '../helpers/factories';
import { insertClosedCampaign } from '../helpers/mail-campaign';

let t: TestContext;
let orgId: string;
let mailboxId: string;
let campaignId: string;
let probes: string[] = [];
const Q = { from: '2019-07-01', to: '2019-09-30' };
const paris = (s: string) => new Date(`${s}:00+02:00`);
const all = { firstName: true, lastName: true, service: true };

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2019-10-15T08:00:00Z');
  orgId = (await createOrg(t.deps, 'Préfecture des essais')).id;
  ({ mailboxId, campaignId, probes } = await insertClosedCampaign(t.deps, orgId, {
    name: 'Campagne', periodStart: '2019-07-01', periodEnd: '2019-09-30', checklist: ['firstName', 'lastName', 'service'],
    sentAt: Array.from({ length: 8 }, () => paris('2019-07-10T10:00')),
  }));
});
afterAll(() => t?.close());

/** Replies as [id, probe index, class, received (Paris), signature?, bounce kind?], inserted in one statement. */
type Reply = [string, number, string, string, Record<string, boolean>?, string?];
async function insertReplies(list: Reply[]) {
  const payload = JSON.stringify(list.map(([id, p, cls, at, signature, bounce]) => ({ id, probe: probes[p], cls, at: paris(at).toISOString(), signature: signature ?? null, bounce: bounce ?? null })));
  await t.deps.db.execute(sql`insert into mail_replies (id, org_id, mailbox_id, campaign_id, probe_id, folder, uid_validity, uid, dedupe_key, received_at, size, detected_class, reply_class, bounce_kind, signature, match_method)
    select (e->>'id')::uuid, ${orgId}, ${mailboxId}, ${campaignId}, (e->>'probe')::uuid, 'INBOX', '1', row_number() over () + (random() * 1e6)::int, e->>'id',
           (e->>'at')::timestamptz, 1000, e->>'cls', e->>'cls', e->>'bounce', e->'signature', 'headers'
    from jsonb_array_elements(${payload}::jsonb) e`);
}

const ids = Array.from({ length: 12 }, () => crypto.randomUUID());

/** The summary stored on each probe, next to the one recomputed from the replies as they are. */
async function storedAndRecomputed() {
  const stored = rows<Record<string, unknown>>(await t.deps.db.execute(sql`
    select id, reply_bounced as bounced, first_acknowledged_at as ack, first_answered_at as answered
    from mail_probes where org_id = ${orgId} order by id`));
  const recomputed = rows<Record<string, unknown>>(await t.deps.db.execute(sql`
    select q.id,
      coalesce(bool_or(r.reply_class = 'bounce' and r.bounce_kind is distinct from 'delayed'), false) as bounced,
      min(r.received_at) filter (where r.reply_class = 'acknowledgement') as ack,
      min(r.received_at) filter (where r.reply_class = 'answer') as answered
    from mail_probes q left join mail_replies r on r.probe_id = q.id
    where q.org_id = ${orgId} group by q.id order by q.id`));
  return { stored, recomputed };
}

const steps: [string, () => Promise<unknown>, { delivered: number; acknowledged: number; answered: number; within: number }][] = [
  ['a batch of replies in one statement (acknowledgements, two answers to one probe, a delayed and a failed delivery report)', () => insertReplies([
    [ids[0], 0, 'acknowledgement', '2019-07-10T10:05'], [ids[1], 0, 'answer', '2019-07-11T09:00', all], [ids[2], 0, 'answer', '2019-07-12T09:00', { ...all, service: false }],
    [ids[3], 1, 'acknowledgement', '2019-07-10T10:06'], [ids[4], 1, 'answer', '2019-07-30T09:00', all],
    [ids[5], 2, 'bounce', '2019-07-10T10:01', undefined, 'delayed'], [ids[6], 2, 'answer', '2019-07-11T15:00', all],
    [ids[7], 3, 'bounce', '2019-07-10T10:01', undefined, 'failed'],
    [ids[8], 4, 'out_of_office', '2019-07-10T10:02'], [ids[9], 4, 'answer', '2019-07-15T10:00', all],
  ]), { delivered: 7, acknowledged: 2, answered: 4, within: 3 }],
  ['the referent corrects the first answer of a probe into « sans rapport »: the second answer becomes its answer', () => t.deps.db.execute(sql`update mail_replies set reply_class = 'unrelated' where id = ${ids[1]}`), { delivered: 7, acknowledged: 2, answered: 4, within: 3 }],
  ['the referent corrects an out-of-office into an acknowledgement', () => t.deps.db.execute(sql`update mail_replies set reply_class = 'acknowledgement' where id = ${ids[8]}`), { delivered: 7, acknowledged: 3, answered: 4, within: 3 }],
  ['a reply is moved to another probe: both probes change', () => t.deps.db.execute(sql`update mail_replies set probe_id = ${probes[5]} where id = ${ids[4]}`), { delivered: 7, acknowledged: 3, answered: 4, within: 3 }],
  ['« anonymat justifié » is set on an answer (nothing the national figures read changes)', () => t.deps.db.execute(sql`update mail_replies set anonymity_justified = true, signature = ${JSON.stringify({ service: true })}::jsonb where id = ${ids[6]}`), { delivered: 7, acknowledged: 3, answered: 4, within: 3 }],
  ['an answer’s time is corrected to a week later: it leaves the deadline', () => t.deps.db.execute(sql`update mail_replies set received_at = ${paris('2019-07-19T09:00')} where id = ${ids[9]}`), { delivered: 7, acknowledged: 3, answered: 4, within: 2 }],
  ['the failed delivery report is deleted: the probe counts as delivered again', () => t.deps.db.execute(sql`delete from mail_replies where id = ${ids[7]}`), { delivered: 8, acknowledged: 3, answered: 4, within: 2 }],
  ['a new answer arrives earlier than the stored one (read late from another folder): back within the deadline', () => insertReplies([[ids[10], 4, 'answer', '2019-07-10T16:00', all]]), { delivered: 8, acknowledged: 3, answered: 4, within: 3 }],
  ['a probe is deleted: its replies lose their probe, the others stay as they were', () => t.deps.db.execute(sql`delete from mail_probes where id = ${probes[7]}`), { delivered: 7, acknowledged: 3, answered: 4, within: 3 }],
];

describe.each(steps.map((s, i) => [i + 1, ...s] as const))('step %i: %s', (_i, _label, act, expected) => {
  it('then the stored summary equals the recomputed one, and the national figures equal the bilan’s', async () => {
    await act();
    const { stored, recomputed } = await storedAndRecomputed();
    expect(stored).toEqual(recomputed);
    const own = (await campaignEmailSource(t.deps).indicators(orgId, Q))!;
    expect({ delivered: own.delivered, acknowledged: own.acknowledged, answered: own.answered, within: own.withinDeadline }).toEqual(expected);
    const [mine] = (await nationalFigures(t.deps, Q)).filter((f) => f.org.id === orgId);
    expect(mine.counts.email).toMatchObject({ delivered: own.delivered, acknowledged: own.acknowledged, answered: own.answered, withinDeadline: own.withinDeadline });
    if (own.meanDelayDays !== null) expect(mine.counts.email!.delaySum / own.answered).toBeCloseTo(own.meanDelayDays, 10);
  });
});
