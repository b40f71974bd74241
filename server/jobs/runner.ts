/**
 * A small job runner on the database. Jobs are claimed with FOR UPDATE SKIP LOCKED, so any
 * number of worker processes can share the table; a job whose lease expired (worker died) is
 * claimed again. Schedules are advanced with a conditional UPDATE, so each tick enqueues once
 * whichever worker sees it first.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Deps } from '../deps';
import { safeErrorMessage } from '../logger';
import { rows } from '../storage/db';
import { defaultBackoff, type JobDefinition, type Schedule } from './job';

export interface EnqueueOptions {
  runAt?: Date;
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Enqueue a job; with a dedupe key, a job already queued or running is not duplicated. */
export async function enqueue(ctx: Pick<Deps, 'db' | 'clock'>, name: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<number | null> {
  const r = await ctx.db.execute(sql`
    insert into jobs (name, payload, run_at, dedupe_key, max_attempts)
    values (${name}, ${JSON.stringify(payload)}::jsonb, ${(opts.runAt ?? ctx.clock.now()).toISOString()}::timestamptz,
            ${opts.dedupeKey ?? null}, ${opts.maxAttempts ?? 5})
    on conflict do nothing
    returning id`);
  const [row] = rows<{ id: number | string }>(r);
  return row ? Number(row.id) : null;
}

/** How long a worker holds a job whose definition sets no `leaseMs`. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

interface ClaimedJob {
  id: number;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

export class JobRunner {
  readonly workerId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  private readonly defs = new Map<string, JobDefinition<never>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private readonly abort = new AbortController();

  constructor(private readonly deps: Deps, defs: JobDefinition<never>[], private readonly schedules: Schedule[] = []) {
    for (const d of defs) this.defs.set(d.name, d);
    for (const s of schedules) if (!this.defs.has(s.job)) throw new Error(`Schedule names an unknown job: ${s.job}`);
  }

  start() {
    const loop = async () => {
      if (this.stopping) return;
      this.running = this.drain().then(() => undefined, (err) => { this.deps.logger.error({ err }, 'job loop failed'); });
      await this.running;
      if (!this.stopping) this.timer = setTimeout(loop, this.deps.config.JOB_POLL_MS);
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Stop taking jobs and wait for the one in flight. */
  async stop() {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Run schedules due and every job ready now; returns the number of jobs run. */
  async drain(max = 100): Promise<number> {
    await this.tickSchedules();
    let n = 0;
    while (n < max && !this.stopping) {
      const job = await this.claim();
      if (!job) break;
      await this.execute(job);
      n++;
    }
    return n;
  }

  private async tickSchedules() {
    const now = this.deps.clock.now();
    for (const s of this.schedules) {
      const next = new Date(now.getTime() + s.everyMs);
      await this.deps.db.execute(sql`insert into job_schedules (name, next_run_at) values (${s.job}, ${now.toISOString()}::timestamptz) on conflict do nothing`);
      const r = await this.deps.db.execute(sql`
        update job_schedules set next_run_at = ${next.toISOString()}::timestamptz, last_run_at = ${now.toISOString()}::timestamptz
        where name = ${s.job} and next_run_at <= ${now.toISOString()}::timestamptz returning name`);
      if (rows(r).length) await enqueue(this.deps, s.job, {}, { dedupeKey: `schedule:${s.job}`, runAt: now });
    }
  }

  /** Lease of each job that sets its own (`leaseMs`), as JSON for the claim's SQL. */
  private leases(): string {
    const out: Record<string, number> = {};
    for (const [name, d] of this.defs) if (d.leaseMs !== undefined && d.leaseMs > 0) out[name] = Math.round(d.leaseMs);
    return JSON.stringify(out);
  }

  private async claim(): Promise<ClaimedJob | undefined> {
    const now = this.deps.clock.now().toISOString();
    // The lease is the job's own `leaseMs` when its definition sets one, else DEFAULT_LEASE_MS;
    // the job's name is only known in the row, hence the lookup inside the UPDATE.
    const r = await this.deps.db.execute(sql`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${this.workerId},
             locked_until = ${now}::timestamptz
               + make_interval(secs => coalesce((${this.leases()}::jsonb ->> jobs.name)::double precision, ${DEFAULT_LEASE_MS}) / 1000.0)
      where id = (
        select id from jobs
        where (status = 'queued' and run_at <= ${now}::timestamptz)
           or (status = 'running' and locked_until < ${now}::timestamptz)
        order by run_at, id
        limit 1
        for update skip locked)
      returning id, name, payload, attempts, max_attempts`);
    const [row] = rows<ClaimedJob>(r);
    return row ? { ...row, id: Number(row.id) } : undefined;
  }

  private async execute(job: ClaimedJob) {
    const def = this.defs.get(job.name);
    const log = this.deps.logger.child({ module: 'jobs', job: job.name, jobId: job.id, attempt: job.attempts });
    try {
      if (!def) throw new Error(`No job named ${job.name} is registered`);
      await def.run(job.payload as never, { ...this.deps, jobId: job.id, attempt: job.attempts, signal: this.abort.signal });
      await this.deps.db.execute(sql`
        update jobs set status = 'done', finished_at = ${this.deps.clock.now().toISOString()}::timestamptz, locked_by = null, locked_until = null, last_error = null
        where id = ${job.id}`);
      log.debug('job done');
    } catch (err) {
      const message = safeErrorMessage(err);
      const max = def?.maxAttempts ?? job.max_attempts;
      const final = !def || job.attempts >= max;
      const retryAt = new Date(this.deps.clock.now().getTime() + (def?.backoffMs ?? defaultBackoff)(job.attempts));
      await this.deps.db.execute(sql`
        update jobs set status = ${final ? 'failed' : 'queued'}, run_at = ${retryAt.toISOString()}::timestamptz,
               locked_by = null, locked_until = null, last_error = ${message.slice(0, 2000)},
               finished_at = ${final ? this.deps.clock.now().toISOString() : null}::timestamptz
        where id = ${job.id}`);
      log.warn({ err, final }, final ? 'job failed for good' : 'job failed, will retry');
    }
  }
}
