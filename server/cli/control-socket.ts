/**
 * The control socket: a Unix socket in DATA_DIR through which `npm run cli` hands its command
 * to the running server, since on PGlite only one process may open the data folder.
 * Protocol: one JSON line in ({ argv, stdin }), one JSON line out (CommandResult).
 * The socket is created mode 0600: only the account running the server may use it.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Deps } from '../deps';
import { runCommand, type CommandResult } from './commands';

export const SOCKET_NAME = 'qualimetre.sock';
const MAX_REQUEST = 1024 * 1024;

export function socketPath(dataDir: string): string {
  return path.join(dataDir, SOCKET_NAME);
}

export async function startControlSocket(deps: Deps, dataDir: string): Promise<{ close(): Promise<void> }> {
  const file = socketPath(dataDir);
  // We hold the data-folder lock, so a socket file left here belongs to a dead process.
  fs.rmSync(file, { force: true });
  const server = net.createServer((conn) => {
    let buf = '';
    conn.setEncoding('utf8');
    conn.on('error', () => conn.destroy());
    conn.on('data', async (chunk: string) => {
      buf += chunk;
      if (buf.length > MAX_REQUEST) return conn.destroy();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      let result: CommandResult;
      try {
        const req = JSON.parse(buf.slice(0, nl)) as { argv: string[]; stdin?: string };
        result = await runCommand(deps, Array.isArray(req.argv) ? req.argv.map(String) : [], String(req.stdin ?? ''));
      } catch {
        result = { code: 2, stdout: '', stderr: 'Malformed request\n' };
      }
      conn.end(JSON.stringify(result) + '\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
  fs.chmodSync(file, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(file, { force: true });
      }),
  };
}

/** Send a command to a running server; undefined when no server listens. */
export function sendToServer(dataDir: string, argv: string[], stdin: string): Promise<CommandResult | undefined> {
  return new Promise((resolve, reject) => {
    const file = socketPath(dataDir);
    if (!fs.existsSync(file)) return resolve(undefined);
    const conn = net.createConnection(file);
    let buf = '';
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(JSON.stringify({ argv, stdin }) + '\n'));
    conn.on('data', (c: string) => (buf += c));
    conn.on('end', () => {
      try {
        resolve(JSON.parse(buf));
      } catch (err) {
        reject(err);
      }
    });
    conn.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(undefined);
      else reject(err);
    });
  });
}
