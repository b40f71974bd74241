/**
 * A fresh, migrated database for one test file, on the driver of the jest project:
 * PGlite loaded from the template dump (~1 s), or a new PostgreSQL database cloned from the
 * template database (CREATE DATABASE … TEMPLATE), dropped on close.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import { testEnv } from '../../server/config';
import { openDatabase, type Database } from '../../server/storage/db';
import { pgTemplateName, pgliteTemplatePath, withDatabase } from './template';

export async function createTestDatabase(): Promise<Database> {
  const env = testEnv();
  if (env.driver === 'postgres') {
    if (!env.databaseUrl) throw new Error('TEST_DATABASE_URL is required for the postgres tier');
    const name = `qm_t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: env.databaseUrl });
    await admin.connect();
    await admin.query(`create database "${name}" template "${pgTemplateName()}"`);
    await admin.end();
    const db = await openDatabase({ url: withDatabase(env.databaseUrl, name), poolSize: 5 });
    return {
      ...db,
      close: async () => {
        await db.close();
        const a = new Client({ connectionString: env.databaseUrl });
        await a.connect();
        await a.query(`drop database if exists "${name}" with (force)`);
        await a.end();
      },
    };
  }
  const dump = new Blob([fs.readFileSync(pgliteTemplatePath())]);
  return openDatabase({ dataDir: 'memory://', loadDataDir: dump });
}
