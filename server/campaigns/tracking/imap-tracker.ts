/**
 * IMAP for mystery mailboxes: the only module that imports imapflow.
 * - openImap(): a session with the few operations the feature needs (append a copy to the sent
 *   folder, look a Message-ID up, read a folder from a cursor, read the sent folder of a period);
 * - syncFolder(): reads what is new in a folder after a stored cursor (mailbox, uidValidity,
 *   lastUid): one UID SEARCH for the new UIDs, their sizes, then UID FETCH by batches bounded
 *   in count and bytes; the handler stores each batch (and the cursor) before the next fetch,
 *   so no IMAP command ever runs inside a fetch loop and a crash re-reads at most one batch.
 *   A changed UIDVALIDITY means a full resync (the store deduplicates). Nothing new costs one
 *   command after the mailbox is selected, whatever the mailbox size;
 * - MailboxTracker: one connection per mailbox, IDLE with a periodic poll as fallback,
 *   reconnection with jittered backoff, an `error` listener on every client.
 * The mailbox lock is always released in `finally`.
 */
import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { Logger } from '../../logger';
import { resolveMailHost, type MailHostPolicy } from '../mail-host';
import { tlsOptionsFor, type MailTls } from '../mail-tls';

export interface ImapSettings {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
  /** Which non-public networks the host may resolve to (see mail-host.ts). */
  hostPolicy: MailHostPolicy;
  /** Extra authority and pinned certificate (see mail-tls.ts). */
  trust?: MailTls;
}

export interface FolderCursor {
  uidValidity: string;
  lastUid: number;
}

export interface FetchedMessage {
  uid: number;
  internalDate: Date | null;
  size: number;
  source: Buffer;
  truncated: boolean;
}

