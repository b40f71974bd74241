/**
 * Migrated template databases, made once per run (and reused while the migrations are the
 * same): a PGlite data dump file, and a PostgreSQL template database.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../../server/storage/db';

export function migrationsHash(): string {
  const h = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else h.update(f).update(fs.readFileSync(p));
    }
  };
  walk(MIGRATIONS_DIR);
  return h.digest('hex').slice(0, 12);
}

export function pgliteTemplatePath(): string {
  return path.join(os.tmpdir(), `qualimetre-test-template-${migrationsHash()}.tar.gz`);
}

export function pgTemplateName(): string {
  return `qm_tpl_${migrationsHash()}`;
}

/** Replace the database name of a postgres:// URL. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
