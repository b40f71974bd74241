/**
 * `sampling.run` { orgId, mailboxId, month, rule }: reads one month of a service mailbox and
 * stores its verdicts (sampling.service.ts). Safe to run twice: a run replaces the month's
 * previous run. A mailbox deleted meanwhile ends the job quietly.
 */
import type { JobDefinition } from '../jobs/job';
import { enqueue } from '../jobs/runner';
import type { Deps } from '../deps';
import * as mailboxStore from '../campaigns/mailbox.store';
import { parseRule, ruleKey, type SamplingRule } from './sampling';
import { runSampling } from './sampling.service';

export const SAMPLING_JOB = 'sampling.run';

type Payload = { orgId: string; mailboxId: string; month: string; rule: string; userId?: string | null };

export const samplingJob: JobDefinition<Payload> = {
  name: SAMPLING_JOB,
  maxAttempts: 4,
  // A month of a busy service mailbox takes a while to read.
  leaseMs: 15 * 60_000,
  async run(payload, ctx) {
    if (!(await mailboxStore.getMailbox(ctx.db, payload.orgId, payload.mailboxId))) return;
    const rule = parseRule(payload.rule);
    if (!rule) return;
    await runSampling(ctx, payload.orgId, { mailboxId: payload.mailboxId, month: payload.month, rule, userId: payload.userId ?? null });
  },
};

export async function requestSampling(ctx: Pick<Deps, 'db' | 'clock'>, orgId: string, v: { mailboxId: string; month: string; rule: SamplingRule; userId: string | null }) {
  const rule = ruleKey(v.rule);
  return enqueue(ctx, SAMPLING_JOB, { orgId, mailboxId: v.mailboxId, month: v.month, rule, userId: v.userId }, { dedupeKey: `sampling:${v.mailboxId}:${v.month}:${rule}` });
}
