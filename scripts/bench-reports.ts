/**
 * Benchmark (not a test) of the reports on PostgreSQL, with 1,000,000 answer sets of the
 * 12-item survey « satisfaction-accueil ».
 *
 *   npx tsx scripts/bench-reports.ts [--rows 1000000]
 *
 * On a scratch database created from TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) and dropped afterwards:
 * 1. generates the answer sets with INSERT … SELECT generate_series (in chunks; the report
 *    counters are maintained by their triggers as for any insert), in the order of their
 *    completion times over October–November 2018, as kiosks send them;
 * 2. exports them as CSV (the export the referent downloads) into a file, in a process of its
 *    own: rows/s and that process's peak RSS;
 * 3. times the report's satisfaction summary (report period, comparison period and trend, all
 *    sites and per site) against one hand-written GROUP BY over the same rows, and against
 *    loading the rows into JavaScript and counting there; and the satisfaction results page's
 *    query (which reads the same counters);
 * 4. measures what the counters' triggers add to a single-row insert (a kiosk submission).
 * Targets: summary ≤ 2 × the hand-written query and ≥ 50 × faster than the JS load; export
 * ≥ 100,000 rows/s under 200 MB RSS.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { systemClock } from '../server/deps';
import * as orgStore from '../server/org/org.store';
import { writeCsv } from '../server/reports/export-stream';
import { trendPeriods } from '../server/reports/period';
import { responsesExport, specOf } from '../server/reports/responses.export';
import { satisfactionSection } from '../server/reports/satisfaction.section';
import { openDatabase, rows, type Database } from '../server/storage/db';
import { out, withBenchDatabase } from './bench-db';
import { loadSurveyCatalogue } from '../server/surveys/catalogue';
import { satisfactionResults } from '../server/surveys/results.service';
import { SURVEYS_DIR, ensureCurrentVersion } from '../server/surveys/surveys.service';

const SURVEY = 'satisfaction-accueil';
const ITEMS = ['courtoisie', 'accessibilite_pmr', 'langage_comprehensible', 'orientation', 'point_numerique', 'signaletique',
  'equipements', 'confort_attente', 'temps_attente', 'confidentialite', 'accueil_telephonique', 'accueil_global'];
const PERIOD = { from: '2018-10-01', to: '2018-11-30' };
const CHUNK = 100_000;

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MB`;

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(ms(t0));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** One SQL expression per item: a deterministic, mostly satisfied spread of the scale. */
function itemExpr(k: number): string {
  const h = `((g * ${[7919, 104729, 1299709, 15485863, 179424673, 2038074743, 86028121, 32452843, 49979687, 67867967, 122949829, 141650939][k]}::bigint + ${k * 31}) % 100)`;
  return `'${ITEMS[k]}', case when ${h} < 52 then 'tres_satisfait' when ${h} < 84 then 'satisfait' when ${h} < 91 then 'peu_satisfait' when ${h} < 95 then 'pas_du_tout_satisfait' else 'sans_avis' end`;
}

async function generate(database: Database, orgId: string, sites: string[], version: string, total: number) {
  const answers = `jsonb_build_object('avis_global', (array['tres_bien','moyen','pas_bien'])[1 + (g % 3)::int], ${ITEMS.map((_, k) => itemExpr(k)).join(', ')})`
    + ` || case when g % 10 = 0 then jsonb_build_object('commentaire', 'Accueil agréable, merci ' || g) else '{}'::jsonb end`;
  for (let start = 1; start <= total; start += CHUNK) {
    const end = Math.min(total, start + CHUNK - 1);
    await database.db.execute(sql.raw(`
      insert into responses (id, org_id, survey_id, survey_version, site_id, kiosk_id, channel, locale, answers, completed_at, received_at)
      select gen_random_uuid(), '${orgId}', '${SURVEY}', '${version}',
             (array['${sites.join("','")}']::uuid[])[1 + (g % ${sites.length})::int], null, 'kiosk', 'fr', ${answers},
             date_trunc('minute', timestamptz '2018-10-01 00:00:00+02' + (g::bigint * 5270400 / ${total}) * interval '1 second'), now()
      from generate_series(${start}, ${end}) g`));
  }
}

interface ExportRun {
  rows: number;
  ms: number;
  cpuMs: number;
  bytes: number;
  peakRssBytes: number;
}

