/**
 * The scratch PostgreSQL database every benchmark runs on: created from TEST_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test) under a random name, migrated, handed to the
 * benchmark with production-like deps, then dropped (or kept with --keep).
 */
import crypto from 'node:crypto';
import { Client } from 'pg';
import { parseConfig, testEnv } from '../server/config';
import type { Clock, Deps } from '../server/deps';
import { createLogger } from '../server/logger';
import { migrate, openDatabase, type Database } from '../server/storage/db';

export interface BenchDatabase {
  deps: Deps;
  database: Database;
  /** The scratch database's URL (for child processes). */
  url: string;
}

export const out = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};

/**
 * `reuse` names a database kept by an earlier run (--keep): it is migrated, handed over with its
 * rows and never dropped, so a benchmark can be re-timed without generating its data again.
 */
export async function withBenchDatabase<T>(prefix: string, opts: { keep: boolean; clock: Clock; poolSize?: number; extra?: Partial<Deps>; reuse?: string }, run: (b: BenchDatabase & { reused: boolean }) => Promise<T>): Promise<T> {
  const baseUrl = testEnv().databaseUrl || 'postgres://postgres@127.0.0.1:5432/test';
  if (opts.reuse !== undefined && !/^qm_bench_\w+$/.test(opts.reuse)) throw new Error(`--reuse expects a kept benchmark database (qm_bench_…), got ${opts.reuse}`);
  const name = opts.reuse ?? `qm_bench_${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  let database: Database | undefined;
  try {
    if (!opts.reuse) await admin.query(`create database "${name}"`);
    const u = new URL(baseUrl);
    u.pathname = `/${name}`;
    const url = u.toString();
    database = await openDatabase({ url, poolSize: opts.poolSize ?? 4 });
    await migrate(database);
    const deps: Deps = {
      db: database.db, dbKind: 'postgres',
      config: parseConfig({ NODE_ENV: 'production', DATABASE_URL: url, SESSION_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent' }),
      logger: createLogger('silent'), clock: opts.clock, secret: crypto.randomBytes(32), ...opts.extra,
    };
    return await run({ deps, database, url, reused: !!opts.reuse });
  } finally {
    await database?.close();
    if (opts.keep || opts.reuse) out(`kept the scratch database ${name}`);
    else await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
