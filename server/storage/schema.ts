/**
 * The one SQL schema (drizzle), shared by PGlite and PostgreSQL. Migrations in
 * `storage/migrations/` are generated from it with `npm run db:generate`.
 * Every tenant-owned table carries `org_id`; store functions filter on it.
 * Keep SQL to what PostgreSQL 15 supports (PGlite runs 18).
 */
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, customType, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const organisations = pgTable('organisations', {
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  holidayZone: text('holiday_zone').notNull().default('metropole'),
  // Set by an administrator: the organisation's users must log in with ProConnect.
  proconnectRequired: boolean('proconnect_required').notNull().default(false),
  // Issue 16: the department (INSEE code, « 74 », « 2A », « 971 ») whose town halls the
  // organisation checks; null means « the organisation's code, when it is a department code ».
  departmentCode: text('department_code'),
  // A deactivated organisation keeps its data; its users can no longer sign in.
  deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('organisations_code_uq').on(t.code)]);

// `national` (issue 18): the DGSCGC / ministry team, attached to no organisation (org_id null,
// like an administrator), reading every organisation's aggregated figures and writing nothing.
export const ROLES = ['admin', 'referent', 'viewer', 'evaluator', 'national'] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable('users', {
  id: id(),
  // Null only for platform administrators and the national team (role `national`).
  orgId: uuid('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash'),
  role: text('role').$type<Role>().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  // ProConnect's `sub` for this agent, remembered at the first ProConnect login.
  proconnectSub: text('proconnect_sub'),
}, (t) => [uniqueIndex('users_email_uq').on(t.email), index('users_org_idx').on(t.orgId), uniqueIndex('users_proconnect_sub_uq').on(t.proconnectSub)]);

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

/**
 * « Mot de passe oublié »: a single-use link valid one hour. Only the SHA-256 of the token is
 * stored; a used or expired row is useless and purged.
 */
export const passwordResets = pgTable('password_resets', {
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('password_resets_token_uq').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)]);

