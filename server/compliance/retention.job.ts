/**
 * Job `compliance.retention` (daily): applies every registered retention rule to every
 * organisation with its own durations, then the platform-wide technical traces with the
 * default of the `logs` kind; records what each rule purged (retention_runs). Idempotent: a
 * second run purges nothing more.
 */
import { sql } from 'drizzle-orm';
import type { JobDefinition } from '../jobs/job';
import { rows, type Db } from '../storage/db';
import { retentionRules } from './retention.rules';
import { cutoff, effectiveDays, retentionRule } from './retention';
import * as store from './compliance.store';
import { purgeTechnicalTraces } from './personal-data.store';

export const RETENTION_JOB = 'compliance.retention';

export interface RetentionReport {
  [kind: string]: number;
}

export async function applyRetention(db: Db, now: Date): Promise<RetentionReport> {
  const totals: RetentionReport = {};
  const orgs = rows<{ id: string }>(await db.execute(sql`select id from organisations order by code`));
  for (const { id: orgId } of orgs) {
    const settings = await store.getSettings(db, orgId);
    for (const rule of retentionRules()) {
      const n = await rule.purge({ db, now }, orgId, effectiveDays(rule, settings?.retentionDays));
      totals[rule.kind] = (totals[rule.kind] ?? 0) + n;
      if (n) await store.recordRetentionRun(db, orgId, rule.kind, n, now);
    }
  }
  const logs = retentionRule('logs');
  const traces = await purgeTechnicalTraces(db, cutoff(now, logs?.defaultDays ?? 30));
  totals.logs = (totals.logs ?? 0) + traces;
  if (traces) await store.recordRetentionRun(db, null, 'logs', traces, now);
  return totals;
}

export const retentionJob: JobDefinition = {
  name: RETENTION_JOB,
  async run(_payload, ctx) {
    const totals = await applyRetention(ctx.db, ctx.clock.now());
    ctx.logger.info({ purged: totals }, 'retention rules applied');
  },
};
