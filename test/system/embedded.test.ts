/**
 * The embedded default as a user runs it: real processes on one DATA_DIR.
 * One process per data folder (lock file), the CLI talks to the running server, a kill -9
 * after an acknowledged write loses nothing, SIGTERM stops cleanly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, startServer, type ServerProcess } from '../helpers/process';

let dataDir: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-system-'));
});
afterAll(async () => {
  if (server && server.proc.exitCode === null) await server.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({ DATA_DIR: dataDir });

it('when started on an empty data folder, then it seeds the demo, prints the URL and the demo credentials, and /healthz answers', async () => {
  server = await startServer(env());
  expect(server.output()).toContain('referent74@demo.qualimetre.fr');
  const res = await fetch(`${server.url}/healthz`);
  expect(await res.json()).toEqual({ status: 'ok', db: 'pglite' });
  expect(fs.existsSync(path.join(dataDir, 'qualimetre.lock'))).toBe(true);
  const page = await (await fetch(`${server.url}/connexion`)).text();
  expect(page).toContain('Connexion à Qualimètre');
});

it('when a second server starts on the same data folder, then it refuses with a clear message', async () => {
  await expect(startServer(env())).rejects.toMatchObject({ code: 3, output: expect.stringContaining('is in use by another Qualimètre process') });
});

let token = '';
it('when the CLI runs while the server runs, then it goes through the server and its token works', async () => {
  const r = await runCli(env(), ['token:create', '--org', '74']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  token = r.stdout.trim();
  const res = await fetch(`${server!.url}/api/v1/organisation`, { headers: { Authorization: `Bearer ${token}` } });
  expect(await res.json()).toMatchObject({ code: '74', role: 'referent' });
});

let siteId = '';
it('when the server is killed with SIGKILL right after an acknowledged write, then the write survives the restart', async () => {
  const res = await fetch(`${server!.url}/api/v1/sites`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Sous-préfecture de Thonon', kind: 'accueil_general', address: '' }),
  });
  expect(res.status).toBe(201);
  siteId = (await res.json()).id;
  await server!.kill('SIGKILL');
  server = await startServer(env());
  const after = await fetch(`${server.url}/api/v1/sites/${siteId}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status).toBe(200);
  expect((await after.json()).name).toBe('Sous-préfecture de Thonon');
  // The demo is seeded once: a restart does not duplicate it.
  const orgs = await runCli(env(), ['org:list']);
  expect(orgs.stdout.trim().split('\n')).toHaveLength(3);
});

it('when the server gets SIGTERM, then it exits 0 and releases the lock; the CLI then opens the folder itself', async () => {
  expect(await server!.kill('SIGTERM')).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'qualimetre.lock'))).toBe(false);
  const r = await runCli(env(), ['org:list']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Préfecture de la Haute-Savoie');
  expect(fs.existsSync(path.join(dataDir, 'qualimetre.lock'))).toBe(false);
});
