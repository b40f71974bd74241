/**
 * Benchmark (not a test) of the national table (issue 18) on PostgreSQL. On a scratch database
 * created from TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), generated
 * in SQL for 101 organisations × 3 years (2017–2019):
 * - the satisfaction counters (`report_answer_counts`, what the triggers keep from the answer
 *   sets): 2 sites × 4 items × 5 scale values per organisation and day, `n` drawn so that the
 *   answer sets add up to about 30 million (the counters stand in for the answer sets: the
 *   national query never reads `responses`);
 * - mystery e-mails: a mailbox per organisation, a closed campaign per organisation and quarter,
 *   `--probes` probes sent (default 500,000), an acknowledgement on 90 % and an answer on 75 %;
 * - mystery calls: a national round per quarter (each organisation calls the next), one number,
 *   one scenario and one evaluator per organisation, `--calls` graded calls (default 100,000);
 * - monthly values of every typed or imported indicator;
 * - `--complaints` complaints of the register (default 100,000), 9 in 10 answered.
 * Then it times `nationalFigures` for the 3rd quarter of 2019 (median of 5, after a warm-up)
 * against a hand-written GROUP BY over the same rows in the same run (the machine is shared),
 * and prints the ratio. Target: national table ≤ 500 ms.
 * Usage: npx tsx scripts/bench-national.ts [--orgs 101] [--probes 500000] [--calls 100000] [--keep | --reuse qm_bench_national_…]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../server/storage/db';
import { out, withBenchDatabase } from './bench-db';
import { nationalFigures } from '../server/national/national.service';
import { boardModel } from '../server/indicators/board.service';
import { orgHome } from '../server/home/home.service';
import { complaintsByOrg, satisfactionByOrg, submittedGrids } from '../server/national/national.store';
import { campaignRules, emailCountsByOrg, probeSummaries } from '../server/campaigns/probe-summaries';
import { phoneCountsByOrg } from '../server/national/national-figures';

const fmt = (n: number, d = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
const QUARTER = { from: '2019-07-01', to: '2019-09-30' };

async function generate(db: Database['db'], orgs: number, probes: number, calls: number) {
  const quarters = 12;
  const probesPer = Math.max(1, Math.floor(probes / orgs / quarters));
  const callsPer = Math.max(1, Math.floor(calls / orgs / quarters));
  await db.execute(sql.raw(`
    insert into organisations (code, name) select 'N' || g, 'Préfecture ' || g from generate_series(1, ${orgs}) g;
    insert into sites (org_id, name) select o.id, s from organisations o, unnest(array['Accueil général', 'Accueil des étrangers']) s;
  `));
  // Satisfaction counters: ~30 M answer sets over 3 years = ~136 per organisation and day, split over 2 sites.
  await db.execute(sql.raw(`
    insert into report_answer_counts (org_id, survey_id, site_id, day, item, value, n)
      select s.org_id, 'satisfaction-accueil', s.id, d::date, i, v,
        case v when 'tres_satisfait' then 50 when 'satisfait' then 42 when 'peu_satisfait' then 9 when 'pas_du_tout_satisfait' then 6 else 8 end + (hashtext(s.id::text || d::text) & 7)
      from sites s, generate_series('2017-01-01'::date, '2019-12-31'::date, interval '1 day') d,
        unnest(array['accueil_global', 'courtoisie', 'temps_attente', 'orientation']) i,
        unnest(array['tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis']) v;
  `));
  // Mystery e-mails.
  await db.execute(sql.raw(`
    insert into mystery_mailboxes (org_id, display_name, address, smtp_host, smtp_port, imap_host, imap_port, imap_user)
      select id, 'Camille Martin', 'camille.' || code || '@example.test', 'smtp.example.test', 587, 'imap.example.test', 993, 'camille' from organisations;
    insert into mail_campaigns (org_id, mailbox_id, name, mode, status, period_start, period_end, seed, signature_checklist)
      select m.org_id, m.id, 'Campagne ' || q::date, 'send', 'closed', q::date, (q + interval '3 months' - interval '1 day')::date, 'seed',
             array['firstName','lastName','function','service','address','phone']
      from mystery_mailboxes m, generate_series('2017-01-01'::date, '2019-10-01'::date, interval '3 months') q;
    insert into mail_campaign_targets (org_id, campaign_id, service_name, address)
      select org_id, id, 'Bureau du séjour', 'sejour@example.test' from mail_campaigns;
    insert into mail_probes (org_id, campaign_id, target_id, origin, state, to_address, subject, body, message_id, sent_at)
      select t.org_id, t.campaign_id, t.id, 'planned', 'sent', t.address, 'Question', 'Bonjour', '<' || t.id || '.' || g || '@example.test>',
             (c.period_start + (g % 60) + 1)::timestamp + interval '10 hours'
      from mail_campaign_targets t join mail_campaigns c on c.id = t.campaign_id, generate_series(1, ${probesPer}) g;
    insert into mail_replies (org_id, mailbox_id, campaign_id, probe_id, folder, uid_validity, uid, dedupe_key, received_at, size, detected_class, reply_class, signature, match_method)
      select p.org_id, c.mailbox_id, p.campaign_id, p.id, 'INBOX', '1', row_number() over (), p.id || ':ack', p.sent_at + interval '5 minutes', 800, 'acknowledgement', 'acknowledgement', null, 'headers'
      from mail_probes p join mail_campaigns c on c.id = p.campaign_id where hashtext(p.id::text) % 10 <> 0;
    insert into mail_replies (org_id, mailbox_id, campaign_id, probe_id, folder, uid_validity, uid, dedupe_key, received_at, size, detected_class, reply_class, signature, match_method)
      select p.org_id, c.mailbox_id, p.campaign_id, p.id, 'INBOX', '2', row_number() over (), p.id || ':answer', p.sent_at + ((abs(hashtext(p.id::text)) % 9) || ' days')::interval, 3000, 'answer', 'answer',
             '{"firstName":true,"lastName":true,"function":true,"service":true,"address":true,"phone":false}'::jsonb, 'headers'
      from mail_probes p join mail_campaigns c on c.id = p.campaign_id where abs(hashtext(p.id::text || 'a')) % 4 <> 0;
  `));
  // Mystery calls: a national round per quarter, each organisation calling the next one.
  await db.execute(sql.raw(`
    insert into users (org_id, email, display_name, role) select id, 'eval.' || code || '@example.test', 'Évaluateur ' || code, 'evaluator' from organisations;
    insert into phone_programmes (owner_org_id, name, starts_on, ends_on, seed)
      select null, 'Tournée ' || q::date, q::date, (q + interval '3 months' - interval '1 day')::date, 1 from generate_series('2017-01-01'::date, '2019-10-01'::date, interval '3 months') q;
    insert into phone_participants (programme_id, org_id, accepted_at) select p.id, o.id, now() from phone_programmes p, organisations o;
    with ranked as (select id, row_number() over (order by code) - 1 as r, count(*) over () as n from organisations)
    insert into phone_pairs (programme_id, caller_org_id, called_org_id, plan_generated_at)
      select p.id, a.id, b.id, now() from phone_programmes p, ranked a join ranked b on b.r = (a.r + 1) % a.n;
    insert into phone_numbers (programme_id, org_id, kind, label, phone) select programme_id, called_org_id, 'standard', 'Standard', '04 00 00 00 00' from phone_pairs;
    insert into phone_scenarios (programme_id, org_id, category, question, expected_answer) select programme_id, called_org_id, 'horaires', 'Horaires ?', '9h-16h' from phone_pairs;
    insert into phone_calls (programme_id, pair_id, caller_org_id, called_org_id, number_id, scenario_id, evaluator_id, scheduled_at, slot, status, answers, submitted_at)
      select pr.programme_id, pr.id, pr.caller_org_id, pr.called_org_id, n.id, s.id, u.id, p.starts_on + (g % 60) + interval '9 hours', 'matin', 'submitted',
        case when g % 10 = 0 then '{"decroche":"non","motif_non_abouti":"repondeur_seul"}'::jsonb
             else jsonb_build_object('decroche', 'oui', 'attente_secondes', 5 + g % 40, 'sonneries', 1 + g % 6, 'annonce_service', 'oui', 'bonjour', 'oui',
               'nom_agent', case when g % 3 = 0 then 'non' else 'oui' end, 'courtoisie', 'tres_satisfaisant', 'ecoute', 'satisfaisant', 'transfert', 'sans_objet',
               'reponse_fond', case when g % 4 = 0 then 'aucune' else 'complete' end, 'prise_de_conge', 'oui', 'impression_globale', 'bonne') end,
        p.starts_on + (g % 60) + interval '10 hours'
      from phone_pairs pr join phone_programmes p on p.id = pr.programme_id
      join phone_numbers n on n.programme_id = pr.programme_id and n.org_id = pr.called_org_id
      join phone_scenarios s on s.programme_id = pr.programme_id and s.org_id = pr.called_org_id
      join users u on u.org_id = pr.caller_org_id, generate_series(1, ${callsPer}) g;
  `));
  await db.execute(sql.raw(`
    insert into indicator_values (org_id, indicator_id, month, breakdown, value, numerator, denominator, source)
      select o.id, i.id, m::date, '', 1 + (abs(hashtext(o.id::text || i.id || m::text)) % 97), null, null, 'typed'
      from organisations o,
        unnest(array['site-maj-3j','svi-maj-3j','courriels-5j','point-numerique-visiteurs','site-taux-connexion','twitter-engagement']) as i(id),
        generate_series('2017-01-01'::date, '2019-12-01'::date, interval '1 month') m;
    insert into indicator_values (org_id, indicator_id, month, breakdown, value, numerator, denominator, source)
      select o.id, 'appels-aboutis', m::date, '', 94, 940, 1000, 'imported'
      from organisations o, generate_series('2017-01-01'::date, '2019-12-01'::date, interval '1 month') m;
  `));
  await db.execute(sql`vacuum analyze`);
}

/** Complaints of the register (counts and delays only), spread over the 3 years; added to a reused database that has none. */
async function generateComplaints(db: Database['db'], complaints: number) {
  await db.execute(sql.raw(`
    insert into complaints (org_id, channel, received_on, deadline_on, answered_on, delay_days, subject)
      select o.id, (array['borne','lien_public','papier','site','courriel'])[1 + g % 5], d, d + 21,
        case when g % 10 = 0 then null else d + (g % 30) end, case when g % 10 = 0 then null else (g % 30) * 5 / 7 end, 'Réclamation'
      from (select id, row_number() over (order by code) as r, count(*) over () as n from organisations) o,
        generate_series(1, ${complaints}) g, lateral (select '2017-01-01'::date + (g * 7919 % 1095) as d) dd
      where g % o.n = o.r - 1;
  `));
  await db.execute(sql`analyze complaints`);
}