export const sessions = pgTable('sessions', {
  // sha256 of the cookie value: a database leak does not yield usable cookies.
  id: text('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
}, (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]);

/**
 * The ProConnect side of a session opened through ProConnect: the ID token is kept only to be
 * sent back as `id_token_hint` at logout (RP-initiated logout); it dies with the session.
 */
export const proconnectSessions = pgTable('proconnect_sessions', {
  sessionId: text('session_id').primaryKey().references(() => sessions.id, { onDelete: 'cascade' }),
  idToken: text('id_token').notNull(),
  // Which identity provider and which authentication methods ProConnect reported (no personal data).
  idpId: text('idp_id'),
  amr: text('amr').array(),
  createdAt: createdAt(),
});

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
  // Categories of citizens' questions the service handles (issue 14): the mail plan matches on them.
  categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
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
  // When the kiosk was last paused: answer sets completed before it are still accepted.
  pausedAt: timestamp('paused_at', { withTimezone: true }),
  inactivitySeconds: integer('inactivity_seconds').notNull().default(60),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  lastAnswerAt: timestamp('last_answer_at', { withTimezone: true }),
  queuedReported: integer('queued_reported').notNull().default(0),
  // Answer sets the server refused for good (4xx) that the tablet keeps aside, as it last said.
  parkedReported: integer('parked_reported').notNull().default(0),
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

// Mystery phone calls (enquête mystère téléphonique croisée, see server/phone/) ---------------
// A programme groups organisations; each pair says who calls whom. The called organisation
// owns its numbers and scenarios, the calling organisation its evaluators and calls. Every
// table carries the organisation that owns the row, and stores filter on it.

export const phoneProgrammes = pgTable('phone_programmes', {
  id: id(),
  // The organisation whose referent created the programme and invited the others; null for a
  // national round (issue 18), set up by the national team for every organisation at once.
  ownerOrgId: uuid('owner_org_id').references(() => organisations.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  callsPerNumber: integer('calls_per_number').notNull().default(3),
  // « Non abouti » after this many attempts of this many seconds of waiting (configurable).
  maxAttempts: integer('max_attempts').notNull().default(3),
  attemptWaitSeconds: integer('attempt_wait_seconds').notNull().default(300),
  passMark: doublePrecision('pass_mark').notNull().default(7),
  // Seed of the plan generator: the same inputs and seed give the same plan.
  seed: integer('seed').notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [index('phone_programmes_owner_idx').on(t.ownerOrgId)]);

export const phoneParticipants = pgTable('phone_participants', {
  programmeId: uuid('programme_id').notNull().references(() => phoneProgrammes.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
}, (t) => [primaryKey({ columns: [t.programmeId, t.orgId] }), index('phone_participants_org_idx').on(t.orgId)]);

export const phonePairs = pgTable('phone_pairs', {
  id: id(),
  programmeId: uuid('programme_id').notNull().references(() => phoneProgrammes.id, { onDelete: 'cascade' }),
  callerOrgId: uuid('caller_org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  calledOrgId: uuid('called_org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  planGeneratedAt: timestamp('plan_generated_at', { withTimezone: true }),
}, (t) => [uniqueIndex('phone_pairs_uq').on(t.programmeId, t.callerOrgId, t.calledOrgId), index('phone_pairs_called_idx').on(t.calledOrgId)]);

export const PHONE_NUMBER_KINDS = ['standard', 'service', 'repondeur'] as const;
export type PhoneNumberKind = (typeof PHONE_NUMBER_KINDS)[number];

/** A number the called organisation asks to be called: switchboard, a service, a service's answering machine. */
export const phoneNumbers = pgTable('phone_numbers', {
  id: id(),
  programmeId: uuid('programme_id').notNull().references(() => phoneProgrammes.id, { onDelete: 'cascade' }),
  // The called organisation.
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  kind: text('kind').$type<PhoneNumberKind>().notNull(),
  label: text('label').notNull(),
  phone: text('phone').notNull(),
  serviceId: uuid('service_id').references(() => services.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [index('phone_numbers_org_idx').on(t.orgId, t.programmeId)]);

/** What the evaluator asks, in a citizen's words, and the correct answer expected (grading substance). */
export const phoneScenarios = pgTable('phone_scenarios', {
  id: id(),
  programmeId: uuid('programme_id').notNull().references(() => phoneProgrammes.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  // Null: the scenario may be used on any number of the organisation.
  numberId: uuid('number_id').references(() => phoneNumbers.id, { onDelete: 'restrict' }),
  category: text('category').notNull(),
  question: text('question').notNull(),
  expectedAnswer: text('expected_answer').notNull(),
  createdAt: createdAt(),
}, (t) => [index('phone_scenarios_org_idx').on(t.orgId, t.programmeId)]);

export const phoneEvaluators = pgTable('phone_evaluators', {
  programmeId: uuid('programme_id').notNull().references(() => phoneProgrammes.id, { onDelete: 'cascade' }),
  // The calling organisation.
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.programmeId, t.userId] }), index('phone_evaluators_org_idx').on(t.orgId)]);

export const PHONE_CALL_STATUSES = ['planned', 'in_progress', 'submitted'] as const;
export type PhoneCallStatus = (typeof PHONE_CALL_STATUSES)[number];

/** One planned call of an evaluator to a number, then its attempts and its grid. */
export const phoneCalls = pgTable('phone_calls', {
  id: id(),
  programmeId: uuid('programme_id').notNull().references(() => phoneProgrammes.id, { onDelete: 'cascade' }),
  pairId: uuid('pair_id').notNull().references(() => phonePairs.id, { onDelete: 'cascade' }),
  callerOrgId: uuid('caller_org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  calledOrgId: uuid('called_org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  numberId: uuid('number_id').notNull().references(() => phoneNumbers.id, { onDelete: 'restrict' }),
  scenarioId: uuid('scenario_id').notNull().references(() => phoneScenarios.id, { onDelete: 'restrict' }),
  evaluatorId: uuid('evaluator_id').notNull().references(() => users.id, { onDelete: 'restrict' }),
  scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
  slot: text('slot').notNull(),
  status: text('status').$type<PhoneCallStatus>().notNull().default('planned'),
  // The grid (draft or submitted), against this version of surveys/mystere-telephone.json.
  answers: jsonb('answers'),
  surveyVersion: text('survey_version'),
  // A draft may be completed the same (Paris) day it was started; reopening restarts the day.
  gridStartedAt: timestamp('grid_started_at', { withTimezone: true }),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  reopenedAt: timestamp('reopened_at', { withTimezone: true }),
  reopenedBy: uuid('reopened_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('phone_calls_evaluator_idx').on(t.callerOrgId, t.evaluatorId, t.scheduledAt),
  index('phone_calls_called_idx').on(t.calledOrgId, t.programmeId),
  index('phone_calls_pair_idx').on(t.pairId),
]);

export const PHONE_ATTEMPT_OUTCOMES = ['personne', 'occupe', 'sonne_dans_le_vide', 'repondeur', 'raccroche'] as const;
export type PhoneAttemptOutcome = (typeof PHONE_ATTEMPT_OUTCOMES)[number];

/** One dialling of a call: how long the evaluator waited and what happened. */
export const phoneCallAttempts = pgTable('phone_call_attempts', {
  id: id(),
  callId: uuid('call_id').notNull().references(() => phoneCalls.id, { onDelete: 'cascade' }),
  callerOrgId: uuid('caller_org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  n: integer('n').notNull(),
  outcome: text('outcome').$type<PhoneAttemptOutcome>().notNull(),
  waitSeconds: integer('wait_seconds').notNull(),
  rings: integer('rings'),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('phone_call_attempts_uq').on(t.callId, t.n)]);

// Mystery e-mail campaigns (see server/campaigns/) ---------------------------------------------

/** Raw message bytes: Buffer on both drivers (PGlite gives a Uint8Array back). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array)),
});

export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/**
 * A mailbox that looks like a private citizen's, used to send probes and receive replies.
 * Passwords are sealed with the ENCRYPTION_KEY (campaigns/secret-box.ts) and never shown again.
 */
export const mysteryMailboxes = pgTable('mystery_mailboxes', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  displayName: text('display_name').notNull(),
  address: text('address').notNull(),
  smtpHost: text('smtp_host').notNull(),
  smtpPort: integer('smtp_port').notNull(),
  smtpSecurity: text('smtp_security').$type<SmtpSecurity>().notNull().default('starttls'),
  smtpUser: text('smtp_user').notNull().default(''),
  smtpPasswordSealed: text('smtp_password_sealed'),
  imapHost: text('imap_host').notNull(),
  imapPort: integer('imap_port').notNull(),
  imapTls: boolean('imap_tls').notNull().default(true),
  imapUser: text('imap_user').notNull(),
  imapPasswordSealed: text('imap_password_sealed'),
  inboxFolder: text('inbox_folder').notNull().default('INBOX'),
  sentFolder: text('sent_folder').notNull().default('Sent'),
  // When false (the default) Qualimètre appends a copy of each probe to the sent folder itself.
  serverSavesSent: boolean('server_saves_sent').notNull().default(false),
  // Reply-To carries a plus-address token (local+token@domain) when the server supports it.
  plusAddressing: boolean('plus_addressing').notNull().default(false),
  lastCheckAt: timestamp('last_check_at', { withTimezone: true }),
  lastCheckOk: boolean('last_check_ok'),
  lastCheckMessage: text('last_check_message'),
  // Outcome of the reading passes (tracker, poll job): shown on the campaign page and the home.
  syncOkAt: timestamp('sync_ok_at', { withTimezone: true }),
  syncErrorAt: timestamp('sync_error_at', { withTimezone: true }),
  // The failing step, in French (« connexion IMAP : authentification refusée… »).
  syncErrorMessage: text('sync_error_message'),
  // Failed passes since the last success; drives the poll's backoff.
  syncFailures: integer('sync_failures').notNull().default(0),
  syncFailingSince: timestamp('sync_failing_since', { withTimezone: true }),
  // Set when the failures lasted longer than MAILBOX_SYNC_GIVE_UP_HOURS: reading stops until a
  // successful « tester la connexion ».
  syncStoppedAt: timestamp('sync_stopped_at', { withTimezone: true }),
  // False when the last test's IMAP session went on in clear (TLS unticked, no STARTTLS).
  lastCheckImapEncrypted: boolean('last_check_imap_encrypted'),
  // Issue 14, TLS trust (campaigns/mail-tls.ts): an authority's certificate (PEM) trusted for
  // both servers, and per protocol a pinned server certificate (SHA-256 fingerprint, and the
  // certificate once a test read it). Certificates and fingerprints are public: not sealed.
  tlsCaPem: text('tls_ca_pem'),
  smtpTlsPin: text('smtp_tls_pin'),
  smtpTlsPinPem: text('smtp_tls_pin_pem'),
  imapTlsPin: text('imap_tls_pin'),
  imapTlsPinPem: text('imap_tls_pin_pem'),
  // Certificates the servers presented at the last test when they were not trusted, to accept.
  lastCheckCertificates: jsonb('last_check_certificates').$type<{ protocol: 'smtp' | 'imap'; subject: string; issuer: string; validTo: string; sha256: string }[]>(),
  // Issue 14: did the last test see a plus-address (local+tag@) delivered to the inbox?
  lastCheckPlusAddressing: boolean('last_check_plus_addressing'),
  // Issue 14: sending is impossible for a reason retrying cannot fix (the SMTP host is on a
  // network Qualimètre may not reach): said on the campaign and the home until a probe leaves.
  sendErrorAt: timestamp('send_error_at', { withTimezone: true }),
  sendErrorMessage: text('send_error_message'),
  createdAt: createdAt(),
}, (t) => [index('mystery_mailboxes_org_idx').on(t.orgId)]);

/** Where the tracker stopped in a folder: a restart neither re-reads nor misses a message. */
export const mailboxCursors = pgTable('mailbox_cursors', {
  mailboxId: uuid('mailbox_id').notNull().references(() => mysteryMailboxes.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  folder: text('folder').notNull(),
  // IMAP UIDVALIDITY is a 32-bit unsigned number that imapflow returns as a BigInt: kept as text.
  uidValidity: text('uid_validity').notNull(),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull().default(0),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.mailboxId, t.folder] })]);

export const CAMPAIGN_MODES = ['send', 'analyse'] as const;
export type CampaignMode = (typeof CAMPAIGN_MODES)[number];
export const CAMPAIGN_STATUSES = ['draft', 'running', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const mailCampaigns = pgTable('mail_campaigns', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  mailboxId: uuid('mailbox_id').notNull().references(() => mysteryMailboxes.id, { onDelete: 'restrict' }),
  name: text('name').notNull(),
  mode: text('mode').$type<CampaignMode>().notNull(),
  status: text('status').$type<CampaignStatus>().notNull().default('draft'),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  probesPerService: integer('probes_per_service').notNull().default(1),
  // Sending window, minutes after midnight, Paris time.
  windowStart: integer('window_start').notNull().default(540),
  windowEnd: integer('window_end').notNull().default(1020),
  seed: text('seed').notNull(),
  signatureChecklist: text('signature_checklist').array().notNull(),
  deadlineDays: integer('deadline_days').notNull().default(5),
  holidayZone: text('holiday_zone').notNull().default('metropole'),
  whitMondayWorked: boolean('whit_monday_worked').notNull().default(false),
  retentionDays: integer('retention_days').notNull().default(365),
  // Question variables: name → list of values drawn with the seed.
  variables: jsonb('variables').$type<Record<string, string[]>>().notNull().default({}),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  launchedAt: timestamp('launched_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  lastAnalysedAt: timestamp('last_analysed_at', { withTimezone: true }),
  purgedAt: timestamp('purged_at', { withTimezone: true }),
}, (t) => [index('mail_campaigns_org_idx').on(t.orgId), index('mail_campaigns_mailbox_idx').on(t.mailboxId)]);

export const mailCampaignQuestions = pgTable('mail_campaign_questions', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  campaignId: uuid('campaign_id').notNull().references(() => mailCampaigns.id, { onDelete: 'cascade' }),
  category: text('category').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  createdAt: createdAt(),
}, (t) => [index('mail_campaign_questions_campaign_idx').on(t.campaignId)]);

/** One service mailbox a campaign writes to; the service name is kept if the service is deleted. */
export const mailCampaignTargets = pgTable('mail_campaign_targets', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  campaignId: uuid('campaign_id').notNull().references(() => mailCampaigns.id, { onDelete: 'cascade' }),
  serviceId: uuid('service_id').references(() => services.id, { onDelete: 'set null' }),
  serviceName: text('service_name').notNull(),
  address: text('address').notNull(),
}, (t) => [uniqueIndex('mail_campaign_targets_uq').on(t.campaignId, t.address)]);

export const PROBE_STATES = ['planned', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type ProbeState = (typeof PROBE_STATES)[number];

/** One mystery message to one service mailbox. Recorded before it is sent. */
export const mailProbes = pgTable('mail_probes', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  campaignId: uuid('campaign_id').notNull().references(() => mailCampaigns.id, { onDelete: 'cascade' }),
  targetId: uuid('target_id').notNull().references(() => mailCampaignTargets.id, { onDelete: 'cascade' }),
  questionId: uuid('question_id').references(() => mailCampaignQuestions.id, { onDelete: 'set null' }),
  // 'planned': Qualimètre sends it; 'imported': sent by hand, found in the sent folder.
  origin: text('origin').$type<'planned' | 'imported'>().notNull(),
  state: text('state').$type<ProbeState>().notNull().default('planned'),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  token: text('token'),
  messageId: text('message_id').notNull(),
  plannedAt: timestamp('planned_at', { withTimezone: true }),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  sentCopy: text('sent_copy').$type<'appended' | 'server' | 'found' | 'failed'>(),
  // Issue 14: the exact bytes handed to the SMTP server (and appended to the sent folder), shown
  // on the probe's page; cleared with the replies' raw messages after the retention period.
  sentRaw: bytea('sent_raw'),
  // What the national table's e-mail figures read of the probe's replies (the outcome rules of
  // campaigns/outcomes.ts need no more for them), kept by the statement-level triggers on
  // mail_replies (migration 0018) so that it reads one row per probe instead of joining every
  // reply: a failed delivery report came back; the first acknowledgement; the first answer.
  replyBounced: boolean('reply_bounced').notNull().default(false),
  firstAcknowledgedAt: timestamp('first_acknowledged_at', { withTimezone: true }),
  firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [
  index('mail_probes_campaign_idx').on(t.campaignId),
  // The national table reads the probes sent in a quarter across organisations through
  // `mail_probes_outcome_idx` (sent_at, including the columns it reads: an index-only scan),
  // created in migration 0018 because drizzle cannot declare INCLUDE columns.
  uniqueIndex('mail_probes_message_uq').on(t.campaignId, t.messageId),
  uniqueIndex('mail_probes_token_uq').on(t.token),
]);

/**
 * Every message read from a mystery mailbox's inbox, recorded once (dedupe key: Message-ID, or
 * a hash of the headers without one). Detected values are kept beside the effective ones the
 * referent may correct (mail_corrections keeps who and when).
 */
export const mailReplies = pgTable('mail_replies', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  mailboxId: uuid('mailbox_id').notNull().references(() => mysteryMailboxes.id, { onDelete: 'cascade' }),
  campaignId: uuid('campaign_id').references(() => mailCampaigns.id, { onDelete: 'set null' }),
  probeId: uuid('probe_id').references(() => mailProbes.id, { onDelete: 'set null' }),
  folder: text('folder').notNull(),
  uidValidity: text('uid_validity').notNull(),
  uid: bigint('uid', { mode: 'number' }).notNull(),
  dedupeKey: text('dedupe_key').notNull(),
  messageId: text('message_id'),
  fromAddress: text('from_address'),
  subject: text('subject'),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  size: integer('size').notNull(),
  malformed: boolean('malformed').notNull().default(false),
  // The new text (quoted history removed, HTML as text) and the full text; cleared by the purge.
  text: text('text'),
  fullText: text('full_text'),
  detectedClass: text('detected_class').notNull(),
  replyClass: text('reply_class').notNull(),
  confidence: real('confidence').notNull().default(0),
  reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
  matchMethod: text('match_method'),
  matchedProbeId: uuid('matched_probe_id'),
  detectedSignature: jsonb('detected_signature').$type<Record<string, boolean>>(),
  signature: jsonb('signature').$type<Record<string, boolean>>(),
  anonymityJustified: boolean('anonymity_justified').notNull().default(false),
  // For class 'bounce': 'failed' (« adresse invalide ») or 'delayed' (a warning, not a bounce).
  bounceKind: text('bounce_kind').$type<'failed' | 'delayed'>(),
  bounceRecipient: text('bounce_recipient'),
  bounceDiagnostic: text('bounce_diagnostic'),
  createdAt: createdAt(),
  purgedAt: timestamp('purged_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('mail_replies_dedupe_uq').on(t.mailboxId, t.dedupeKey),
  index('mail_replies_probe_idx').on(t.probeId),
  index('mail_replies_campaign_idx').on(t.campaignId),
  index('mail_replies_org_idx').on(t.orgId, t.receivedAt),
]);

/** The raw source of a reply, capped in size; deleted after the campaign's retention period. */
export const mailRawMessages = pgTable('mail_raw_messages', {
  replyId: uuid('reply_id').primaryKey().references(() => mailReplies.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  raw: bytea('raw').notNull(),
  size: integer('size').notNull(),
  truncated: boolean('truncated').notNull().default(false),
  createdAt: createdAt(),
});

/** Every correction of a reply by the referent: class, matching, signature items, anonymity. */
export const mailCorrections = pgTable('mail_corrections', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  replyId: uuid('reply_id').notNull().references(() => mailReplies.id, { onDelete: 'cascade' }),
  field: text('field').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  userName: text('user_name').notNull(),
  createdAt: createdAt(),
}, (t) => [index('mail_corrections_reply_idx').on(t.replyId)]);

// Reports (see server/reports/) ----------------------------------------------------------------

/**
 * Satisfaction answers counted per organisation, survey, site, day (Europe/Paris), question
 * and value; maintained by statement-level triggers on `responses` (migration
 * reports-rollup), so summaries add up a few thousand counters instead of scanning answer
 * sets. Only the values of the satisfaction scale and of the overall smileys are counted
 * (never free text). `site_id` is the nil UUID for answer sets without a site; it has no
 * foreign key because the triggers move the counts when a site is deleted.
 */
export const reportAnswerCounts = pgTable('report_answer_counts', {
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  surveyId: text('survey_id').notNull(),
  siteId: uuid('site_id').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  item: text('item').notNull(),
  value: text('value').notNull(),
  n: integer('n').notNull(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.surveyId, t.day, t.siteId, t.item, t.value] }),
  // The national table reads one item over a quarter for every organisation (issue 18). `n` is
  // left out of the index so that a counter's increment stays a HOT update.
  index('report_answer_counts_item_day_idx').on(t.item, t.day),
]);

export const REPORT_SECTIONS = ['satisfaction', 'email', 'phone', 'indicators', 'actions'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
export const REPORT_COMPARISONS = ['previous', 'last_year', 'none'] as const;
export type ReportComparison = (typeof REPORT_COMPARISONS)[number];

/** A saved report (bilan): its period, comparison, sections, and the referent's comments. */
export const reports = pgTable('reports', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  comparison: text('comparison').$type<ReportComparison>().notNull().default('previous'),
  sections: text('sections').array().$type<ReportSection[]>().notNull(),
  // Surveys of the satisfaction section; empty means every survey with answers in the period.
  surveyIds: text('survey_ids').array().notNull().default(sql`'{}'::text[]`),
  // The referent's comment under each block (block key → text).
  comments: jsonb('comments').$type<Record<string, string>>().notNull().default({}),
  // Improvements made, one per line: printed on the bilan, the poster and the public page.
  improvements: text('improvements').notNull().default(''),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('reports_org_idx').on(t.orgId, t.periodEnd)]);

/** Opt-in public results page of an organisation (/nos-resultats/<code>): the report it shows. */
export const reportPublications = pgTable('report_publications', {
  orgId: uuid('org_id').primaryKey().references(() => organisations.id, { onDelete: 'cascade' }),
  reportId: uuid('report_id').notNull().references(() => reports.id, { onDelete: 'cascade' }),
  publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
});

// Monthly quality board (issue 15) -------------------------------------------------------------
// Indicator ids come from server/indicators/catalogue.json (data): no foreign key, checked in
// the service against the catalogue loaded at boot.

/** An organisation's own target for an indicator (the national default stays in the catalogue). */
export const indicatorTargets = pgTable('indicator_targets', {
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  indicatorId: text('indicator_id').notNull(),
  target: doublePrecision('target').notNull(),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.indicatorId] })]);

