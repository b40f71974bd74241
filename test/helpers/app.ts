/**
 * createTestApp(): the real app (createApp) over a fresh test database, with a settable clock
 * and a silent logger. Each test file makes one and closes it in afterAll.
 */
import crypto from 'node:crypto';
import type { Express } from 'express';
import { parseConfig, type Config } from '../../server/config';
import { createApp } from '../../server/app';
import type { Clock, Deps } from '../../server/deps';
import { createLogger } from '../../server/logger';
import type { Database } from '../../server/storage/db';
import { createTestDatabase } from './db';

export class TestClock implements Clock {
  constructor(private t: Date = new Date()) {}
  now() {
    return new Date(this.t);
  }
  set(d: Date | string) {
    this.t = new Date(d);
  }
  advance(ms: number) {
    this.t = new Date(this.t.getTime() + ms);
  }
}

export interface TestContext {
  app: Express;
  deps: Deps;
  database: Database;
  clock: TestClock;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  // Our mail servers (Dovecot, smtp-server, stand-ins) listen on loopback: allowed here only.
  return parseConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent-qualimetre-test', LOG_LEVEL: 'silent', MAIL_PRIVATE_NETWORKS: '127.0.0.0/8,::1', ...overrides });
}

export async function createTestContext(opts: { config?: Record<string, string> } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const clock = new TestClock();
  const deps: Deps = {
    db: database.db,
    dbKind: database.kind,
    config: testConfig(opts.config),
    logger: createLogger('silent'),
    clock,
    secret: crypto.randomBytes(32),
  };
  return { app: createApp(deps), deps, database, clock, close: () => database.close() };
}
