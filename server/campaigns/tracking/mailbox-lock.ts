/**
 * Only one worker tracks a given mailbox at a time.
 * - In a process: a set of held mailbox ids (two trackers of one process never overlap).
 * - On PostgreSQL: a session-level advisory lock per mailbox, held on one dedicated connection
 *   of the pool per process while any lock is held (then returned, so the pool can close); if
 *   the process dies, the connection closes and PostgreSQL releases its locks, so another
 *   worker takes over. If that connection fails, the locks are reported lost and the holders
 *   stop.
 * - On PGlite a single process opens the data folder (lock file), so the in-process set is the
 *   whole story.
 * The data layer does not depend on this lock for correctness (replies are unique per mailbox
 * and Message-ID); it avoids two connections doing the same work.
 */
import type { PoolClient } from 'pg';
import type { Deps } from '../../deps';

const LOCK_CLASS = 727274002;

export interface MailboxLock {
  readonly lost: boolean;
  release(): Promise<void>;
}

interface PgPool {
  connect(): Promise<PoolClient>;
}

interface LockState {
  held: Set<string>;
  conn?: Promise<PoolClient>;
  lostHandlers: Set<() => void>;
}

const states = new WeakMap<object, LockState>();
/** Gives a lock connection back to the pool exactly once (destroyed after an error). */
const giveBacks = new WeakMap<PoolClient, (destroy?: boolean) => void>();

function stateOf(deps: Pick<Deps, 'db'>): LockState {
  let s = states.get(deps.db);
  if (!s) {
    s = { held: new Set(), lostHandlers: new Set() };
    states.set(deps.db, s);
  }
  return s;
}

async function lockConnection(deps: Pick<Deps, 'db'>, s: LockState): Promise<PoolClient> {
  if (!s.conn) {
    const pool = (deps.db as unknown as { $client: PgPool }).$client;
    s.conn = pool.connect().then((client) => {
      let given = false;
      const onError = () => {
        // The session and its locks are gone: every holder must stop.
        s.conn = undefined;
        s.held.clear();
        for (const h of [...s.lostHandlers]) h();
        giveBack(true);
      };
      // Once back in the pool the client is not ours: stop listening, never release twice.
      const giveBack = (destroy = false) => {
        if (given) return;
        given = true;
        client.off('error', onError);
        client.release(destroy);
      };
      client.on('error', onError);
      giveBacks.set(client, giveBack);
      return client;
    });
    s.conn.catch(() => (s.conn = undefined));
  }
  return s.conn;
}

export async function tryLockMailbox(deps: Pick<Deps, 'db' | 'dbKind'>, mailboxId: string): Promise<MailboxLock | null> {
  const s = stateOf(deps);
  if (s.held.has(mailboxId)) return null;
  s.held.add(mailboxId);
  let lost = false;
  const onLost = () => {
    lost = true;
  };
  if (deps.dbKind === 'postgres') {
    try {
      const conn = await lockConnection(deps, s);
      const r = await conn.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [LOCK_CLASS, mailboxId]);
      if (!r.rows[0]?.ok) {
        s.held.delete(mailboxId);
        await releaseIfIdle(s);
        return null;
      }
    } catch (err) {
      s.held.delete(mailboxId);
      await releaseIfIdle(s);
      throw err;
    }
  }
  s.lostHandlers.add(onLost);
  return {
    get lost() {
      return lost;
    },
    async release() {
      s.lostHandlers.delete(onLost);
      if (!s.held.delete(mailboxId) || lost) return;
      if (deps.dbKind === 'postgres' && s.conn) {
        try {
          const conn = await s.conn;
          await conn.query('select pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, mailboxId]);
        } catch {
          /* the connection is gone, and the lock with it */
        }
        await releaseIfIdle(s);
      }
    },
  };
}

/** The lock connection goes back to the pool when no lock is held (the pool can then close). */
async function releaseIfIdle(s: LockState) {
  if (s.held.size > 0 || !s.conn) return;
  const pending = s.conn;
  s.conn = undefined;
  const conn = await pending.catch(() => undefined);
  if (conn) giveBacks.get(conn)?.();
}

/** Releases the dedicated lock connection (shutdown, end of a test). */
export async function closeLockConnection(deps: Pick<Deps, 'db'>) {
  const s = states.get(deps.db);
  if (!s?.conn) return;
  const conn = await s.conn.catch(() => undefined);
  s.conn = undefined;
  s.held.clear();
  if (conn) giveBacks.get(conn)?.();
}
