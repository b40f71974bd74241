/**
 * A real Dovecot IMAP server for tests and benchmarks: `dovecot -F -c <generated config>` as a
 * child process on a free loopback port, passwd-file users, maildir under a temp dir.
 * As root (our CI machines), login processes run as `dovenull`, mail is stored as the `dovecot`
 * uid and the temp dir is chowned to it; as a normal user, everything runs as that user.
 * Stop with stop() (SIGTERM) in afterAll; restart() keeps users, mail and port.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface DovecotUser {
  user: string;
  password: string;
}

export interface Dovecot {
  host: string;
  port: number;
  /** Implicit-TLS (imaps) port when started with `tls`, else 0. */
  tlsPort: number;
  dir: string;
  users: DovecotUser[];
  addUser(u: DovecotUser): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Dovecot's own log (for a failing test's message). */
  log(): string;
}

const DOVECOT_BIN = fs.existsSync('/usr/sbin/dovecot') ? '/usr/sbin/dovecot' : 'dovecot';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function idOf(name: string, flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
}

function chownTree(dir: string, uid: number, gid: number) {
  fs.chownSync(dir, uid, gid);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else fs.chownSync(p, uid, gid);
  }
}

function config(dir: string, port: number, asRoot: boolean, mailUser: string, mailGroup: string, tlsPort: number): string {
  const lines = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    `info_log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    // With a certificate: STARTTLS on the imap port, implicit TLS on the imaps port.
    ...(tlsPort ? ['ssl = yes', `ssl_cert = <${dir}/tls/cert.pem`, `ssl_key = <${dir}/tls/key.pem`] : ['ssl = no']),
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    // Tests try wrong passwords on purpose: no penalty delay.
    'auth_failure_delay = 0',
    asRoot ? 'default_login_user = dovenull' : `default_login_user = ${mailUser}`,
    asRoot ? 'default_internal_user = dovecot' : `default_internal_user = ${mailUser}`,
    `default_internal_group = ${mailGroup}`,
    `mail_location = maildir:${dir}/mail/%u`,
    'first_valid_uid = 1',
    // New mail is announced quickly to an IDLE client.
    'mailbox_idle_check_interval = 1 secs',
    'imap_idle_notify_interval = 10 secs',
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/users`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${mailUser} gid=${mailGroup} home=${dir}/mail/%u`,
    '}',
    'namespace inbox {',
    '  inbox = yes',
    '  separator = /',
    '  mailbox Sent {',
    '    special_use = \\Sent',
    '    auto = subscribe',
    '  }',
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    `    port = ${tlsPort}`,
    '  }',
    '  chroot =',
    '}',
    'service anvil {',
    '  chroot =',
    '}',
    'service stats {',
    '  unix_listener stats-reader {',
    `    user = ${mailUser}`,
    '  }',
    '  unix_listener stats-writer {',
    `    user = ${mailUser}`,
    '  }',
    '}',
    'protocol imap {',
    '  mail_max_userip_connections = 50',
    '}',
  ];
  return lines.join('\n') + '\n';
}

async function waitForGreeting(port: number, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error('dovecot exited during start-up');
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      let buf = '';
      const done = (v: boolean) => {
        sock.destroy();
        resolve(v);
      };
      sock.setTimeout(500, () => done(false));
      sock.on('data', (d) => {
        buf += d;
        if (buf.includes('* OK')) done(true);
      });
      sock.on('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not answer on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startDovecot(opts: { users?: DovecotUser[]; port?: number; tls?: { certPem: string; keyPem: string } } = {}): Promise<Dovecot> {
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-dovecot-'));
  const mailUser = asRoot ? 'dovecot' : os.userInfo().username;
  const mailGroup = asRoot ? 'dovecot' : execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  for (const d of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, d));
  const port = opts.port ?? (await freePort());
  const tlsPort = opts.tls ? await freePort() : 0;
  if (opts.tls) {
    fs.mkdirSync(path.join(dir, 'tls'));
    fs.writeFileSync(path.join(dir, 'tls', 'cert.pem'), opts.tls.certPem);
    fs.writeFileSync(path.join(dir, 'tls', 'key.pem'), opts.tls.keyPem, { mode: 0o600 });
  }
  const users: DovecotUser[] = [...(opts.users ?? [])];
  const writeUsers = () => {
    fs.writeFileSync(path.join(dir, 'users'), users.map((u) => `${u.user}:{PLAIN}${u.password}::::::`).join('\n') + '\n', { mode: 0o640 });
    if (asRoot) fs.chownSync(path.join(dir, 'users'), 0, idOf('dovecot', '-g'));
  };
  writeUsers();
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), config(dir, port, asRoot, mailUser, mailGroup, tlsPort));
  fs.writeFileSync(path.join(dir, 'dovecot.log'), '');
  fs.chmodSync(dir, 0o755);
  if (asRoot) {
    const uid = idOf('dovecot', '-u');
    const gid = idOf('dovecot', '-g');
    chownTree(path.join(dir, 'mail'), uid, gid);
    chownTree(path.join(dir, 'state'), uid, gid);
  }

  let proc: ChildProcess | undefined;
  let exitedFlag = false;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    exitedFlag = false;
    proc = spawn(DOVECOT_BIN, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    exited = new Promise((resolve) => proc!.once('exit', () => {
      exitedFlag = true;
      resolve();
    }));
    try {
      await waitForGreeting(port, 10_000, () => exitedFlag);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${stderr}\n${fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8').slice(-2000)}`);
    }
  };
  const stop = async () => {
    if (!proc || exitedFlag) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc?.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    dir,
    users,
    addUser(u) {
      users.push(u);
      writeUsers();
    },
    start,
    async stop() {
      await stop();
    },
    async restart() {
      await stop();
      await start();
    },
    log: () => fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8'),
  };
}

/** Stop and delete the temp dir. */
export async function destroyDovecot(d: Dovecot | undefined) {
  if (!d) return;
  await d.stop();
  fs.rmSync(d.dir, { recursive: true, force: true });
}
