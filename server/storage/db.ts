/**
 * Database connection: embedded PGlite under DATA_DIR (the default) or a PostgreSQL server
 * (DATABASE_URL). Both are wrapped by drizzle over the same schema, so stores see one `Db` type.
 * Migrations (one folder) are applied by `migrate()` on both.
 */
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { acquireDataDirLock, type DataDirLock } from './lock';
import { repairModes, secureDataDir } from './data-dir';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

export interface OpenOptions {
  /** postgres://… ; when absent PGlite is used. */
  url?: string;
  /** PGlite data folder; `memory://` or undefined for in-memory. */
  dataDir?: string;
  /** A PGlite data dump (from dumpDataDir) to start from: fast fresh databases in tests. */
  loadDataDir?: Blob;
  /** Hold a lock file so a second process cannot open the same data folder. */
  lock?: boolean;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Told how many paths of the data folder had too open modes and were repaired. */
  onModesRepaired?: (count: number) => void;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const { Pool } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    // JIT compilation off for the application's sessions: its queries are short reads over
    // indexes, and PostgreSQL's cost estimate (the counters' and probes' tables are large) made it
    // compile them, which took 50–200 ms of each 10–80 ms query (measured with bench-national).
    const pool = new Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, options: '-c jit=off' });
    // An idle client error (server restart) must not crash the process.
    pool.on('error', () => undefined);
    const db = drizzle(pool, { schema }) as unknown as Db;
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  let lock: DataDirLock | undefined;
  let pgDir: string | undefined;
  if (opts.dataDir && opts.dataDir !== 'memory://') {
    const repaired = secureDataDir(opts.dataDir);
    if (repaired > 0) opts.onModesRepaired?.(repaired);
    if (opts.lock !== false) lock = await acquireDataDirLock(opts.dataDir);
    pgDir = path.join(opts.dataDir, 'pgdata');
  }
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const client = await PGlite.create(pgDir ?? 'memory://', opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
    // PGlite writes the files of a new cluster 0666 whatever the umask.
    if (opts.dataDir && opts.dataDir !== 'memory://') repairModes(opts.dataDir);
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await client.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    const { migrate: m } = await import('drizzle-orm/node-postgres/migrator');
    // Several instances may start at once: serialise migrations with an advisory lock.
    await database.db.execute(sql`select pg_advisory_lock(727274001)`);
    try {
      await m(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await database.db.execute(sql`select pg_advisory_unlock(727274001)`);
    }
  } else {
    const { migrate: m } = await import('drizzle-orm/pglite/migrator');
    await m(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
}

/** Rows of a raw `db.execute(sql…)` on either driver. */
export function rows<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const preparedDialect = new PgDialect();

/**
 * db.execute for a hot statement whose text never changes (only its parameters): on
 * PostgreSQL it is prepared once per connection under `name` (no parse and plan per call); on
 * PGlite it runs as db.execute. Not for use inside a transaction (it runs on the pool).
 */
export async function executePrepared(db: Db, name: string, query: SQL): Promise<unknown> {
  const client = (db as unknown as { $client: PreparingClient | object }).$client;
  // A pg Pool (PGlite has no named statements to keep).
  if ('totalCount' in client) {
    const { sql: text, params } = preparedDialect.sqlToQuery(query);
    return (client as PreparingClient).query({ name, text, values: params });
  }
  return db.execute(query);
}

interface PreparingClient {
  totalCount: number;
  query(config: { name: string; text: string; values: unknown[] }): Promise<unknown>;
}
