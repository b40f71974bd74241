import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirLockedError, acquireDataDirLock } from '../../../server/storage/lock';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'qm-lock-'));

describe('data-folder lock', () => {
  it('when the folder is free, then the lock is taken and released', () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lock.path, 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(lock.path)).toBe(false);
  });

  it('when a live process holds it, then a second acquisition fails naming that process', () => {
    const dir = tmp();
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(new RegExp(`pid ${process.pid}`));
    lock.release();
  });

  it('when the holder died without releasing it, then the lock is taken over', () => {
    const dir = tmp();
    // A pid that surely is not running: a process that has already exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dir, 'qualimetre.lock'), dead);
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lock.path, 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});
