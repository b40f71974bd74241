/**
 * Adapter from the mystery e-mail feature (server/campaigns) to the report: the probes of
 * the organisation's campaigns sent during the period, their outcomes as the campaign
 * results compute them (classes as corrected by the referent, working-day delays, signature
 * checklist), counted here. `loadEmailOutcomes` reads a window once (the probes' facts and
 * replies, never bodies) and `emailIndicatorsOf` counts any period inside it: the monthly board
 * reads a year once and counts each month.
 */
import type { Deps } from '../deps';
import { campaignOutcomes } from '../campaigns/campaign.service';
import * as campaignStore from '../campaigns/campaign.store';
import type { CampaignRow } from '../campaigns/campaign.store';
import type { ProbeOutcome } from '../campaigns/outcomes';
import { indicators } from '../campaigns/metrics';
import { inPeriod, overlaps, type Period } from './period';
import type { EmailIndicators, EmailSource } from './sources';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

/** The organisation's campaigns (not drafts) overlapping a window, and each probe's outcome with its sending time. */
export interface LoadedEmail {
  campaigns: CampaignRow[];
  items: { campaign: CampaignRow; outcome: ProbeOutcome; sentAt: Date | null }[];
}

/** Reads once what `emailIndicatorsOf` counts for any period inside `window`. */
export async function loadEmailOutcomes(ctx: Pick<Deps, 'db'>, orgId: string, window: Period): Promise<LoadedEmail> {
  // The campaign list is read from the campaigns store: the feature has no listing service.
  const campaigns = (await campaignStore.listCampaigns(ctx.db, orgId))
    .filter((c) => c.status !== 'draft' && overlaps({ from: c.periodStart, to: c.periodEnd }, window));
  const perCampaign = await Promise.all(campaigns.map(async (c) => (await campaignOutcomes(ctx, orgId, c)).map((x) => ({ campaign: c, ...x }))));
  return { campaigns, items: perCampaign.flat() };
}

/** The e-mail figures of a period: probes sent in it by campaigns overlapping it. */
export function emailIndicatorsOf(loaded: LoadedEmail, period: Period): EmailIndicators | null {
  const campaigns = loaded.campaigns.filter((c) => overlaps({ from: c.periodStart, to: c.periodEnd }, period));
  if (campaigns.length === 0) return null;
  const ids = new Set(campaigns.map((c) => c.id));
  const outcomes: ProbeOutcome[] = [];
  const bounces: EmailIndicators['bounces'] = [];
  for (const { campaign, outcome: o, sentAt } of loaded.items) {
    if (!ids.has(campaign.id) || !sentAt || !inPeriod(new Date(sentAt), period)) continue;
    outcomes.push(o);
    if (o.bounced) bounces.push({ service: o.serviceName, address: o.toAddress });
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
}

export function campaignEmailSource(ctx: Ctx): EmailSource {
  return {
    async indicators(orgId: string, period: Period): Promise<EmailIndicators | null> {
      return emailIndicatorsOf(await loadEmailOutcomes(ctx, orgId, period), period);
    },
  };
}
