/**
 * Job `campaigns.send-probe` { probeId }: sends one planned probe at its time (send-probe.ts).
 * Transient SMTP errors are retried with a growing, jittered delay (1 min, 2, 4… up to 2 h);
 * after the last attempt the probe is marked failed.
 */
import type { JobDefinition } from '../../jobs/job';
import { sendProbe } from './send-probe';

export const SEND_PROBE_JOB = 'campaigns.send-probe';
export const SEND_PROBE_MAX_ATTEMPTS = 8;

export function sendBackoffMs(attempt: number): number {
  const base = Math.min(2 * 3600_000, 60_000 * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export const sendProbeJob: JobDefinition<{ probeId: string }> = {
  name: SEND_PROBE_JOB,
  maxAttempts: SEND_PROBE_MAX_ATTEMPTS,
  backoffMs: sendBackoffMs,
  async run(payload, ctx) {
    await sendProbe(ctx, payload.probeId, { attempt: ctx.attempt, maxAttempts: SEND_PROBE_MAX_ATTEMPTS });
  },
};
