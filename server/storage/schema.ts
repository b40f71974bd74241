/**
 * The one SQL schema (drizzle), shared by PGlite and PostgreSQL. Migrations in
 * `storage/migrations/` are generated from it with `npm run db:generate`.
 * Every tenant-owned table carries `org_id`; store functions filter on it.
 * Keep SQL to what PostgreSQL 15 supports (PGlite runs 18).
 */
import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const organisations = pgTable('organisations', {
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  holidayZone: text('holiday_zone').notNull().default('metropole'),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('organisations_code_uq').on(t.code)]);

export const ROLES = ['admin', 'referent', 'viewer', 'evaluator'] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable('users', {
  id: id(),
  // Null only for platform administrators.
  orgId: uuid('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash'),
  role: text('role').$type<Role>().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
}, (t) => [uniqueIndex('users_email_uq').on(t.email), index('users_org_idx').on(t.orgId)]);

export const invitations = pgTable('invitations', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  role: text('role').$type<Role>().notNull(),
  tokenHash: text('token_hash').notNull(),
  invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('invitations_token_uq').on(t.tokenHash), index('invitations_org_idx').on(t.orgId)]);

export const sessions = pgTable('sessions', {
  // sha256 of the cookie value: a database leak does not yield usable cookies.
  id: text('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]);

export const loginAttempts = pgTable('login_attempts', {
  // HMAC of "account:<email>" or "addr:<ip>": neither address nor e-mail is stored in clear.
  key: text('key').notNull(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  failures: integer('failures').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.key, t.windowStart] })]);

export const apiTokens = pgTable('api_tokens', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  // Null for organisation tokens made with the CLI.
  userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  tokenHash: text('token_hash').notNull(),
  role: text('role').$type<Role>().notNull(),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_org_idx').on(t.orgId)]);

export const SITE_KINDS = ['accueil_general', 'accueil_etrangers', 'point_numerique', 'autre'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const sites = pgTable('sites', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  kind: text('kind').$type<SiteKind>().notNull().default('autre'),
  address: text('address').notNull().default(''),
  createdAt: createdAt(),
}, (t) => [index('sites_org_idx').on(t.orgId)]);

export const services = pgTable('services', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  emails: text('emails').array().notNull().default(sql`'{}'::text[]`),
  phones: text('phones').array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
}, (t) => [index('services_org_idx').on(t.orgId)]);

export const jobs = pgTable('jobs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  payload: jsonb('payload').notNull().default({}),
  status: text('status').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
  runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(5),
  lockedBy: text('locked_by'),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastError: text('last_error'),
  // A job with a dedupe key is enqueued at most once while queued or running.
  dedupeKey: text('dedupe_key'),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [
  index('jobs_ready_idx').on(t.status, t.runAt),
  uniqueIndex('jobs_dedupe_uq').on(t.dedupeKey).where(sql`status in ('queued','running')`),
]);

export const jobSchedules = pgTable('job_schedules', {
  name: text('name').primaryKey(),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
});

// Satisfaction surveys and kiosks (see server/surveys/, server/kiosk/) -------------------------

/** Every survey definition an answer set was given against, kept so old results stay readable. */
export const surveyVersions = pgTable('survey_versions', {
  surveyId: text('survey_id').notNull(),
  version: text('version').notNull(),
  definition: jsonb('definition').notNull(),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.surveyId, t.version] })]);

export const KIOSK_STATUSES = ['active', 'paused', 'revoked'] as const;
export type KioskStatus = (typeof KIOSK_STATUSES)[number];

export const kiosks = pgTable('kiosks', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  siteId: uuid('site_id').notNull().references(() => sites.id, { onDelete: 'restrict' }),
  surveyId: text('survey_id').notNull(),
  name: text('name').notNull(),
  locales: text('locales').array().notNull().default(sql`'{fr}'::text[]`),
  // sha256 of the secret in the enrolment link; the link itself is shown once.
  tokenHash: text('token_hash').notNull(),
  status: text('status').$type<KioskStatus>().notNull().default('active'),
  inactivitySeconds: integer('inactivity_seconds').notNull().default(60),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  lastAnswerAt: timestamp('last_answer_at', { withTimezone: true }),
  queuedReported: integer('queued_reported').notNull().default(0),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('kiosks_token_uq').on(t.tokenHash), index('kiosks_org_idx').on(t.orgId)]);

/** Public web links to a survey (for the prefecture's website): anonymous, rate-limited. */
export const publicLinks = pgTable('public_links', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  surveyId: text('survey_id').notNull(),
  siteId: uuid('site_id').references(() => sites.id, { onDelete: 'set null' }),
  slug: text('slug').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('public_links_slug_uq').on(t.slug), index('public_links_org_idx').on(t.orgId)]);

/**
 * Answer sets. Anonymous by construction: no IP address, no user agent, no cookie; times to
 * the minute. The id is generated by the client so a retried submission is stored once.
 */
export const responses = pgTable('responses', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  surveyId: text('survey_id').notNull(),
  surveyVersion: text('survey_version').notNull(),
  siteId: uuid('site_id').references(() => sites.id, { onDelete: 'set null' }),
  kioskId: uuid('kiosk_id').references(() => kiosks.id, { onDelete: 'set null' }),
  channel: text('channel').$type<'kiosk' | 'web'>().notNull(),
  locale: text('locale').notNull(),
  answers: jsonb('answers').notNull(),
  completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('responses_org_survey_idx').on(t.orgId, t.surveyId, t.completedAt),
  index('responses_kiosk_idx').on(t.kioskId),
]);

/** Generic fixed-window counters for rate limits; keys are HMACs, never addresses in clear. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').notNull(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  hits: integer('hits').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.key, t.windowStart] })]);
