/**
 * The embedded data folder, hardened: owner-only modes whatever the umask (repaired at
 * start-up with a log line), and a lock whose liveness is judged by its socket, so a server
 * killed with SIGKILL and left a zombie (its parent does not reap it) restarts at once.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type ServerProcess } from '../helpers/process';

let root: string;
let dataDir: string;
let server: ServerProcess | undefined;
jest.setTimeout(240_000); // a first start (initdb, migrations, demo) is slow on a loaded 2-core machine
const previousUmask = process.umask(0o022);

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-datadir-'));
  // A DATA_DIR that does not exist yet, under the usual umask 022.
  dataDir = path.join(root, 'nested', 'data');
});
afterAll(async () => {
  process.umask(previousUmask);
  if (server && server.proc.exitCode === null) await server.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

const env = () => ({ DATA_DIR: dataDir });

/** Every path under `dir` whose mode lets another account in, as "mode path". */
function openPaths(dir: string): string[] {
  const found: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const p = stack.pop()!;
    const st = fs.lstatSync(p);
    const mode = st.mode & 0o777;
    if (st.isDirectory() ? mode !== 0o700 : (mode & 0o077) !== 0) found.push(`${mode.toString(8)} ${path.relative(dir, p)}`);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) stack.push(path.join(p, n));
  }
  return found;
}

it('when the server creates a new data folder under umask 022, then the folder and every path in it are owner-only', async () => {
  server = await startServer(env(), 200_000);
  expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
  const count = (function countAll(d: string): number {
    return fs.readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + 1 + (e.isDirectory() ? countAll(path.join(d, e.name)) : 0), 0);
  })(dataDir);
  expect(count).toBeGreaterThan(500); // the whole PGlite cluster is checked, not an empty folder
  expect(openPaths(dataDir)).toEqual([]);
  expect(await server.kill('SIGTERM')).toBe(0);
  expect(openPaths(dataDir)).toEqual([]);
});

it('when an existing data folder has open modes, then start-up repairs them and says so in the log', async () => {
  const stack = [dataDir];
  while (stack.length) {
    const p = stack.pop()!;
    const st = fs.lstatSync(p);
    fs.chmodSync(p, st.isDirectory() ? 0o777 : 0o666);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) stack.push(path.join(p, n));
  }
  server = await startServer(env(), 200_000);
  expect(server.output()).toMatch(/modes repaired/);
  expect(openPaths(dataDir)).toEqual([]);
});

it('when the server is SIGKILLed and stays a zombie, then an immediate restart takes the lock over', async () => {
  expect(await server!.kill('SIGTERM')).toBe(0);
  // The server's parent is `sleep`, which never reaps: after SIGKILL the server is a zombie,
  // so its pid still "exists" for kill(pid, 0), as in a container whose pid 1 does not reap.
  const parent = spawn('sh', ['-c', `"${process.execPath}" --import tsx server/main.ts & exec sleep 600`], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', NODE_ENV: 'test', PORT: '0', ...env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      parent.stdout!.on('data', (d) => {
        out += d;
        if (/Open http/.test(out)) resolve();
      });
      parent.on('exit', () => reject(new Error(out)));
    });
    const pid = Number(fs.readFileSync(path.join(dataDir, 'qualimetre.lock'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const state = () => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
    while (state() !== 'Z') await new Promise((r) => setImmediate(r));
    expect(() => process.kill(pid, 0)).not.toThrow(); // the zombie looks alive by pid

    server = await startServer(env(), 200_000);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(Number(fs.readFileSync(path.join(dataDir, 'qualimetre.lock'), 'utf8'))).toBe(server.proc.pid);
  } finally {
    parent.kill('SIGKILL');
  }
});