export const INDICATOR_VALUE_SOURCES = ['typed', 'imported'] as const;
export type IndicatorValueSource = (typeof INDICATOR_VALUE_SOURCES)[number];

/**
 * A typed or imported monthly value. A new value for the same (indicator, month, breakdown)
 * does not overwrite: the previous row gets `replaced_at`, so the history stays. `numerator`
 * and `denominator` (when the source has them, e.g. answered / offered calls) let the year to
 * date be summed rather than averaged. `breakdown` is '' for the whole organisation, or the
 * bureau's name for per-service figures.
 */
export const indicatorValues = pgTable('indicator_values', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  indicatorId: text('indicator_id').notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  breakdown: text('breakdown').notNull().default(''),
  value: doublePrecision('value').notNull(),
  numerator: doublePrecision('numerator'),
  denominator: doublePrecision('denominator'),
  source: text('source').$type<IndicatorValueSource>().notNull(),
  importId: uuid('import_id'),
  enteredBy: uuid('entered_by').references(() => users.id, { onDelete: 'set null' }),
  enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  replacedAt: timestamp('replaced_at', { withTimezone: true }),
}, (t) => [
  index('indicator_values_org_idx').on(t.orgId, t.month),
  uniqueIndex('indicator_values_current_uq').on(t.orgId, t.indicatorId, t.month, t.breakdown).where(sql`replaced_at is null`),
]);

