/**
 * Benchmark (not a test) of the kiosk submission endpoint on PostgreSQL.
 *
 *   npx tsx scripts/bench-kiosk.ts [--requests 2000] [--rounds 5] [--concurrency 32]
 *
 * In one run, over loopback only, with a fixed number of requests per round and bounded
 * concurrency (a small keep-alive HTTP client in this process; no external load tool), in
 * interleaved rounds (endpoint, echo, endpoint, echo, …) so that both sides see the same
 * machine (PostgreSQL's background writer, autovacuum, other load); the median of each figure
 * over the rounds is reported:
 * 1. POST /kiosque/:token/reponses with valid answer sets, on a scratch PostgreSQL database
 *    created from TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and
 *    dropped afterwards; requests are spread over enough kiosks to stay under the per-kiosk
 *    rate limit, as real kiosks would;
 * 2. a bare Express server that only parses and echoes the same JSON;
 * then prints requests/s, p50/p99 latency and their ratio; and finally the compiled answer
 * validator's speed against survey-core's own validation of the same answers.
 */
import { testEnv } from '../server/config';
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import express from 'express';
import { Client } from 'pg';
import { Model } from 'survey-core';
import { createApp } from '../server/app';
import { parseConfig } from '../server/config';
import { systemClock, type Deps } from '../server/deps';
import * as kiosks from '../server/kiosk/kiosk.service';
import { createLogger } from '../server/logger';
import * as orgStore from '../server/org/org.store';
import { migrate, openDatabase, rows } from '../server/storage/db';
import { loadSurveyCatalogue } from '../server/surveys/catalogue';
import { KIOSK_SUBMISSIONS } from '../server/surveys/rate-limit';
import { SURVEYS_DIR } from '../server/surveys/surveys.service';

const SURVEY = 'satisfaction-accueil';
const SCALE = ['tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis'];
const OVERALL = ['tres_bien', 'moyen', 'pas_bien'];

interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<number, number>;
  /** CPU time of this process (client and servers) per request, in µs. */
  cpuPerRequest: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The round with the median rate (rounds are odd by default). */
function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
}

function post(agent: http.Agent, url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `requests[i]` for every i with at most `concurrency` in flight; latencies in ms. */
export async function runLoad(requests: { url: URL; body: Buffer }[], concurrency: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(requests.length);
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= requests.length) return;
      const t0 = process.hrtime.bigint();
      const status = await post(agent, requests[i].url, requests[i].body);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  latencies.sort();
  return {
    requests: requests.length, seconds, rps: requests.length / seconds,
    p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1], statuses,
    cpuPerRequest: (used.user + used.system) / requests.length,
  };
}

function listen(handler: http.RequestListener): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

const close = (server: http.Server) => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
});

/** A plausible full answer set: the overall smiley, every item, sometimes a comment. */
function answers(i: number, questionNames: readonly string[]): Record<string, string> {
  const out: Record<string, string> = { avis_global: OVERALL[i % 3] };
  for (const [j, name] of questionNames.entries()) {
    if (name === 'avis_global' || name === 'commentaire') continue;
    out[name] = SCALE[(i + j) % SCALE.length];
  }
  if (i % 4 === 0) out.commentaire = 'Accueil agréable, mais l’attente était un peu longue ce matin.';
  return out;
}

function fmt(r: LoadResult): string {
  return `${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   max ${r.max.toFixed(1)} ms   Node CPU ${r.cpuPerRequest.toFixed(0)} µs/req   (${r.requests} requests in ${r.seconds.toFixed(2)} s; statuses ${JSON.stringify(r.statuses)})`;
}

