/**
 * Builds the migrated templates the tests start from (a PGlite dump, and a PostgreSQL template
 * database when TEST_DATABASE_URL is set). Jest runs a globalSetup module once per run, with the
 * config of the first project that names it (not once per project): so it builds every template
 * the run may need, whichever project's test comes first.
 */
import fs from 'node:fs';
import { Client } from 'pg';
import { testEnv } from '../../server/config';
import { migrate, openDatabase } from '../../server/storage/db';
import { pgTemplateName, pgliteTemplatePath, withDatabase } from './template';

export default async function globalSetup() {
  await Promise.all([postgresTemplate(), pgliteTemplate()]);
}

async function postgresTemplate() {
  const url = testEnv().databaseUrl;
  if (url) {
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
  }
}

async function pgliteTemplate() {
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
