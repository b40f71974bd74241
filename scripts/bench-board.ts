/**
 * Benchmark (not a test) of the monthly board on PostgreSQL. On a scratch database created
 * from TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test):
 * - 100 organisations × 3 years (2017–2019) of monthly values: every typed or imported
 *   indicator for the whole organisation, and answered calls for 3 bureaux;
 * - 1,000,000 complaints spread over the organisations and the 3 years (10,000 each), with
 *   their deadline and delay, generated in SQL;
 * - 1,000,000 sampled messages of real-mail sampling (`--sampled`): a service mailbox per
 *   organisation, one sampling run (a drawn week) per month, the messages' verdicts (4 in 5
 *   answered within 5 working days, 1 in 20 reviewed by the referent);
 * then times the board of July 2019 (`boardModel`: values, complaints' monthly figures, the
 * sampled messages' monthly totals, targets, verdicts, charts) for every organisation, and
 * prints the median, 95th percentile and maximum (target ≤ 200 ms per organisation's board).
 * Usage: npx tsx scripts/bench-board.ts [--orgs 100] [--complaints 1000000] [--sampled 1000000] [--keep]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../server/storage/db';
import { out, withBenchDatabase } from './bench-db';
import { boardModel } from '../server/indicators/board.service';

const fmt = (n: number, d = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });

async function generate(db: Database['db'], orgs: number, complaintsTotal: number, sampledTotal: number) {
  await db.execute(sql.raw(`
    insert into organisations (code, name) select 'B' || g, 'Préfecture ' || g from generate_series(1, ${orgs}) g;
    insert into indicator_values (org_id, indicator_id, month, breakdown, value, numerator, denominator, source)
      select o.id, i.id, m::date, '', 1 + random() * 98, null, null, 'typed'
      from organisations o,
        unnest(array['site-maj-3j','svi-maj-3j','courriels-5j','point-numerique-visiteurs','site-taux-connexion','twitter-engagement']) as i(id),
        generate_series('2017-01-01'::date, '2019-12-01'::date, interval '1 month') m;
    insert into indicator_values (org_id, indicator_id, month, breakdown, value, numerator, denominator, source)
      select o.id, 'appels-aboutis', m::date, b, 94, 940, 1000, 'imported'
      from organisations o, unnest(array['', 'Standard', 'Bureau du séjour', 'Bureau de la citoyenneté']) b,
        generate_series('2017-01-01'::date, '2019-12-01'::date, interval '1 month') m;
  `));
  const per = Math.floor(complaintsTotal / orgs);
  await db.execute(sql.raw(`
    insert into complaints (org_id, channel, received_on, deadline_on, answered_on, delay_days, subject)
      select o.id, 'papier', d, d + 21, case when g % 10 = 0 then null else d + (g % 30) end, case when g % 10 = 0 then null else ((g % 30) * 5) / 7 end, ''
      from organisations o, generate_series(1, ${per}) g, lateral (select '2017-01-01'::date + (g % 1095) as d) x;
  `));
  const perRun = Math.max(1, Math.floor(sampledTotal / orgs / 36));
  await db.execute(sql.raw(`
    insert into mystery_mailboxes (org_id, display_name, address, smtp_host, smtp_port, imap_host, imap_port, imap_user)
      select id, 'Bureau du séjour', 'sejour.' || code || '@example.test', 'smtp.example.test', 587, 'imap.example.test', 993, 'sejour' from organisations;
    insert into mail_sampling_runs (org_id, mailbox_id, month, rule, drawn_at, sampled, excluded, failed, ran_at)
      select m.org_id, m.id, d::date, 'random-week:' || to_char(d::date + ((8 - extract(isodow from d::date)::int) % 7), 'YYYY-MM-DD'), d + interval '1 month', ${perRun}, 3, 0, d + interval '1 month'
      from mystery_mailboxes m, generate_series('2017-01-01'::date, '2019-12-01'::date, interval '1 month') d;
    insert into sampled_mails (org_id, run_id, message_key, received_at, answered_at, within_deadline, delay_days, method, review_decision, reviewed_at, reviewed_within)
      select r.org_id, r.id, md5(r.id::text || g), r.month + interval '9 hours' + (g % 7) * interval '1 day',
        case when g % 5 = 0 then null else r.month + interval '9 hours' + (g % 7 + 1 + g % 6) * interval '1 day' end,
        g % 5 <> 0, case when g % 5 = 0 then null else 1 + g % 6 end, case when g % 5 = 0 then null else 'in-reply-to' end,
        case when g % 20 = 0 then 'unanswered' end, case when g % 20 = 0 then r.month + interval '40 days' end, case when g % 20 = 0 then false end
      from mail_sampling_runs r, generate_series(1, ${perRun}) g;
  `));
  await db.execute(sql`vacuum analyze`);
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { orgs: { type: 'string', default: '100' }, complaints: { type: 'string', default: '1000000' }, sampled: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } } });
  const orgs = Number(values.orgs);
  await withBenchDatabase('board', { keep: values.keep, clock: { now: () => new Date('2019-08-05T08:00:00Z') } }, async ({ deps }) => {
    out(`PostgreSQL ${rows<{ v: string }>(await deps.db.execute(sql`select current_setting('server_version') as v`))[0].v}, Node ${process.version}, ${os.cpus().length} cores`);
    let t0 = process.hrtime.bigint();
    await generate(deps.db, orgs, Number(values.complaints), Number(values.sampled));
    const counts = rows<{ v: number; c: number; s: number }>(await deps.db.execute(sql`select (select count(*) from indicator_values)::int as v, (select count(*) from complaints)::int as c, (select count(*) from sampled_mails)::int as s`))[0];
    out(`generated ${fmt(counts.v)} monthly values, ${fmt(counts.c)} complaints and ${fmt(counts.s)} sampled messages for ${orgs} organisations in ${fmt(Number(process.hrtime.bigint() - t0) / 1e9, 1)} s`);
    const ids = rows<{ id: string }>(await deps.db.execute(sql`select id from organisations order by code`)).map((r) => r.id);
    await boardModel(deps, ids[0], '2019-07-01'); // warm-up (prepared plans, JIT of the code)
    const times: number[] = [];
    for (const id of ids) {
      t0 = process.hrtime.bigint();
      const m = await boardModel(deps, id, '2019-07-01');
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (m.rows.length === 0) throw new Error('empty board');
      if (id === ids[0] && !JSON.stringify(m).includes('tirée au sort')) throw new Error('the sampled messages are not on the board');
    }
    // Baseline in the same run (the machine is shared): the complaints' monthly GROUP BY alone, per organisation.
    const base: number[] = [];
    for (const id of ids) {
      t0 = process.hrtime.bigint();
      await deps.db.execute(sql`select date_trunc('month', received_on), count(*), count(answered_on), sum(delay_days) from complaints where org_id = ${id} and received_on >= '2018-08-01' and received_on <= '2019-07-31' group by 1`);
      base.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    base.sort((a, b) => a - b);
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    out(`board of July 2019, one organisation at a time (${times.length} boards): median ${fmt(p(0.5), 1)} ms, p95 ${fmt(p(0.95), 1)} ms, max ${fmt(times[times.length - 1], 1)} ms`);
    out(`baseline, the complaints' monthly GROUP BY alone: median ${fmt(base[Math.floor(base.length / 2)], 1)} ms; board / baseline (medians) = ${fmt(p(0.5) / base[Math.floor(base.length / 2)], 1)}`);
    out(`${p(0.95) <= 200 ? 'OK ' : 'MISS'} p95 ≤ 200 ms per organisation's board`);
    out(`load average during the run: ${os.loadavg().map((l) => fmt(l, 1)).join(' ')} (${os.cpus().length} cores)`);
  });
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
