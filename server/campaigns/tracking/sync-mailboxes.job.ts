/**
 * Jobs that read mystery mailboxes without a live tracker:
 * - `campaigns.analyse` { campaignId }: analyse mode, read the sent folder of the campaign's
 *   period now (at launch and on « relancer l'analyse »), then the inbox;
 * - `campaigns.sync-mailboxes` (scheduled): one pass over every mailbox with a running
 *   campaign, the poll fallback when no live tracker runs. A mailbox locked by a live tracker
 *   is skipped (that tracker reads it, and picks up a requested analysis on its next pass).
 */
import type { JobDefinition } from '../../jobs/job';
import * as campaignStore from '../campaign.store';
import * as mailboxStore from '../mailbox.store';
import { pollDue } from './sync-outcome';
import { syncMailboxOnce } from './tracking.service';

export const ANALYSE_JOB = 'campaigns.analyse';
export const SYNC_MAILBOXES_JOB = 'campaigns.sync-mailboxes';

export const analyseJob: JobDefinition<{ campaignId: string }> = {
  name: ANALYSE_JOB,
  maxAttempts: 5,
  async run(payload, ctx) {
    const campaign = await campaignStore.getCampaignForWorker(ctx.db, payload.campaignId);
    if (!campaign || campaign.status !== 'running' || campaign.mode !== 'analyse') return;
    const r = await syncMailboxOnce(ctx, campaign.mailboxId, { force: campaign.id });
    if (r.status === 'busy') {
      // A live tracker holds the mailbox: ask it to read the sent folder on its next pass.
      await campaignStore.updateCampaign(ctx.db, campaign.orgId, campaign.id, { lastAnalysedAt: null });
    }
  },
};

export const syncMailboxesJob: JobDefinition = {
  name: SYNC_MAILBOXES_JOB,
  maxAttempts: 1,
  async run(_payload, ctx) {
    const now = ctx.clock.now();
    for (const m of await mailboxStore.mailboxesToTrackForWorker(ctx.db)) {
      // A failing mailbox is tried again with an exponential backoff, not every pass.
      if (!pollDue(m, now)) continue;
      try {
        await syncMailboxOnce(ctx, m.id);
      } catch (err) {
        ctx.logger.warn({ mailboxId: m.id, err }, 'mailbox poll failed');
      }
    }
  },
};
