/**
 * Job `complaints.purge-personal-data` (scheduled daily): erases the contact details (name,
 * e-mail, phone, address) of complaints received more than COMPLAINT_RETENTION_MONTHS ago, in
 * every organisation; the entries and their figures stay. Idempotent.
 */
import type { JobDefinition } from '../jobs/job';
import { purgePersonalData } from './complaint.service';

export const PURGE_COMPLAINTS_JOB = 'complaints.purge-personal-data';

export const purgeComplaintsJob: JobDefinition = {
  name: PURGE_COMPLAINTS_JOB,
  async run(_payload, ctx) {
    const n = await purgePersonalData(ctx, ctx.config.COMPLAINT_RETENTION_MONTHS);
    if (n) ctx.logger.info({ complaints: n }, 'contact details of complaints erased after the retention period');
  },
};