export const IMPORT_KINDS = ['telephonie', 'site'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ['preview', 'stored', 'abandoned'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * An uploaded file between its upload and the referent's decision: its cells (as text) and
 * header, the mapping of columns to fields, and what was stored. The file itself is not kept.
 */
export const indicatorImports = pgTable('indicator_imports', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  kind: text('kind').$type<ImportKind>().notNull(),
  fileName: text('file_name').notNull(),
  header: jsonb('header').$type<string[]>().notNull(),
  rows: jsonb('rows').$type<string[][]>().notNull(),
  // Line number in the file of each row (a CSV field may span lines).
  lines: jsonb('lines').$type<number[]>().notNull(),
  mapping: jsonb('mapping').$type<Record<string, string>>(),
  status: text('status').$type<ImportStatus>().notNull().default('preview'),
  storedValues: integer('stored_values'),
  skippedLines: integer('skipped_lines'),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  storedAt: timestamp('stored_at', { withTimezone: true }),
}, (t) => [index('indicator_imports_org_idx').on(t.orgId, t.createdAt)]);

/** The column mapping last used by an organisation for a kind of file: offered again next time. */
export const indicatorImportMappings = pgTable('indicator_import_mappings', {
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  kind: text('kind').$type<ImportKind>().notNull(),
  mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.kind] })]);

