/**
 * Several instances on one PostgreSQL, as deployed: two web processes (ROLES=web) behind a
 * round-robin proxy and one worker (ROLES=worker), real processes on a fresh database.
 * Kiosk submissions, a background export (run by the worker) and a kiosk revocation go
 * through the proxy; one web process is killed with SIGKILL in the middle. Nothing is lost,
 * nothing doubled, the export downloads from any instance, a revoke in one process holds in
 * the others, a web process runs no job and the worker serves no page.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { testEnv } from '../../server/config';
import { runCli, startServer, type ServerProcess } from '../helpers/process';
import { waitFor } from '../helpers/wait';

const { databaseUrl, requireAllTiers } = testEnv();
if (!databaseUrl) {
  if (requireAllTiers) throw new Error('test/system/several-instances.test.ts needs TEST_DATABASE_URL (CI requires every tier)');
  process.stderr.write('\n*** several-instances system test SKIPPED: set TEST_DATABASE_URL=postgres://… to run it ***\n');
}
const suite = databaseUrl ? describe : describe.skip;

const SURVEY = 'satisfaction-accueil';
const BULK = 20_001; // one more than a direct download: the export goes to the background
const KIOSK_SETS = 20; // under the kiosk's 30 a minute, retries included

const dbName = `qm_multi_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
const dbUrl = () => { const u = new URL(databaseUrl!); u.pathname = `/${dbName}`; return u.toString(); };
let dataDir: string;
let sql: Client;
const procs: ServerProcess[] = [];
let web1: ServerProcess;
let web2: ServerProcess;
let worker: ServerProcess;
let web3: ServerProcess;
let proxy: http.Server;
let proxyUrl: string;
let workerPort: number;

const env = (extra: Record<string, string>) => ({
  DATABASE_URL: dbUrl(), DATA_DIR: dataDir, HOST: '127.0.0.1', JOB_POLL_MS: '100', QUALIMETRE_DEMO: '0',
  SESSION_SECRET: 's'.repeat(40), ENCRYPTION_KEY: 'ab'.repeat(32), ...extra,
});
const start = async (roles: string, extra: Record<string, string> = {}) => {
  const p = await startServer(env({ ROLES: roles, ...extra }));
  procs.push(p);
  return p;
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A tiny load balancer: round robin; a backend that refuses or drops the connection is skipped. */
function startProxy(backends: () => string[]): Promise<http.Server> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      const list = backends();
      const attempt = (tries: number) => {
        if (list.length === 0) return void res.writeHead(503).end();
        const target = new URL(list[next++ % list.length]);
        const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (r) => {
          res.writeHead(r.statusCode!, r.headers);
          r.pipe(res);
        });
        // A request the killed backend never answered is replayed elsewhere, like a balancer's retry.
        up.on('error', () => (tries < list.length * 2 && !res.headersSent ? attempt(tries + 1) : res.destroy()));
        up.end(Buffer.concat(body));
      };
      attempt(0);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A user's browser: cookies and the CSRF token of the forms. */
