/**
 * Data-folder lock: PGlite has no cross-process lock, and two processes writing one data
 * folder lose rows. The first process creates `qualimetre.lock` (O_EXCL) holding its pid;
 * a second one fails with a clear message. A lock left by a dead process (kill -9) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = path.join(dataDir, 'qualimetre.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return {
        path: file,
        release() {
          if (released) return;
          released = true;
          try {
            if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
      if (Number.isFinite(pid) && pid > 0 && alive(pid)) throw new DataDirLockedError(dataDir, pid);
      // Stale lock from a dead process: remove it and try again.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not acquire the lock ${file}`);
}
