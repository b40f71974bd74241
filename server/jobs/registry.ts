/** The registry of every job and every schedule. Features add theirs here. */
import { purgeSessionsJob } from '../auth/purge-sessions.job';
import { purgeRawJob } from '../campaigns/purge-raw.job';
import { sendProbeJob } from '../campaigns/sending/send-probe.job';
import { analyseJob, syncMailboxesJob } from '../campaigns/tracking/sync-mailboxes.job';
import { purgeRateLimitsJob } from '../surveys/purge-rate-limits.job';
// Compliance: retention rules applied daily.
import { retentionJob } from '../compliance/retention.job';
import { exportJob, purgeExportsJob } from '../reports/export-jobs';
// Issue 15: real-mail sampling of a service mailbox, run on the referent's request.
import { samplingJob } from '../sampling/sampling.job';
// Issue 18: the referents of a national phone round are invited by e-mail.
import { roundInviteJob } from '../national/round-invite.job';
import type { JobDefinition, Schedule } from './job';

export const jobs: JobDefinition<never>[] = [
  purgeSessionsJob as JobDefinition<never>,
  sendProbeJob as JobDefinition<never>,
  analyseJob as JobDefinition<never>,
  syncMailboxesJob as JobDefinition<never>,
  purgeRawJob as JobDefinition<never>,
  purgeRateLimitsJob as JobDefinition<never>,
  retentionJob as JobDefinition<never>,
  // Background exports, kept in PostgreSQL so that any web instance serves them.
  exportJob as JobDefinition<never>,
  purgeExportsJob as JobDefinition<never>,
  samplingJob as JobDefinition<never>,
  roundInviteJob as JobDefinition<never>,
];

export const schedules: Schedule[] = [
  { job: purgeSessionsJob.name, everyMs: 60 * 60_000 },
  { job: purgeRateLimitsJob.name, everyMs: 60 * 60_000 },
  // Mystery e-mail campaigns: poll fallback of the live trackers, retention purge.
  { job: syncMailboxesJob.name, everyMs: 2 * 60_000 },
  { job: purgeRawJob.name, everyMs: 24 * 60 * 60_000 },
  { job: retentionJob.name, everyMs: 24 * 60 * 60_000 },
  { job: purgeExportsJob.name, everyMs: 60 * 60_000 },
];
