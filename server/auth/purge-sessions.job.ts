/** Deletes expired sessions and old login-attempt counters. Idempotent. */
import type { JobDefinition } from '../jobs/job';
import { purgeExpiredSessions } from './auth.store';

export const purgeSessionsJob: JobDefinition = {
  name: 'auth.purge-sessions',
  async run(_payload, ctx) {
    await purgeExpiredSessions(ctx.db, ctx.clock.now());
  },
};
