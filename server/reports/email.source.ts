/**
 * Adapter from the mystery e-mail feature (server/campaigns) to the report: the probes of
 * the organisation's campaigns sent during the period, their outcomes as the campaign
 * results compute them (classes as corrected by the referent, working-day delays, signature
 * checklist), counted here; only the probes' facts and the replies' classes are read, never a
 * body or a raw message (campaign.service.ts `campaignOutcomes`).
 */
import type { Deps } from '../deps';
import { campaignOutcomes } from '../campaigns/campaign.service';
import * as campaignStore from '../campaigns/campaign.store';
import type { ProbeOutcome } from '../campaigns/outcomes';
import { indicators } from '../campaigns/metrics';
import { inPeriod, overlaps, type Period } from './period';
import type { EmailIndicators, EmailSource } from './sources';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

export function campaignEmailSource(ctx: Ctx): EmailSource {
  return {
    async indicators(orgId: string, period: Period): Promise<EmailIndicators | null> {
      // The campaign list is read from the campaigns store: the feature has no listing service.
      const campaigns = (await campaignStore.listCampaigns(ctx.db, orgId))
        .filter((c) => c.status !== 'draft' && overlaps({ from: c.periodStart, to: c.periodEnd }, period));
      if (campaigns.length === 0) return null;
      const outcomes: ProbeOutcome[] = [];
      const bounces: EmailIndicators['bounces'] = [];
      for (const probes of await Promise.all(campaigns.map((c) => campaignOutcomes(ctx, orgId, c)))) {
        for (const { outcome: o, sentAt } of probes) {
          if (!sentAt || !inPeriod(new Date(sentAt), period)) continue;
          outcomes.push(o);
          if (o.bounced) bounces.push({ service: o.serviceName, address: o.toAddress });
        }
      }
      if (outcomes.length === 0) return null;
      // Raw counts: the report applies its own minimum cell size to every figure.
      const x = indicators(outcomes, 0);
      const latest = campaigns[0];
      return {
        delivered: x.delivered,
        acknowledged: x.acknowledgements.numerator,
        answered: x.answers.numerator,
        signatureAssessed: x.conformingSignatures.denominator,
        signatureCompliant: x.conformingSignatures.numerator,
        withinDeadline: x.withinDeadline.numerator,
        meanDelayDays: x.meanDelay.value,
        bounces,
        settings: {
          deadlineDays: latest.deadlineDays,
          signatureChecklist: latest.signatureChecklist,
          holidayZone: latest.holidayZone,
          whitMondayWorked: latest.whitMondayWorked,
        },
      };
    },
  };
}
