/**
 * Job `campaigns.purge-raw` (scheduled daily): deletes the raw messages and texts of replies
 * once their campaign's retention period (default 1 year after the end of the period,
 * configurable per campaign) is over; figures, classes and signature items stay. Replies
 * linked to no campaign are purged after the default period from their receipt. Idempotent.
 */
import type { JobDefinition } from '../jobs/job';
import * as campaignStore from './campaign.store';
import * as replyStore from './reply.store';

export const PURGE_RAW_JOB = 'campaigns.purge-raw';
export const DEFAULT_RETENTION_DAYS = 365;

export const purgeRawJob: JobDefinition = {
  name: PURGE_RAW_JOB,
  async run(_payload, ctx) {
    const now = ctx.clock.now();
    for (const c of await campaignStore.campaignsToPurgeForWorker(ctx.db, now)) {
      const n = await replyStore.purgeCampaignReplies(ctx.db, c.orgId, c.id, now);
      await campaignStore.clearSentRaw(ctx.db, c.orgId, c.id);
      await campaignStore.updateCampaign(ctx.db, c.orgId, c.id, { purgedAt: now });
      ctx.logger.info({ campaignId: c.id, replies: n }, 'raw messages purged after the retention period');
    }
    await replyStore.purgeUnlinkedRepliesForWorker(ctx.db, new Date(now.getTime() - DEFAULT_RETENTION_DAYS * 86_400_000), now);
  },
};