export const COMPLAINT_CHANNELS = ['borne', 'lien_public', 'papier', 'site', 'courriel'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const COMPLAINT_KINDS = ['reclamation', 'suggestion'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

/**
 * The complaints register (« suggestions / réclamations »). `delay_days` (working days from
 * receipt to answer, with the organisation's calendar) is computed when the answer date is
 * set, so the board sums it in SQL. Contact fields are personal data: erased after the
 * retention period (`personal_data_erased_at`), the row and its figures stay. `matricule` is
 * internal: never exported nor shown to viewers.
 */
export const complaints = pgTable('complaints', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  channel: text('channel').$type<ComplaintChannel>().notNull(),
  kind: text('kind').$type<ComplaintKind>().notNull().default('reclamation'),
  serviceId: uuid('service_id').references(() => services.id, { onDelete: 'set null' }),
  matricule: text('matricule'),
  receivedOn: date('received_on', { mode: 'string' }).notNull(),
  // Last day to answer within the deadline (15 working days after receipt, organisation's calendar).
  deadlineOn: date('deadline_on', { mode: 'string' }).notNull(),
  answeredOn: date('answered_on', { mode: 'string' }),
  delayDays: integer('delay_days'),
  subject: text('subject').notNull().default(''),
  answerSummary: text('answer_summary').notNull().default(''),
  correctiveMeasure: text('corrective_measure').notNull().default(''),
  contactName: text('contact_name'),
  contactEmail: text('contact_email'),
  contactPhone: text('contact_phone'),
  contactAddress: text('contact_address'),
  personalDataErasedAt: timestamp('personal_data_erased_at', { withTimezone: true }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  /**
   * Who sent an entry of the hall form (issue 15: `kiosk:<id>`, or `web` for the organisation's
   * public links), whose id is the client's UUID: the same id from the same sender is a repeat,
   * from anyone else a conflict. Null for entries typed in by a referent.
   */
  submissionKey: text('submission_key'),
}, (t) => [index('complaints_org_received_idx').on(t.orgId, t.receivedOn)]);
// Compliance: legal notices, accessibility statement, rights requests (see server/compliance/) --

/**
 * What the legal pages print about an organisation (publisher, director of publication, host,
 * contacts) and its retention settings (kind → days; a kind left out uses its default).
 */
export const complianceSettings = pgTable('compliance_settings', {
  orgId: uuid('org_id').primaryKey().references(() => organisations.id, { onDelete: 'cascade' }),
  publisher: text('publisher').notNull().default(''),
  publicationDirector: text('publication_director').notNull().default(''),
  host: text('host').notNull().default(''),
  contactEmail: text('contact_email').notNull().default(''),
  dpoContact: text('dpo_contact').notNull().default(''),
  retentionDays: jsonb('retention_days').$type<Record<string, number>>().notNull().default({}),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const CONFORMITY_STATUSES = ['non', 'partiel', 'total'] as const;
export type ConformityStatus = (typeof CONFORMITY_STATUSES)[number];

/** The RGAA accessibility statement: every save is a new version; the newest one is published. */
export const accessibilityStatements = pgTable('accessibility_statements', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  status: text('status').$type<ConformityStatus>().notNull(),
  // Share of RGAA criteria met in the audit, in percent; null without an audit.
  rate: doublePrecision('rate'),
  auditDate: date('audit_date', { mode: 'string' }),
  auditor: text('auditor').notNull().default(''),
  pagesAudited: text('pages_audited').notNull().default(''),
  nonAccessible: text('non_accessible').notNull().default(''),
  contact: text('contact').notNull().default(''),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdByName: text('created_by_name').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('accessibility_statements_uq').on(t.orgId, t.version)]);

/** Every rights request acted upon (search, export, erasure): who, when, what, how many rows. */
export const rightsActions = pgTable('rights_actions', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  action: text('action').$type<'search' | 'export' | 'erase'>().notNull(),
  // What was searched: kept so the action can be shown to the auditor (the person asked for it).
  subject: text('subject').notNull(),
  counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  userName: text('user_name').notNull(),
  createdAt: createdAt(),
}, (t) => [index('rights_actions_org_idx').on(t.orgId, t.createdAt)]);

/** What each run of the retention job purged, per organisation and kind of data. */
export const retentionRuns = pgTable('retention_runs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: uuid('org_id').references(() => organisations.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  purged: integer('purged').notNull(),
  ranAt: timestamp('ran_at', { withTimezone: true }).notNull(),
}, (t) => [index('retention_runs_org_idx').on(t.orgId, t.ranAt)]);
// Background exports (see server/reports/export-jobs.ts) --------------------------------------

/**
 * A raw data export prepared in the background by a worker, so that any web instance can show
 * its progress and serve its file. The file is kept in export_chunks (1 MiB bytea pieces).
 */
export const exportJobs = pgTable('export_jobs', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
  // The export form's fields (kind, survey, from, to, format), re-planned by the worker.
  query: jsonb('query').$type<Record<string, string | undefined>>().notNull(),
  format: text('format').$type<'csv' | 'xlsx'>().notNull(),
  filename: text('filename').notNull(),
  total: integer('total').notNull().default(0),
  written: integer('written').notNull().default(0),
  bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
  status: text('status').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
  // The run that owns the chunks: a run taken over by another worker stops writing.
  runToken: text('run_token'),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [index('export_jobs_org_idx').on(t.orgId, t.status)]);

export const exportChunks = pgTable('export_chunks', {
  exportId: uuid('export_id').notNull().references(() => exportJobs.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  data: bytea('data').notNull(),
}, (t) => [primaryKey({ columns: [t.exportId, t.seq] })]);

// Issue 16 (items 1–2): Programme Transparence and town-hall appointment delays ---------------

/**
 * A Programme Transparence value typed or imported for a quarter (`2019-T3`). Computed measures
 * (answered calls, effort score) are never stored: they are read from their sources.
 */
export const transparenceValues = pgTable('transparence_values', {
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  quarter: text('quarter').notNull(),
  measureId: text('measure_id').notNull(),
  value: doublePrecision('value').notNull(),
  source: text('source').$type<'typed' | 'imported'>().notNull(),
  enteredBy: uuid('entered_by').references(() => users.id, { onDelete: 'set null' }),
  enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.quarter, t.measureId] })]);