export interface SyncOptions {
  batchSize?: number;
  /** Larger messages are stored truncated to this many bytes. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
/** A batch holds about this many bytes of sources (memory bound while a batch is stored). */
export const BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_BATCH_SIZE = 500;

export interface ImapSession {
  readonly client: ImapFlow;
  /** False when TLS was not asked and the server offered no STARTTLS: everything went in clear. */
  readonly encrypted: boolean;
  /** IMAP commands sent on this connection (for the benchmark). */
  commands(): number;
  folders(): Promise<string[]>;
  append(folder: string, raw: Buffer, date?: Date): Promise<void>;
  hasMessageId(folder: string, messageId: string): Promise<boolean>;
  /** Deletes (expunges) the messages of a folder with this Message-ID; true when there were some. */
  removeMessageId(folder: string, messageId: string): Promise<boolean>;
  /** Messages of a folder whose Date header falls in [since, before) (IMAP SENTSINCE/SENTBEFORE, day precision). */
  sentBetween(folder: string, since: Date, before: Date, opts?: SyncOptions): Promise<FetchedMessage[]>;
  syncFolder(folder: string, cursor: FolderCursor | null, onBatch: (batch: FetchedMessage[], cursor: FolderCursor, fullResync: boolean) => Promise<void>, opts?: SyncOptions): Promise<FolderCursor>;
  close(): Promise<void>;
}

export interface OpenOptions {
  logger?: Logger;
  /** Delay before IDLE once the connection is quiet (imapflow's autoIdleDelay). */
  idleDelayMs?: number;
  timeoutMs?: number;
}

/** Contiguous runs of sorted UIDs as an IMAP sequence set: [1,2,3,7] → "1:3,7". */
export function uidSet(uids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length; ) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j] + 1) j++;
    parts.push(i === j ? `${uids[i]}` : `${uids[i]}:${uids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function toFetched(m: FetchMessageObject, maxBytes: number): FetchedMessage {
  const source = m.source ?? Buffer.alloc(0);
  const size = typeof m.size === 'number' ? m.size : source.length;
  const internalDate = m.internalDate instanceof Date ? m.internalDate : m.internalDate ? new Date(m.internalDate) : null;
  return { uid: m.uid, internalDate, size, source: source.subarray(0, maxBytes), truncated: size > maxBytes };
}

export async function openImap(s: ImapSettings, opts: OpenOptions = {}): Promise<ImapSession> {
  let count = 0;
  const log = opts.logger;
  // Resolved and checked once; the checked address is what we connect to.
  const target = await resolveMailHost(s.host, s.hostPolicy);
  const client = new ImapFlow({
    host: target.address,
    ...(target.servername ? { servername: target.servername } : {}),
    port: s.port,
    secure: s.tls,
    auth: { user: s.user, pass: s.password },
    // Counts commands and forwards warnings; debug lines (the protocol) are never logged: they
    // carry message contents.
    logger: {
      debug: (entry: { src?: string; msg?: string }) => {
        if (entry?.src === 'c' && !String(entry.msg ?? '').startsWith('(*')) count++;
      },
      info: () => undefined,
      warn: (entry: unknown) => log?.warn({ imap: entry }, 'imap warning'),
      error: (entry: unknown) => log?.warn({ imap: entry }, 'imap error'),
      isLevelEnabled: () => true,
    } as never,
    autoIdleDelay: opts.idleDelayMs ?? 1000,
    connectionTimeout: opts.timeoutMs ?? 30_000,
    greetingTimeout: opts.timeoutMs ?? 30_000,
    socketTimeout: 5 * 60_000,
    disableCompression: true,
    tls: tlsOptionsFor(s.trust),
  });
  // An unhandled 'error' event would crash the process.
  client.on('error', (err: Error) => log?.warn({ err: err.message }, 'imap connection error'));
  await client.connect();

  const withFolder = async <T>(folder: string, fn: () => Promise<T>): Promise<T> => {
    const lock = await client.getMailboxLock(folder);
    try {
      return await fn();
    } finally {
      lock.release();
    }
  };

  /**
   * Fetches the given UIDs in batches of at most `batchSize` messages and about BATCH_BYTES
   * (sizes are asked first, in one command), and hands each batch over once it is complete.
   */
  const fetchUids = async (uids: number[], batchSize: number, maxBytes: number, onBatch: (b: FetchedMessage[]) => Promise<void>) => {
    if (!uids.length) return;
    const sizes = new Map((await client.fetchAll(uidSet(uids), { uid: true, size: true }, { uid: true })).map((m) => [m.uid, m.size ?? 0]));
    const batches: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    for (const uid of uids) {
      const size = Math.min(sizes.get(uid) ?? 0, maxBytes);
      if (current.length && (current.length >= batchSize || bytes + size > BATCH_BYTES)) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
      current.push(uid);
      bytes += size;
    }
    if (current.length) batches.push(current);
    for (const slice of batches) {
      // fetchAll drains the response before we act on it: no command runs inside the loop.
      const msgs = await client.fetchAll(uidSet(slice), { uid: true, size: true, internalDate: true, source: { maxLength: maxBytes } }, { uid: true });
      await onBatch(msgs.map((m) => toFetched(m, maxBytes)).sort((a, b) => a.uid - b.uid));
    }
  };

  return {
    client,
    encrypted: client.secureConnection,
    commands: () => count,
    async folders() {
      return (await client.list()).map((f) => f.path);
    },
    async append(folder, raw, date) {
      await client.append(folder, raw, ['\\Seen'], date);
    },
    async hasMessageId(folder, messageId) {
      return withFolder(folder, async () => {
        const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
        return Array.isArray(found) && found.length > 0;
      });
    },
    async removeMessageId(folder, messageId) {
      return withFolder(folder, async () => {
        const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
        if (!Array.isArray(found) || !found.length) return false;
        await client.messageDelete(uidSet([...found].sort((a, b) => a - b)), { uid: true });
        return true;
      });
    },
    async sentBetween(folder, since, before, o = {}) {
      const out: FetchedMessage[] = [];
      await withFolder(folder, async () => {
        const found = await client.search({ sentSince: since, sentBefore: before }, { uid: true });
        const uids = (Array.isArray(found) ? found : []).sort((a, b) => a - b);
        await fetchUids(uids, o.batchSize ?? DEFAULT_BATCH_SIZE, o.maxBytes ?? DEFAULT_MAX_BYTES, async (b) => void out.push(...b));
      });
      return out;
    },
    async syncFolder(folder, cursor, onBatch, o = {}) {
      return withFolder(folder, async () => {
        const mailbox = client.mailbox;
        if (!mailbox) throw new Error(`mailbox ${folder} not selected`);
        const uidValidity = String(mailbox.uidValidity);
        const fullResync = !!cursor && cursor.uidValidity !== uidValidity;
        let lastUid = cursor && !fullResync ? cursor.lastUid : 0;
        if (mailbox.exists === 0) return { uidValidity, lastUid };
        // `n:*` always names the last message even when its UID is below n: filter.
        const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
        const uids = (Array.isArray(found) ? found : []).filter((u) => u > lastUid).sort((a, b) => a - b);
        await fetchUids(uids, o.batchSize ?? DEFAULT_BATCH_SIZE, o.maxBytes ?? DEFAULT_MAX_BYTES, async (batch) => {
          lastUid = Math.max(lastUid, ...batch.map((m) => m.uid));
          await onBatch(batch, { uidValidity, lastUid }, fullResync);
        });
        return { uidValidity, lastUid };
      });
    },
    async close() {
      try {
        await client.logout();
      } catch {
        client.close();
      }
    },
  };
}

export interface ImapCheck {
  /** The error of the connection or login, when it failed (describe it with mailbox-check.ts). */
  error?: unknown;
  encrypted?: boolean;
  /** Every folder, and the one the server flags as \\Sent (SPECIAL-USE, RFC 6154), if any. */
  folders?: string[];
  specialSent?: string | null;
}

/** Connects, logs in and lists the folders; never throws. */
export async function checkImap(s: ImapSettings, timeoutMs = 15_000): Promise<ImapCheck> {
  let session: ImapSession | undefined;
  try {
    session = await openImap(s, { timeoutMs });
    const list = await session.client.list();
    return { encrypted: session.encrypted, folders: list.map((f) => f.path), specialSent: list.find((f) => f.specialUse === '\\Sent' && f.specialUseSource === 'extension')?.path ?? null };
  } catch (err) {
    return { error: err };
  } finally {
    await session?.close();
  }
}

export interface TrackerOptions {
  settings: () => Promise<ImapSettings>;
  /** Reads what is new (the inbox last, so IDLE watches it); called serially. */
  sync: (session: ImapSession) => Promise<void>;
  /** Told of every failed connection (the supervisor records it on the mailbox). */
  onConnectError?: (err: unknown) => Promise<void>;
  logger: Logger;
  pollMs?: number;
  idleDelayMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

/**
 * Keeps one connection to a mailbox: syncs on connect, on every new-message notification
 * (IDLE) and on a periodic poll; reconnects with jittered exponential backoff when the
 * connection drops (a server restart, a network cut).
 */
export class MailboxTracker {
  private session: ImapSession | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;
  private connecting: Promise<void> | undefined;
  /** Completed syncs, for tests and the benchmark. */
  syncs = 0;

  constructor(private readonly o: TrackerOptions) {}

  start() {
    this.stopped = false;
    this.connecting = this.connect();
    this.poll = setInterval(() => void this.syncNow(), this.o.pollMs ?? 60_000);
  }

  get connected() {
    return !!this.session && !this.session.client.isClosed;
  }

  /** Runs a sync now (serialised after any running one); resolves when it is done. */
  syncNow(): Promise<void> {
    this.chain = this.chain.then(async () => {
      const s = this.session;
      if (this.stopped || !s || s.client.isClosed) return;
      try {
        await this.o.sync(s);
        this.syncs++;
      } catch (err) {
        this.o.logger.warn({ err }, 'mailbox sync failed');
      }
    });
    return this.chain;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const session = await openImap(await this.o.settings(), { logger: this.o.logger, idleDelayMs: this.o.idleDelayMs });
      if (this.stopped) {
        await session.close();
        return;
      }
      this.session = session;
      this.failures = 0;
      session.client.on('exists', () => void this.syncNow());
      session.client.on('close', () => {
        if (this.session === session) this.session = undefined;
        this.scheduleReconnect();
      });
      await this.syncNow();
    } catch (err) {
      this.o.logger.warn({ err, attempt: this.failures + 1 }, 'mailbox connection failed');
      await this.o.onConnectError?.(err).catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect() {
    if (this.stopped || this.timer) return;
    this.failures++;
    const min = this.o.backoffMinMs ?? 1000;
    const max = this.o.backoffMaxMs ?? 5 * 60_000;
    const base = Math.min(max, min * 2 ** Math.min(this.failures - 1, 16));
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connecting = this.connect();
    }, delay);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.poll);
    await this.connecting;
    await this.chain;
    const s = this.session;
    this.session = undefined;
    await s?.close();
  }
}