/** The hand-written GROUP BY over the same rows: satisfaction, e-mail and phone counts per organisation, one grouped pass per kind, no outcome rules. */
async function baseline(db: Database['db']) {
  return db.execute(sql`
    with s as (
      select org_id, sum(n) filter (where value in ('tres_satisfait','satisfait')) as top2, sum(n) filter (where value <> 'sans_avis') as opinions
      from report_answer_counts where item = 'accueil_global' and day between ${QUARTER.from}::date and ${QUARTER.to}::date group by org_id),
    m as (
      select p.org_id, count(distinct p.id) as probes, count(r.id) filter (where r.reply_class = 'answer') as answers
      from mail_probes p left join mail_replies r on r.probe_id = p.id
      where p.sent_at >= ${QUARTER.from}::date and p.sent_at < ${QUARTER.to}::date + 1 group by p.org_id),
    c as (
      select c.called_org_id as org_id, count(*) as calls, count(*) filter (where c.answers->>'decroche' = 'oui') as answered
      from phone_calls c join phone_programmes pp on pp.id = c.programme_id
      where c.status = 'submitted' and pp.starts_on <= ${QUARTER.to}::date and pp.ends_on >= ${QUARTER.from}::date group by c.called_org_id),
    k as (
      select org_id, count(*) as complaints, count(*) filter (where answered_on <= deadline_on) as within, sum(delay_days) as delays
      from complaints where received_on between ${QUARTER.from}::date and ${QUARTER.to}::date group by org_id)
    select o.id, s.top2, s.opinions, m.probes, m.answers, c.calls, c.answered, k.complaints, k.within, k.delays
    from organisations o left join s on s.org_id = o.id left join m on m.org_id = o.id left join c on c.org_id = o.id left join k on k.org_id = o.id`);
}