/** A quarter the referent chose to publish on the public Transparence page. */
export const transparencePublications = pgTable('transparence_publications', {
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  quarter: text('quarter').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.quarter] })]);

export const TOWN_HALL_COORD_SOURCES = ['geonames', 'manual', 'import'] as const;
export type TownHallCoordSource = (typeof TOWN_HALL_COORD_SOURCES)[number];

/** A town hall equipped to take ID-card and passport applications. */
export const townHalls = pgTable('town_halls', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  inseeCode: text('insee_code'),
  name: text('name').notNull(),
  departmentCode: text('department_code').notNull(),
  arrondissementCode: text('arrondissement_code'),
  lat: doublePrecision('lat'),
  lon: doublePrecision('lon'),
  coordSource: text('coord_source').$type<TownHallCoordSource>(),
  createdAt: createdAt(),
}, (t) => [index('town_halls_org_idx').on(t.orgId), uniqueIndex('town_halls_org_name_uq').on(t.orgId, t.departmentCode, t.name)]);

export const TOWN_HALL_CHANNELS = ['online', 'phone'] as const;
export type TownHallChannel = (typeof TOWN_HALL_CHANNELS)[number];

/** One mystery check of a town hall: the first appointment offered, or « pas de créneau » (null). */
export const townHallChecks = pgTable('town_hall_checks', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  townHallId: uuid('town_hall_id').notNull().references(() => townHalls.id, { onDelete: 'cascade' }),
  checkedOn: date('checked_on').notNull(),
  channel: text('channel').$type<TownHallChannel>().notNull(),
  firstSlotOn: date('first_slot_on'),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [index('town_hall_checks_org_idx').on(t.orgId, t.checkedOn)]);
