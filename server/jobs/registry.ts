/** The registry of every job and every schedule. Features add theirs here. */
import { purgeSessionsJob } from '../auth/purge-sessions.job';
import type { JobDefinition, Schedule } from './job';

export const jobs: JobDefinition<never>[] = [purgeSessionsJob as JobDefinition<never>];

export const schedules: Schedule[] = [{ job: purgeSessionsJob.name, everyMs: 60 * 60_000 }];
