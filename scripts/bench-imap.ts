/**
 * Benchmark (not a test) of the mystery-mailbox tracker against a real Dovecot started by the
 * test helper:
 * - fills a mailbox with N messages (replies of services, newsletters), written straight into
 *   the maildir and indexed by Dovecot before any timing;
 * - times a bare imapflow fetch of every message (source, size, internal date) against our
 *   tracker's first sync (IMAP layer alone, and the whole pipeline: parse, classify, match,
 *   store), and prints the ratios;
 * - counts the IMAP commands of a re-sync when nothing changed (new connection, stored cursor),
 *   at each size: it must not grow with the mailbox.
 * Usage: npx tsx scripts/bench-imap.ts [--sizes 1000,10000] [--database postgres://…]
 * Without --database, an in-memory PGlite database is used.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ImapFlow } from 'imapflow';
import { testConfig } from '../test/helpers/app';
import { TestClock } from '../test/helpers/app';
import { startDovecot, destroyDovecot, type Dovecot } from '../test/helpers/dovecot';
import * as S from '../test/helpers/mail-services';
import type { Deps } from '../server/deps';
import { createLogger } from '../server/logger';
import { migrate, openDatabase, type Database } from '../server/storage/db';
import * as orgStore from '../server/org/org.store';
import * as mailboxService from '../server/campaigns/mailbox.service';
import { imapSettingsOf } from '../server/campaigns/mailbox.service';
import { openImap } from '../server/campaigns/tracking/imap-tracker';
import { syncInbox } from '../server/campaigns/tracking/tracking.service';

const USER = { user: 'bench@citoyen.example', password: 'bench-pass' };

function message(i: number): Buffer {
  const probe: S.SeenProbe = {
    messageId: `<probe-${i}@citoyen.example>`, subject: `Question ${i} sur un titre de séjour`, from: { name: 'Camille Martin', address: USER.user },
    to: `service${i % 40}@prefecture.example`, date: new Date(Date.UTC(2019, 4, 15) + i * 600_000), text: 'Bonjour,\nQuelles pièces faut-il fournir ?\nMerci,\nCamille Martin',
  };
  const at = S.after(probe.date, 2);
  const from = { name: 'Préfecture', address: probe.to };
  const agent: S.Agent = { firstName: 'Sophie', lastName: 'Berthier', function: 'Adjointe au chef de bureau', service: 'Bureau du séjour', address: `agent${i % 97}@prefecture.example`, phone: '04 50 33 60 54' };
  switch (i % 4) {
    case 0: return S.autoAck(probe, at, from);
    case 1: return S.answer(probe, at, agent);
    case 2: return S.humanAck(probe, at, from);
    default: return S.newsletter(USER.user, at);
  }
}

/** Writes messages [from, to) into the maildir's new/ folder, owned by the mail user. */
function fill(dovecot: Dovecot, from: number, to: number) {
  const dir = path.join(dovecot.dir, 'mail', USER.user);
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  for (let i = from; i < to; i++) fs.writeFileSync(path.join(dir, 'new', `${1_500_000_000 + i}.M${i}P1.bench`), message(i));
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'dovecot:dovecot', path.join(dovecot.dir, 'mail')]);
}

async function bareClient(dovecot: Dovecot): Promise<ImapFlow> {
  const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: USER.user, pass: USER.password }, logger: false });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** Dovecot indexes new maildir files on the first SELECT: done before any timing. */
async function warm(dovecot: Dovecot): Promise<number> {
  const c = await bareClient(dovecot);
  const lock = await c.getMailboxLock('INBOX');
  const exists = c.mailbox ? c.mailbox.exists : 0;
  lock.release();
  await c.logout();
  return exists;
}

async function bareFetch(dovecot: Dovecot): Promise<{ ms: number; count: number; bytes: number }> {
  const t0 = performance.now();
  const c = await bareClient(dovecot);
  let count = 0;
  let bytes = 0;
  const lock = await c.getMailboxLock('INBOX');
  try {
    for await (const m of c.fetch('1:*', { uid: true, size: true, internalDate: true, source: true })) {
      count++;
      bytes += m.source?.length ?? 0;
    }
  } finally {
    lock.release();
  }
  await c.logout();
  return { ms: performance.now() - t0, count, bytes };
}

