/** Deletes rate-limit windows older than a day (safe to run twice). */
import type { JobDefinition } from '../jobs/job';
import { purgeOldWindows } from './rate-limit';

export const purgeRateLimitsJob: JobDefinition = {
  name: 'surveys.purge-rate-limits',
  async run(_payload, ctx) {
    await purgeOldWindows(ctx);
  },
};
