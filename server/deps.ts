/**
 * The dependencies passed to the app, jobs and CLI commands, so tests can use a fixed clock
 * and their own database without module mocking.
 */
import type { Config } from './config';
import type { Logger } from './logger';
import type { Db, DbKind } from './storage/db';
import type { SurveyCatalogue } from './surveys/catalogue';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface Deps {
  db: Db;
  dbKind: DbKind;
  config: Config;
  logger: Logger;
  clock: Clock;
  /** Server secret (HMAC for CSRF tokens and rate-limit keys). */
  secret: Buffer;
  /** ENCRYPTION_KEY (32 bytes): seals secrets at rest, e.g. mystery mailbox passwords. */
  encryptionKey?: Buffer;
  /** The survey catalogue loaded at boot; when absent, `surveys/` is loaded on first use. */
  surveys?: SurveyCatalogue;
}