// Issue 16 (items 3–4): corrective action plan, committee meetings and their dossier -----------

export const ACTION_ORIGINS = ['enquete', 'reclamation', 'campagne', 'indicateur', 'comite'] as const;
export type ActionOrigin = (typeof ACTION_ORIGINS)[number];
export const ACTION_STATUSES = ['a_faire', 'en_cours', 'realisee', 'abandonnee'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/**
 * The corrective action plan. `origin` says where the action comes from; a complaint of the
 * register is linked by `complaint_id`, a committee suggestion links to its action from the
 * suggestion side (committee_suggestions.action_id); other origins are described in
 * `origin_note` (the survey finding, the campaign, the indicator missed).
 */
export const actions = pgTable('actions', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  origin: text('origin').$type<ActionOrigin>().notNull(),
  originNote: text('origin_note').notNull().default(''),
  complaintId: uuid('complaint_id').references(() => complaints.id, { onDelete: 'set null' }),
  serviceId: uuid('service_id').references(() => services.id, { onDelete: 'set null' }),
  dueOn: date('due_on', { mode: 'string' }),
  status: text('status').$type<ActionStatus>().notNull().default('a_faire'),
  comment: text('comment').notNull().default(''),
  doneOn: date('done_on', { mode: 'string' }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('actions_org_status_idx').on(t.orgId, t.status, t.dueOn)]);

/** A review of the plan (at a steering committee): the state of every action on that date. */
export const actionReviews = pgTable('action_reviews', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  reviewedOn: date('reviewed_on', { mode: 'string' }).notNull(),
  note: text('note').notNull().default(''),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [index('action_reviews_org_idx').on(t.orgId, t.reviewedOn)]);

/** Snapshot rows of a review: copies, so that a later edit or deletion leaves the review as it was. */
export const actionReviewRows = pgTable('action_review_rows', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  reviewId: uuid('review_id').notNull().references(() => actionReviews.id, { onDelete: 'cascade' }),
  actionId: uuid('action_id').references(() => actions.id, { onDelete: 'set null' }),
  title: text('title').notNull(),
  origin: text('origin').$type<ActionOrigin>().notNull(),
  serviceName: text('service_name'),
  dueOn: date('due_on', { mode: 'string' }),
  status: text('status').$type<ActionStatus>().notNull(),
  comment: text('comment').notNull().default(''),
  doneOn: date('done_on', { mode: 'string' }),
}, (t) => [index('action_review_rows_review_idx').on(t.orgId, t.reviewId)]);