/**
 * What the national table's index on the counters costs the answer-set writes: answer sets
 * inserted one statement each (the triggers upsert their counters), with the index and without
 * it, alternately, on the same data; µs per answer set. The inserted rows are deleted after
 * each round (the delete trigger takes their counts back).
 */
async function insertCost(db: Database['db'], rounds = 2, perRound = 1500): Promise<{ with: number[]; without: number[] }> {
  const [site] = rows<{ id: string; org_id: string }>(await db.execute(sql`select id, org_id from sites order by id limit 1`));
  const answers = JSON.stringify({ accueil_global: 'satisfait', courtoisie: 'tres_satisfait', temps_attente: 'peu_satisfait', orientation: 'satisfait' });
  const round = async (): Promise<number> => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) {
      await db.execute(sql`insert into responses (id, org_id, survey_id, survey_version, site_id, kiosk_id, channel, locale, answers, completed_at, received_at)
        values (gen_random_uuid(), ${site.org_id}, 'satisfaction-accueil', 'bench', ${site.id}, null, 'kiosk', 'fr', ${answers}::jsonb,
                ${new Date(Date.UTC(2019, 9, 15 + (i % 3), 8, 0, i % 60))}, now())`);
    }
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / perRound;
    await db.execute(sql`delete from responses where survey_version = 'bench'`);
    return us;
  };
  const out = { with: [] as number[], without: [] as number[] };
  await round(); // warm-up
  for (let r = 0; r < rounds; r++) {
    out.with.push(await round());
    await db.execute(sql`drop index report_answer_counts_item_day_idx`);
    out.without.push(await round());
    await db.execute(sql`create index report_answer_counts_item_day_idx on report_answer_counts (item, day)`);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(f: () => Promise<unknown>, runs = 5): Promise<number> {
  await f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await f();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { orgs: { type: 'string', default: '101' }, probes: { type: 'string', default: '500000' }, calls: { type: 'string', default: '100000' }, complaints: { type: 'string', default: '100000' }, keep: { type: 'boolean', default: false }, reuse: { type: 'string' } } });
  const orgs = Number(values.orgs);
  await withBenchDatabase('national', { keep: values.keep, reuse: values.reuse, poolSize: 8, clock: { now: () => new Date('2019-10-15T08:00:00Z') } }, async ({ deps, reused }) => {
    out(`PostgreSQL ${rows<{ v: string }>(await deps.db.execute(sql`select current_setting('server_version') as v`))[0].v}, Node ${process.version}, ${os.cpus().length} cores`);
    const t0 = process.hrtime.bigint();
    if (!reused) await generate(deps.db, orgs, Number(values.probes), Number(values.calls));
    if (rows<{ n: number }>(await deps.db.execute(sql`select count(*)::int as n from complaints`))[0].n === 0) await generateComplaints(deps.db, Number(values.complaints));
    const c = rows<Record<string, string | number>>(await deps.db.execute(sql`select (select sum(n) from report_answer_counts where item = 'accueil_global') as answer_sets,
      (select count(*) from report_answer_counts) as counters, (select count(*) from mail_probes) as probes, (select count(*) from mail_replies) as replies,
      (select count(*) from phone_calls) as calls, (select count(*) from indicator_values) as monthly, (select count(*) from complaints) as complaints`))[0];
    out(`${reused ? 'reused' : 'generated'} for ${orgs} organisations × 3 years in ${fmt(Number(process.hrtime.bigint() - t0) / 1e9, 1)} s: ${fmt(Number(c.answer_sets))} answer sets (as ${fmt(Number(c.counters))} counter rows), ${fmt(Number(c.probes))} e-mail probes and ${fmt(Number(c.replies))} replies, ${fmt(Number(c.calls))} graded calls, ${fmt(Number(c.monthly))} monthly values, ${fmt(Number(c.complaints))} complaints`);
    const figures = await nationalFigures(deps, QUARTER);
    if (figures.length !== orgs || figures.some((f) => f.figures.satisfaction.value === null || f.figures.emailAnswers.value === null || f.figures.phoneAnswered.value === null)) throw new Error('a figure is missing');
    const national = await time(() => nationalFigures(deps, QUARTER));
    out(`national table, 3rd quarter 2019 (${orgs} organisations, median of 5): ${fmt(national, 1)} ms`);
    const one = await time(() => nationalFigures(deps, QUARTER, figures[0].org.id));
    out(`one organisation's figures through the same queries: ${fmt(one, 1)} ms`);
    // One organisation's own pages over the same rows (median of 5): its monthly board and its referent's home.
    const board = await time(() => boardModel(deps, figures[0].org.id, '2019-09-01'));
    const home = await time(() => orgHome(deps, figures[0].org.id, true));
    out(`one organisation's monthly board (September 2019): ${fmt(board, 1)} ms; its referent's home: ${fmt(home, 1)} ms (target ≤ 100 ms each)`);
    // Where the time goes: each grouped query alone, then the pure computation.
    const [p, r, g] = await Promise.all([probeSummaries(deps.db, QUARTER), campaignRules(deps.db, QUARTER), submittedGrids(deps.db, QUARTER)]);
    const stages: [string, () => Promise<unknown>][] = [
      ['satisfaction counters', () => satisfactionByOrg(deps.db, QUARTER)],
      ['complaints', () => complaintsByOrg(deps.db, QUARTER, '2019-10-15')],
      [`e-mail probes with their first replies (${fmt(p.length)} rows)`, () => probeSummaries(deps.db, QUARTER)],
      [`campaigns' rules (${fmt(r.length)} rows)`, () => campaignRules(deps.db, QUARTER)],
      [`phone grids (${fmt(g.length)} rows)`, () => submittedGrids(deps.db, QUARTER)],
      ['e-mail outcome rules in JavaScript', async () => emailCountsByOrg(p, r)],
      ['phone scoring in JavaScript', async () => phoneCountsByOrg(g)],
    ];
    for (const [label, f] of stages) out(`  ${label}: ${fmt(await time(f, 3), 1)} ms`);
    const base = await time(() => baseline(deps.db));
    out(`baseline, a hand-written GROUP BY over the same rows: ${fmt(base, 1)} ms; national / baseline = ${fmt(national / base, 2)}`);
    out(`${national <= 500 ? 'OK ' : 'MISS'} national table ≤ 500 ms`);
    const cost = await insertCost(deps.db);
    out(`answer-set insert, one statement each (counters upserted by the triggers): with the counters' (item, day) index ${cost.with.map((x) => fmt(x)).join(' / ')} µs, without it ${cost.without.map((x) => fmt(x)).join(' / ')} µs (alternate rounds of 1,500)`);
    out(`load average during the run: ${os.loadavg().map((l) => fmt(l, 1)).join(' ')} (${os.cpus().length} cores)`);
  });
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
