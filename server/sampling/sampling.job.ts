/**
 * `sampling.run` { orgId, mailboxId, month, rule, userId, drawnAt }: reads one month (or one
 * week) of a service mailbox and stores its verdicts (sampling.service.ts). Safe to run twice:
 * a run replaces the month's previous run. A mailbox deleted meanwhile, or a rule that does not
 * fit the month, ends the job quietly.
 *
 * A random week is drawn when the referent asks (requestSampling), not when the job runs: the
 * payload carries the Monday drawn and when, so a retried job reads the same week.
 */
import crypto from 'node:crypto';
import type { JobDefinition } from '../jobs/job';
import { enqueue } from '../jobs/runner';
import type { Deps } from '../deps';
import * as mailboxStore from '../campaigns/mailbox.store';
import { drawWeek, parseRule, ruleKey, weekInMonth, type SamplingRule } from './sampling-rule';
import { runSampling } from './sampling.service';

export const SAMPLING_JOB = 'sampling.run';

type Payload = { orgId: string; mailboxId: string; month: string; rule: string; userId?: string | null; drawnAt?: string | null };

export const samplingJob: JobDefinition<Payload> = {
  name: SAMPLING_JOB,
  maxAttempts: 4,
  // A month of a busy service mailbox takes a while to read.
  leaseMs: 15 * 60_000,
  async run(payload, ctx) {
    if (!(await mailboxStore.getMailbox(ctx.db, payload.orgId, payload.mailboxId))) return;
    const rule = parseRule(payload.rule);
    if (!rule) return;
    if ((rule.kind === 'week' || rule.kind === 'random-week') && !weekInMonth(rule.monday, payload.month)) return;
    await runSampling(ctx, payload.orgId, {
      mailboxId: payload.mailboxId, month: payload.month, rule, userId: payload.userId ?? null,
      drawnAt: payload.drawnAt ? new Date(payload.drawnAt) : null,
    });
  },
};

/** What the referent asks for: a rule, or « une semaine tirée au sort » (drawn here). */
export type RuleRequest = SamplingRule | { kind: 'draw' };

/**
 * Queues a run. A requested draw happens now, with node:crypto randomness, among the weeks whose
 * Monday lies in the month; the rule returned says which week was drawn.
 */
export async function requestSampling(
  ctx: Pick<Deps, 'db' | 'clock'>, orgId: string, v: { mailboxId: string; month: string; rule: RuleRequest; userId: string | null },
): Promise<{ rule: SamplingRule; drawnAt: Date | null }> {
  const drawnAt = v.rule.kind === 'draw' ? ctx.clock.now() : null;
  const rule: SamplingRule = v.rule.kind === 'draw' ? { kind: 'random-week', monday: drawWeek(v.month, (n) => crypto.randomInt(n)) } : v.rule;
  const key = ruleKey(rule);
  await enqueue(ctx, SAMPLING_JOB, { orgId, mailboxId: v.mailboxId, month: v.month, rule: key, userId: v.userId, drawnAt: drawnAt?.toISOString() ?? null }, { dedupeKey: `sampling:${v.mailboxId}:${v.month}:${key}` });
  return { rule, drawnAt };
}