function timeIt(iterations: number, fn: (i: number) => void): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / 1e6 / iterations;
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { requests: { type: 'string' }, rounds: { type: 'string' }, concurrency: { type: 'string' } } });
  const perRound = Number(values.requests ?? 2000);
  const rounds = Number(values.rounds ?? 5);
  const total = perRound * rounds;
  const concurrency = Number(values.concurrency ?? 32);
  const adminUrl = testEnv().databaseUrl || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `qm_bench_${crypto.randomBytes(4).toString('hex')}`;
  const surveys = loadSurveyCatalogue(SURVEYS_DIR);
  const entry = surveys.get(SURVEY)!;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 10 });
  let servers: http.Server[] = [];
  try {
    await migrate(database);
    const deps: Deps = {
      db: database.db, dbKind: 'postgres', clock: systemClock, secret: crypto.randomBytes(32), surveys,
      config: parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATA_DIR: os.tmpdir() }),
      logger: createLogger('silent'),
    };
    const org = await orgStore.insertOrganisation(deps.db, { code: '74', name: 'Préfecture de la Haute-Savoie (banc d’essai)' });
    const site = await orgStore.insertSite(deps.db, org.id, { name: 'Accueil général', kind: 'accueil_general', address: '' });
    // Real kiosks send at most KIOSK_SUBMISSIONS.max a minute each: spread the load as they would.
    const perKiosk = KIOSK_SUBMISSIONS.max;
    const warmup = Math.min(500, Math.ceil(total / 10));
    const kioskCount = Math.ceil((total + warmup) / perKiosk);
    const tokens: string[] = [];
    for (let i = 0; i < kioskCount; i++) {
      tokens.push((await kiosks.createKiosk(deps, org.id, { name: `Borne ${i}`, siteId: site.id, surveyId: SURVEY, locales: [], inactivitySeconds: 60 })).token);
    }

    const app = await listen(createApp(deps));
    const bare = express();
    bare.use(express.json({ limit: '16kb' }));
    bare.post('/echo', (req, res) => {
      res.status(201).json(req.body);
    });
    const echo = await listen(bare);
    servers = [app.server, echo.server];

    const bodies = Array.from({ length: total + warmup }, (_, i) => Buffer.from(JSON.stringify({
      id: crypto.randomUUID(), survey: SURVEY, version: entry.version, locale: i % 5 === 0 ? 'en' : 'fr',
      answers: answers(i, entry.questionNames), completedAt: new Date(Date.now() - 60_000).toISOString(), queued: 0,
    })));
    // Round robin: like real kiosks, concurrent submissions come from different tablets.
    const kioskRequests = bodies.map((body, i) => ({ url: new URL(`${app.base}/kiosque/${tokens[i % kioskCount]}/reponses`), body }));
    const echoRequests = bodies.map((body) => ({ url: new URL(`${echo.base}/echo`), body }));
    const bytes = bodies.reduce((a, b) => a + b.length, 0) / bodies.length;

    process.stdout.write(`Kiosk submission benchmark: ${rounds} rounds of ${perRound} requests per side, concurrency ${concurrency}, loopback, ${os.cpus().length} CPU(s), Node ${process.version}\n`);
    process.stdout.write(`PostgreSQL: ${(await admin.query('show server_version')).rows[0].server_version} (scratch database ${dbName}); answer set ≈ ${bytes.toFixed(0)} bytes of JSON; ${kioskCount} kiosks\n\n`);

    // Warm-up (JIT, connection pools, prepared plans), not measured.
    await runLoad(kioskRequests.slice(0, warmup), concurrency);
    await runLoad(echoRequests.slice(0, warmup), concurrency);

    const endpointRuns: LoadResult[] = [];
    const echoRuns: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) {
      const slice = [warmup + r * perRound, warmup + (r + 1) * perRound] as const;
      endpointRuns.push(await runLoad(kioskRequests.slice(...slice), concurrency));
      echoRuns.push(await runLoad(echoRequests.slice(...slice), concurrency));
      process.stdout.write(`round ${r + 1}: endpoint ${endpointRuns[r].rps.toFixed(0)} req/s p99 ${endpointRuns[r].p99.toFixed(1)} ms; echo ${echoRuns[r].rps.toFixed(0)} req/s p99 ${echoRuns[r].p99.toFixed(1)} ms\n`);
    }
    const endpoint = median(endpointRuns);
    const baseline = median(echoRuns);
    const endpointP99 = medianOf(endpointRuns.map((r) => r.p99));
    const baselineP99 = medianOf(echoRuns.map((r) => r.p99));
    process.stdout.write(`\nmedian rounds (by requests/s):\n`);
    process.stdout.write(`POST /kiosque/:token/reponses  ${fmt(endpoint)}\n`);
    process.stdout.write(`bare Express JSON echo         ${fmt(baseline)}\n`);
    process.stdout.write(`ingestion = ${(endpoint.rps / baseline.rps).toFixed(2)} × the bare server's rate (target ≥ 0.5); median p99 over the rounds ${endpointP99.toFixed(1)} ms (target < 50 ms), bare ${baselineP99.toFixed(1)} ms\n`);
    const [{ n: stored }] = rows<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from responses`));
    process.stdout.write(`answer sets stored: ${stored} (expected ${total + warmup})\n\n`);

    // Validator speed: the compiled validator against survey-core validating the same answers.
    const samples = Array.from({ length: 200 }, (_, i) => answers(i, entry.questionNames));
    for (let i = 0; i < 200; i++) entry.validator.validate(samples[i % samples.length]);
    const compiled = timeIt(50_000, (i) => entry.validator.validate(samples[i % samples.length]));
    const model = new Model(entry.json);
    for (let i = 0; i < 20; i++) {
      model.data = samples[i];
      model.validate(true, false);
    }
    const reused = timeIt(500, (i) => {
      model.data = samples[i % samples.length];
      model.validate(true, false);
    });
    const fresh = timeIt(100, (i) => {
      const m = new Model(entry.json);
      m.data = samples[i % samples.length];
      m.validate(true, false);
    });
    process.stdout.write('Answer validation (same answer sets):\n');
    process.stdout.write(`  compiled validator             ${(1000 / compiled).toFixed(0).padStart(8)} /s   ${(compiled * 1000).toFixed(1).padStart(7)} µs each\n`);
    process.stdout.write(`  survey-core, one reused Model  ${(1000 / reused).toFixed(0).padStart(8)} /s   ${(reused * 1000).toFixed(1).padStart(7)} µs each  (${(reused / compiled).toFixed(0)}× slower)\n`);
    process.stdout.write(`  survey-core, new Model each    ${(1000 / fresh).toFixed(0).padStart(8)} /s   ${(fresh * 1000).toFixed(1).padStart(7)} µs each  (${(fresh / compiled).toFixed(0)}× slower)\n`);
  } finally {
    for (const s of servers) await close(s);
    await database.close();
    await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
