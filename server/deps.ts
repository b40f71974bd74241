/**
 * The dependencies passed to the app, jobs and CLI commands, so tests can use a fixed clock
 * and their own database without module mocking.
 */
import type { Config } from './config';
import type { Logger } from './logger';
import type { Db, DbKind } from './storage/db';

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
}