/**
 * The CSV export in a process of its own (as a web process serving the download would be),
 * so its peak RSS is the export's and not the benchmark's.
 */
async function exportChild(url: string, orgId: string): Promise<void> {
  const database = await openDatabase({ url, poolSize: 2 });
  try {
    const deps = { db: database.db, surveys: loadSurveyCatalogue(SURVEYS_DIR) };
    const file = path.join(os.tmpdir(), `qm-bench-export-${process.pid}.csv`);
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const plan = await responsesExport(deps, orgId, SURVEY, PERIOD);
    const rowsWritten = await writeCsv(fs.createWriteStream(file), specOf(plan));
    const wall = ms(t0);
    const cpu = process.cpuUsage(cpu0);
    const bytes = fs.statSync(file).size;
    fs.rmSync(file);
    const run: ExportRun = { rows: rowsWritten, ms: wall, cpuMs: (cpu.user + cpu.system) / 1000, bytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } finally {
    await database.close();
  }
}

function runExportChild(url: string, orgId: string): Promise<ExportRun> {
  return new Promise((resolve, reject) => {
    // Same runtime as this script: through tsx from the sources, plain node once built.
    const loader = __filename.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const child = spawn(process.execPath, [...loader, __filename, '--export-child', url, orgId], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ExportRun) : reject(new Error(`export child exited with ${code}`))));
  });
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  if (argv[0] === '--export-child') return exportChild(argv[1], argv[2]);
  const { values } = parseArgs({ args: argv, options: { rows: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } } });
  const total = Number(values.rows);
  await withBenchDatabase('reports', { keep: values.keep, clock: systemClock, extra: { surveys: loadSurveyCatalogue(SURVEYS_DIR) } }, async ({ deps, database, url }) => {
    const entry = deps.surveys!.get(SURVEY)!;
    await ensureCurrentVersion(deps, entry);
    const org = await orgStore.insertOrganisation(deps.db, { code: '74', name: 'Préfecture de la Haute-Savoie' });
    const sites = [
      (await orgStore.insertSite(deps.db, org.id, { name: 'Accueil général', kind: 'accueil_general', address: '' })).id,
      (await orgStore.insertSite(deps.db, org.id, { name: 'Accueil des étrangers', kind: 'accueil_etrangers', address: '' })).id,
    ];
    out(`PostgreSQL ${rows<{ v: string }>(await deps.db.execute(sql`select current_setting('server_version') as v`))[0].v}, Node ${process.version}, ${os.cpus().length} cores`);

    let t0 = process.hrtime.bigint();
    await generate(database, org.id, sites, entry.version, total);
    await deps.db.execute(sql`vacuum analyze responses`);
    await deps.db.execute(sql`vacuum analyze report_answer_counts`);
    const genMs = ms(t0);
    const counters = Number(rows<{ n: number }>(await deps.db.execute(sql`select count(*)::int as n from report_answer_counts`))[0].n);
    out(`generated ${fmt(total)} answer sets in ${fmt(genMs / 1000, 1)} s (${fmt(total / (genMs / 1000))} rows/s, counters included: ${fmt(counters)} counter rows)`);

    // The export runs in a child process: its peak RSS is the export's alone.
    const exp = await runExportChild(url.toString(), org.id);
    const exportRate = exp.rows / (exp.ms / 1000);

    const params = {
      period: PERIOD, comparison: { from: '2018-08-01', to: '2018-09-30' }, trend: trendPeriods(PERIOD, 4),
      minCell: 5, comments: {}, siteNames: new Map(sites.map((s, i) => [s, `site ${i}`])),
    };
    const summary = () => satisfactionSection(deps, org.id, [SURVEY], params);
    const check = (await summary()).blocks[0].rows.map((r) => r.n);
    const summaryMs = await median(5, summary);
    const handWritten = () => deps.db.execute(sql`
      select a.key, a.value, count(*) from responses r cross join lateral jsonb_each_text(r.answers) a
      where r.org_id = ${org.id} and r.survey_id = ${SURVEY}
        and r.completed_at >= (${PERIOD.from}::date)::timestamp at time zone 'Europe/Paris'
        and r.completed_at < (${PERIOD.to}::date + 1)::timestamp at time zone 'Europe/Paris'
      group by 1, 2`);
    const handMs = await median(3, handWritten);
    const resultsMs = await median(3, () => satisfactionResults(deps, org.id, { survey: SURVEY, from: PERIOD.from, to: PERIOD.to }));

    // Loading the answer sets into JavaScript and counting there (the approach not taken).
    t0 = process.hrtime.bigint();
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    const res = await client.query(
      `select site_id, answers from responses where org_id = $1 and survey_id = $2 and completed_at >= ($3::date)::timestamp at time zone 'Europe/Paris' and completed_at < ($4::date + 1)::timestamp at time zone 'Europe/Paris'`,
      [org.id, SURVEY, PERIOD.from, PERIOD.to],
    );
    const counts = new Map<string, number>();
    for (const r of res.rows as { answers: Record<string, unknown> }[]) {
      for (const item of ITEMS) {
        const v = r.answers[item];
        if (typeof v === 'string') counts.set(`${item}|${v}`, (counts.get(`${item}|${v}`) ?? 0) + 1);
      }
    }
    const jsMs = ms(t0);
    const jsRss = process.memoryUsage().rss;
    await client.end();
    const jsN = ['tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait'].reduce((a, v) => a + (counts.get(`courtoisie|${v}`) ?? 0), 0);
    if (jsN !== check[0]) throw new Error(`the summary and the JS count disagree: ${check[0]} vs ${jsN}`);

    // What the counters' triggers add to one kiosk submission.
    const single = async (n: number) => {
      const t = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        await deps.db.execute(sql`insert into responses (id, org_id, survey_id, survey_version, site_id, channel, locale, answers, completed_at, received_at)
          values (${crypto.randomUUID()}, ${org.id}, ${SURVEY}, ${entry.version}, ${sites[0]}, 'kiosk', 'fr',
                  ${JSON.stringify({ avis_global: 'tres_bien', ...Object.fromEntries(ITEMS.map((it) => [it, 'satisfait'])) })}::jsonb, '2019-01-15T10:00:00Z', now())`);
      }
      return ms(t) / n;
    };
    const withTrigger = await single(1000);
    await deps.db.execute(sql`alter table responses disable trigger report_answer_counts_ins`);
    const withoutTrigger = await single(1000);
    await deps.db.execute(sql`alter table responses enable trigger report_answer_counts_ins`);

    out();
    out(`CSV export: ${fmt(exp.rows)} rows, ${mb(exp.bytes)}, in ${fmt(exp.ms / 1000, 2)} s = ${fmt(exportRate)} rows/s (export process CPU ${fmt(exp.cpuMs / 1000, 2)} s); peak RSS of the export process ${mb(exp.peakRssBytes)}`);
    out(`satisfaction summary (report: 6 periods, all sites + per site): ${fmt(summaryMs, 1)} ms (median of 5)`);
    out(`hand-written GROUP BY over the answer sets:                      ${fmt(handMs, 1)} ms (median of 3)`);
    out(`results page figures (counters, one period):                      ${fmt(resultsMs, 1)} ms (median of 3)`);
    out(`load ${fmt(res.rowCount ?? 0)} rows into JavaScript and count:       ${fmt(jsMs, 1)} ms (RSS ${mb(jsRss)})`);
    out(`single-row insert: ${fmt(withTrigger, 2)} ms with the counters' trigger, ${fmt(withoutTrigger, 2)} ms without`);
    out();
    const ok = (b: boolean) => (b ? 'OK ' : 'MISS');
    out(`${ok(summaryMs <= 2 * handMs)} summary / hand-written = ${fmt(summaryMs / handMs, 4)} (target ≤ 2)`);
    out(`${ok(jsMs / summaryMs >= 50)} JS load / summary = ${fmt(jsMs / summaryMs)} × (target ≥ 50 ×)`);
    out(`${ok(exportRate >= 100_000)} export rate ${fmt(exportRate)} rows/s (target ≥ 100,000)`);
    out(`${ok(exp.peakRssBytes < 200 * 1024 * 1024)} export peak RSS ${mb(exp.peakRssBytes)} (target < 200 MB)`);
    out(`load average during the run: ${os.loadavg().map((l) => fmt(l, 1)).join(' ')} (${os.cpus().length} cores)`);
  });
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