export const MEETING_KINDS = ['clu', 'copil'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const PARTICIPANT_CATEGORIES = ['administration', 'usagers', 'collectivites', 'defenseur'] as const;
export type ParticipantCategory = (typeof PARTICIPANT_CATEGORIES)[number];

/** A committee meeting (comité local des usagers or comité de pilotage) and the period of its dossier. */
export const committeeMeetings = pgTable('committee_meetings', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  heldOn: date('held_on', { mode: 'string' }).notNull(),
  kind: text('kind').$type<MeetingKind>().notNull(),
  participants: jsonb('participants').$type<{ category: ParticipantCategory; name: string }[]>().notNull().default([]),
  agenda: text('agenda').array().notNull().default(sql`'{}'::text[]`),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  // A saved bilan to put in the dossier; without one, a bilan of the period is built.
  reportId: uuid('report_id').references(() => reports.id, { onDelete: 'set null' }),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [index('committee_meetings_org_idx').on(t.orgId, t.heldOn)]);

/** PDF files the referent adds to a meeting's dossier (charters, organisation chart), kept in the database. */
export const committeeAttachments = pgTable('committee_attachments', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  meetingId: uuid('meeting_id').notNull().references(() => committeeMeetings.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  filename: text('filename').notNull(),
  bytes: integer('bytes').notNull(),
  pages: integer('pages').notNull(),
  data: bytea('data').notNull(),
  createdAt: createdAt(),
}, (t) => [index('committee_attachments_meeting_idx').on(t.orgId, t.meetingId)]);

/** Suggestions of the committee's members, recorded after the meeting; each may become an action. */
export const committeeSuggestions = pgTable('committee_suggestions', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  meetingId: uuid('meeting_id').notNull().references(() => committeeMeetings.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  actionId: uuid('action_id').references(() => actions.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
}, (t) => [index('committee_suggestions_meeting_idx').on(t.orgId, t.meetingId)]);

// Real-mail sampling (issue 15) --------------------------------------------------------------
// A service mailbox (same connection model as the mystery mailboxes) is read for one month:
// one run per (mailbox, month), and per sampled message only a keyed hash of its Message-ID,
// its dates and the verdict. No address, subject or body is stored.

export const mailSamplingRuns = pgTable('mail_sampling_runs', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  mailboxId: uuid('mailbox_id').notNull().references(() => mysteryMailboxes.id, { onDelete: 'cascade' }),
  month: date('month', { mode: 'string' }).notNull(),
  // The sampling rule in force ('all', 'first:N', 'week:<Monday>' or 'random-week:<Monday drawn>'), printed on the board.
  rule: text('rule').notNull(),
  // When a random week was drawn (at the referent's request; `ran_by` is who asked), null otherwise.
  drawnAt: timestamp('drawn_at', { withTimezone: true }),
  sampled: integer('sampled').notNull().default(0),
  excluded: integer('excluded').notNull().default(0),
  // Messages that could not be read (their count only; one bad message never blocks the others).
  failed: integer('failed').notNull().default(0),
  ranBy: uuid('ran_by').references(() => users.id, { onDelete: 'set null' }),
  ranAt: timestamp('ran_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('mail_sampling_runs_uq').on(t.orgId, t.mailboxId, t.month)]);

export const sampledMails = pgTable('sampled_mails', {
  id: id(),
  orgId: uuid('org_id').notNull().references(() => organisations.id, { onDelete: 'cascade' }),
  runId: uuid('run_id').notNull().references(() => mailSamplingRuns.id, { onDelete: 'cascade' }),
  // HMAC-SHA256 of the normalised Message-ID (the key of the deployment), hex.
  messageKey: text('message_key').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  answeredAt: timestamp('answered_at', { withTimezone: true }),
  withinDeadline: boolean('within_deadline').notNull(),
  delayDays: doublePrecision('delay_days'),
  method: text('method'),
  // The referent's review of a doubtful case, checked live in the mailbox: 'answered' (a reply
  // picked in the sent folder), 'unanswered' (confirmed) or 'excluded' (not a citizen's message,
  // left out of the count). The corrected verdict wins over the computed one; still no content.
  reviewDecision: text('review_decision').$type<'answered' | 'unanswered' | 'excluded'>(),
  reviewedBy: uuid('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  reviewedAnsweredAt: timestamp('reviewed_answered_at', { withTimezone: true }),
  reviewedWithin: boolean('reviewed_within'),
  reviewedDelayDays: doublePrecision('reviewed_delay_days'),
}, (t) => [index('sampled_mails_run_idx').on(t.orgId, t.runId)]);
