/**
 * The one shape of a job: a name, an ids-only payload, and run(payload, ctx) that re-reads
 * state and is safe to run twice (a job may be retried after a crash).
 */
import type { Deps } from '../deps';

export interface JobContext extends Deps {
  jobId: number;
  attempt: number;
  signal: AbortSignal;
}

export interface JobDefinition<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  run(payload: P, ctx: JobContext): Promise<void>;
  maxAttempts?: number;
  /** Delay before retry number `attempt` (1-based); default: exponential with jitter. */
  backoffMs?(attempt: number): number;
  /** How long a worker may hold the job before another may take it over. */
  leaseMs?: number;
}

export interface Schedule {
  job: string;
  everyMs: number;
}

export function defaultBackoff(attempt: number): number {
  const base = Math.min(60 * 60_000, 5_000 * 2 ** (attempt - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}