async function freshMailbox(deps: Deps, dovecot: Dovecot) {
  const org = await orgStore.insertOrganisation(deps.db, { code: String(100 + crypto.randomInt(899)), name: 'Bench' });
  return mailboxService.createMailbox(deps, org.id, {
    displayName: 'Camille Martin', address: USER.user, smtpHost: '127.0.0.1', smtpPort: 25, smtpSecurity: 'none', smtpUser: '', smtpPassword: undefined,
    imapHost: dovecot.host, imapPort: dovecot.port, imapTls: false, imapUser: USER.user, imapPassword: USER.password,
    inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: false, plusAddressing: false,
  });
}

async function trackerImapOnly(deps: Deps, mailbox: Awaited<ReturnType<typeof freshMailbox>>): Promise<{ ms: number; count: number }> {
  const t0 = performance.now();
  const session = await openImap(imapSettingsOf(deps, mailbox));
  let count = 0;
  await session.syncFolder('INBOX', null, async (batch) => void (count += batch.length));
  await session.close();
  return { ms: performance.now() - t0, count };
}

async function trackerFirstSync(deps: Deps, mailbox: Awaited<ReturnType<typeof freshMailbox>>) {
  const t0 = performance.now();
  const session = await openImap(imapSettingsOf(deps, mailbox));
  const stats = await syncInbox(deps, mailbox, session);
  await session.close();
  return { ms: performance.now() - t0, ...stats };
}

async function resyncCommands(deps: Deps, mailbox: Awaited<ReturnType<typeof freshMailbox>>) {
  const session = await openImap(imapSettingsOf(deps, mailbox));
  const atConnect = session.commands();
  const stats = await syncInbox(deps, mailbox, session);
  const afterSync = session.commands();
  await session.close();
  return { connect: atConnect, sync: afterSync - atConnect, fetched: stats.fetched };
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { sizes: { type: 'string', default: '1000,10000' }, database: { type: 'string' } } });
  const sizes = values.sizes!.split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
  const dovecot = await startDovecot({ users: [USER] });
  let database: Database | undefined;
  try {
    database = await openDatabase(values.database ? { url: values.database } : { dataDir: 'memory://' });
    await migrate(database);
    const deps: Deps = {
      db: database.db, dbKind: database.kind, config: testConfig(), logger: createLogger('silent'), clock: new TestClock(),
      secret: crypto.randomBytes(32), encryptionKey: crypto.randomBytes(32),
    };
    const out: string[] = [`IMAP benchmark: Dovecot ${execFileSync(fs.existsSync('/usr/sbin/dovecot') ? '/usr/sbin/dovecot' : 'dovecot', ['--version'], { encoding: 'utf8' }).trim()}, database ${database.kind}`];
    let filled = 0;
    for (const size of sizes) {
      fill(dovecot, filled, size);
      filled = size;
      const exists = await warm(dovecot);
      const bare = await bareFetch(dovecot);
      const imapOnly = await trackerImapOnly(deps, await freshMailbox(deps, dovecot));
      const mailbox = await freshMailbox(deps, dovecot);
      const first = await trackerFirstSync(deps, mailbox);
      const resync = await resyncCommands(deps, mailbox);
      out.push(
        `\n${size} messages (${exists} in INBOX, ${(bare.bytes / 1024 / 1024).toFixed(1)} MB)`,
        `  bare imapflow fetch of every message:      ${(bare.ms / 1000).toFixed(2)} s`,
        `  tracker first sync, IMAP layer only:        ${(imapOnly.ms / 1000).toFixed(2)} s  (ratio ${(imapOnly.ms / bare.ms).toFixed(2)})`,
        `  tracker first sync, parse+classify+store:   ${(first.ms / 1000).toFixed(2)} s  (ratio ${(first.ms / bare.ms).toFixed(2)}; ${first.recorded} recorded, ${(first.ms / first.fetched).toFixed(2)} ms/message)`,
        `  re-sync when nothing changed: ${resync.sync} IMAP command(s) for the sync, ${resync.connect} to connect (${resync.fetched} message fetched)`,
      );
    }
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await database?.close();
    await destroyDovecot(dovecot);
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
