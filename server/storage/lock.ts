/**
 * Data-folder lock: PGlite has no cross-process lock, and two processes writing one data
 * folder lose rows. The first process creates `qualimetre.lock` (O_EXCL) holding its pid and
 * at once listens on the Unix socket `qualimetre.lock.sock` beside it; a second one fails with
 * a clear message.
 *
 * Liveness is judged by the socket, not by the pid: a pid answers `kill(pid, 0)` while it is a
 * zombie (a SIGKILLed server not yet reaped, in a container whose pid 1 does not reap) and
 * after a reboot it may belong to an unrelated process; only a live Qualimètre accepts a
 * connection on its lock socket (the kernel closes it when the process dies). A lock whose
 * socket does not answer is taken over; the only wait is for a holder that created its lock
 * file a moment ago and may not listen yet (LISTEN_GRACE_MS).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const LOCK_NAME = 'qualimetre.lock';
export const LOCK_SOCKET_NAME = 'qualimetre.lock.sock';
const GREETING = 'qualimetre-lock\n';
/** A holder listens within milliseconds of creating its lock file; this allows a loaded machine. */
const LISTEN_GRACE_MS = 3_000;

export class DataDirLockedError extends Error {
  constructor(public readonly dataDir: string, public readonly pid: number) {
    super(
      `The data folder ${dataDir} is in use by another Qualimètre process (pid ${pid}). ` +
        `Stop it first, or use "npm run cli -- …", which talks to the running server.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  path: string;
  release(): void;
}

/**
 * True when a live process listens on the lock socket. The kernel accepts a connection on a
 * listening Unix socket even while its holder's event loop is busy (PGlite's first open blocks
 * it for seconds), so a connection is proof enough; a dead holder's socket refuses (ECONNREFUSED).
 */
export function lockHolderAnswers(dataDir: string): Promise<boolean> {
  const file = path.join(dataDir, LOCK_SOCKET_NAME);
  return new Promise((resolve) => {
    const conn = net.createConnection(file);
    const done = (alive: boolean) => {
      conn.destroy();
      resolve(alive);
    };
    conn.on('connect', () => done(true));
    // No answer either way: do not steal a lock that may be held.
    conn.setTimeout(5_000, () => done(true));
    conn.on('error', () => done(false));
  });
}

function listenOnLockSocket(dataDir: string): Promise<net.Server> {
  const file = path.join(dataDir, LOCK_SOCKET_NAME);
  // We hold the lock file: a socket file here was left by a dead holder.
  fs.rmSync(file, { force: true });
  const server = net.createServer((conn) => {
    conn.on('error', () => conn.destroy());
    conn.end(GREETING);
  });
  // The lock must not keep a finished CLI alive.
  server.unref();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      fs.chmodSync(file, 0o600);
      resolve(server);
    });
  });
}

/** False only when no process has this pid (a live pid proves nothing: zombie, reuse). */
function pidExists(pid: number): boolean {
  if (!Number.isFinite(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { pid: number; mtimeMs: number; ageMs: number } | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    const { mtimeMs } = fs.statSync(file);
    return { pid, mtimeMs, ageMs: Date.now() - mtimeMs };
  } catch {
    return undefined;
  }
}

export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_NAME);
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = readLock(file);
      if (!held) continue; // released meanwhile
      if (await lockHolderAnswers(dataDir)) throw new DataDirLockedError(dataDir, held.pid);
      if (held.ageMs < LISTEN_GRACE_MS && pidExists(held.pid)) {
        // A holder that is just starting: look again once it has had time to listen.
        await new Promise((r) => setTimeout(r, LISTEN_GRACE_MS - held.ageMs + 50));
        if (await lockHolderAnswers(dataDir)) throw new DataDirLockedError(dataDir, held.pid);
      }
      // Stale lock (dead, zombie or unrelated pid): remove it, unless another starter did.
      const again = readLock(file);
      if (again && again.pid === held.pid && again.mtimeMs === held.mtimeMs) fs.rmSync(file, { force: true });
      continue;
    }
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    let server: net.Server;
    try {
      server = await listenOnLockSocket(dataDir);
    } catch (err) {
      fs.rmSync(file, { force: true });
      throw err;
    }
    let released = false;
    return {
      path: file,
      release() {
        if (released) return;
        released = true;
        server.close();
        fs.rmSync(path.join(dataDir, LOCK_SOCKET_NAME), { force: true });
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      },
    };
  }
  throw new Error(`Could not acquire the lock ${file}`);
}
