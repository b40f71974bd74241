/**
 * Runs once per jest project before its tests: builds the migrated template its tests start
 * from (a PGlite dump, or a PostgreSQL template database).
 */
import fs from 'node:fs';
import { Client } from 'pg';
import { testEnv } from '../../server/config';
import { migrate, openDatabase } from '../../server/storage/db';
import { pgTemplateName, pgliteTemplatePath, withDatabase } from './template';

export default async function globalSetup(_global: unknown, project: { displayName?: { name: string } | string }) {
  const name = typeof project.displayName === 'string' ? project.displayName : project.displayName?.name;
  if (name === 'integration:postgres') {
    const url = testEnv().databaseUrl!;
    const tpl = pgTemplateName();
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [tpl]);
      if (exists.rowCount === 0) {
        await admin.query(`create database "${tpl}"`);
        const db = await openDatabase({ url: withDatabase(url, tpl), poolSize: 1 });
        try {
          await migrate(db);
        } finally {
          await db.close();
        }
      }
    } finally {
      await admin.end();
    }
    return;
  }
  const file = pgliteTemplatePath();
  if (fs.existsSync(file)) return;
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  const client = (db.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('gzip');
  await db.close();
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
}
