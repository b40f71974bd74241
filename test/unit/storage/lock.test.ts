import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirLockedError, LOCK_SOCKET_NAME, acquireDataDirLock } from '../../../server/storage/lock';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'qm-lock-'));
const old = (file: string) => fs.utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

describe('data-folder lock', () => {
  it('when the folder is free, then the lock is taken and released', async () => {
    const dir = tmp();
    const lock = await acquireDataDirLock(dir);
    expect(fs.readFileSync(lock.path, 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(lock.path)).toBe(false);
    expect(fs.existsSync(path.join(dir, LOCK_SOCKET_NAME))).toBe(false);
  });

  it('when a live holder answers on its lock socket, then a second acquisition fails naming that process', async () => {
    const dir = tmp();
    const lock = await acquireDataDirLock(dir);
    old(lock.path);
    await expect(acquireDataDirLock(dir)).rejects.toThrow(DataDirLockedError);
    await expect(acquireDataDirLock(dir)).rejects.toThrow(new RegExp(`pid ${process.pid}`));
    lock.release();
  });

  it('when the holder died without releasing it, then the lock is taken over', async () => {
    const dir = tmp();
    // A pid that surely is not running: a process that has already exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dir, 'qualimetre.lock'), dead);
    const lock = await acquireDataDirLock(dir);
    expect(fs.readFileSync(lock.path, 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it('when the lock names a live pid that does not answer on the socket (reused pid, zombie), then it is taken over', async () => {
    const dir = tmp();
    // pid 1 and our own parent are alive, and neither listens on this folder's lock socket.
    const file = path.join(dir, 'qualimetre.lock');
    fs.writeFileSync(file, String(process.ppid));
    // The socket file a killed holder leaves behind: present, but nobody accepts on it.
    fs.writeFileSync(path.join(dir, LOCK_SOCKET_NAME), '');
    old(file);
    const lock = await acquireDataDirLock(dir);
    expect(fs.readFileSync(lock.path, 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});