function browser(base: () => string) {
  const jar = new Map<string, string>();
  let csrf = '';
  const go = async (method: string, p: string, form?: Record<string, string>) => {
    const res = await fetch(`${base()}${p}`, {
      method, redirect: 'manual',
      headers: { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), Accept: 'text/html', ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams({ ...form, _csrf: csrf }).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    const t = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (t) csrf = t;
    return { status: res.status, location: res.headers.get('location') ?? '', text, buf };
  };
  return { get: (p: string) => go('GET', p), post: (p: string, form: Record<string, string>) => go('POST', p, form) };
}

suite('two web processes and a worker on one PostgreSQL', () => {
  let orgId: string;
  let version: string;
  let kioskToken: string;
  let kioskId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-multi-'));
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    sql = new Client({ connectionString: dbUrl() });
    await sql.connect();
    // The CLI migrates the fresh database and creates the organisation and its referent.
    const cli = async (argv: string[], stdin = '') => {
      const r = await runCli(env({}), argv, stdin);
      if (r.code !== 0) throw new Error(`${argv[0]}: ${r.stderr}`);
      return r.stdout;
    };
    await cli(['org:create', '--code', '74', '--name', 'Préfecture de la Haute-Savoie']);
    const [, tokenOut] = await Promise.all([
      cli(['user:create', '--email', 'ref@test.fr', '--name', 'Référente', '--role', 'referent', '--org', '74', '--password-stdin'], 'un mot de passe assez long'),
      cli(['token:create', '--org', '74']),
    ]);
    const token = tokenOut.trim();
    workerPort = await freePort();
    [web1, web2] = await Promise.all([start('web'), start('web')]);
    proxy = await startProxy(() => procs.filter((p) => p.url && p.proc.exitCode === null && p.proc.signalCode === null).map((p) => p.url));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const site = await fetch(`${proxyUrl}/api/v1/sites`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Accueil général', kind: 'accueil_general', address: '' }),
    });
    expect(site.status).toBe(201);
    // The web processes have served requests, yet no schedule was ever advanced: they run no job.
    expect((await sql.query('select count(*)::int as n from job_schedules')).rows[0].n).toBe(0);
    let out: string;
    [worker, out] = await Promise.all([start('worker', { PORT: String(workerPort) }), cli(['kiosk:create', '--org', '74', '--site', 'Accueil général', '--survey', SURVEY])]);
    kioskToken = /\/kiosque\/([A-Za-z0-9_-]+)/.exec(out)![1];
    ({ rows: [{ id: orgId }] } = await sql.query('select id from organisations where code = $1', ['74']));
    ({ rows: [{ id: kioskId }] } = await sql.query('select id from kiosks where org_id = $1', [orgId]));
    ({ rows: [{ version }] } = await sql.query('select version from survey_versions where survey_id = $1 order by first_seen_at desc limit 1', [SURVEY]));
    await sql.query(`
      insert into responses (id, org_id, survey_id, survey_version, site_id, channel, locale, answers, completed_at, received_at)
      select gen_random_uuid(), $1, $2, $3, null, 'kiosk', 'fr', jsonb_build_object('avis_global', 'tres_bien'),
             timestamptz '2018-10-01 08:00+02' + g * interval '2 minutes', now()
      from generate_series(1, ${BULK}) g`, [orgId, SURVEY, version]);
  }, 120_000);

  afterAll(async () => {
    for (const p of procs) if (p.proc.exitCode === null && p.proc.signalCode === null) await p.kill('SIGKILL');
    proxy?.closeAllConnections();
    proxy?.close();
    await sql?.end();
    if (databaseUrl) {
      const admin = new Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when web1 is killed mid-way, then every kiosk answer set and the background export arrive exactly once, and the file downloads from any instance', async () => {
    expect(worker.output()).not.toContain('Open http');
    await expect(fetch(`http://127.0.0.1:${workerPort}/healthz`)).rejects.toThrow();

    const referent = browser(() => proxyUrl);
    await referent.get('/connexion');
    expect((await referent.post('/connexion', { email: 'ref@test.fr', password: 'un mot de passe assez long' })).status).toBe(303);
    const started = await referent.get(`/rapports/exports/telecharger?kind=reponses&survey=${SURVEY}&from=2018-10-01&to=2018-11-30&format=csv`);
    expect(started.status).toBe(303);
    const progressUrl = started.location;

    // Kiosk submissions, each retried with the same id until acknowledged (as the tablet does).
    const ids = Array.from({ length: KIOSK_SETS }, () => crypto.randomUUID());
    const send = async (id: string) => {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${proxyUrl}/kiosque/${kioskToken}/reponses`, {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, survey: SURVEY, version, locale: 'fr', answers: { avis_global: 'tres_bien' }, completedAt: new Date(Date.now() - 60_000).toISOString() }),
        }).catch(() => undefined);
        if (res && (res.status === 200 || res.status === 201)) return;
        if (res && res.status !== 502 && res.status !== 503) throw new Error(`kiosk submission answered ${res.status}: ${await res.text()}`);
      }
      throw new Error('kiosk submission never acknowledged');
    };
    const first = Promise.all(ids.slice(0, 10).map(send));
    await web1.kill('SIGKILL');
    await first;
    await Promise.all(ids.slice(10).map(send));

    // The export, run by the worker, is followed through whichever web process answers.
    const done = await waitFor('the export to be ready', async () => {
      const page = await referent.get(progressUrl);
      expect(page.status).toBe(200);
      return page.text.includes('L’export est prêt') && page;
    }, 40_000);
    expect(done.text).toContain('20\u202f001 lignes');

    // Nothing lost, nothing doubled.
    const { rows: stored } = await sql.query('select id from responses where kiosk_id = $1', [kioskId]);
    expect(stored.map((r) => r.id).sort()).toEqual([...ids].sort());

    // The file downloads whole and identical from the surviving instance and from a new one.
    web3 = await start('web');
    const files = [];
    for (const base of [web2.url, web3.url]) {
      const b = browser(() => base);
      await b.get('/connexion');
      expect((await b.post('/connexion', { email: 'ref@test.fr', password: 'un mot de passe assez long' })).status).toBe(303);
      const file = await b.get(`${progressUrl}/fichier`);
      expect(file.status).toBe(200);
      files.push(file.buf);
    }
    expect(files[0].equals(files[1])).toBe(true);
    const lines = files[0].toString('utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(BULK + 1);
    expect(new Set(lines.slice(1).map((l) => l.split(';')[0])).size).toBe(BULK);
  }, 60_000);

  it('when a kiosk is revoked through one instance, then the other instances refuse its link at once', async () => {
    const submitTo = (base: string) => fetch(`${base}/kiosque/${kioskToken}/reponses`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: crypto.randomUUID(), survey: SURVEY, version, locale: 'fr', answers: { avis_global: 'tres_bien' }, completedAt: new Date(Date.now() - 60_000).toISOString() }),
    });
    // web3's kiosk link cache is warm.
    expect((await submitTo(web3.url)).status).toBe(201);
    const b = browser(() => web2.url);
    await b.get('/connexion');
    await b.post('/connexion', { email: 'ref@test.fr', password: 'un mot de passe assez long' });
    await b.get(`/bornes/${kioskId}`);
    expect((await b.post(`/bornes/${kioskId}/revoquer`, { confirme: '1' })).status).toBe(303);
    expect((await submitTo(web3.url)).status).toBe(404);
  });

  it('then the export ran once, as a job of the worker, which also advanced the schedules', async () => {
    const { rows } = await sql.query(`select status, attempts, count(*)::int as n from jobs where name = 'reports.export' group by status, attempts`);
    expect(rows).toEqual([{ status: 'done', attempts: 1, n: 1 }]);
    const { rows: sched } = await sql.query('select count(*)::int as n from job_schedules');
    expect(sched[0].n).toBeGreaterThan(0);
  });
});
