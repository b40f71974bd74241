/**
 * Long exports are prepared in the background by a worker process (the job `reports.export`)
 * and kept in PostgreSQL, so that with several web instances behind a load balancer any of
 * them shows the progress page and serves the file, and a web process that dies loses nothing.
 *
 * - export_jobs holds the registry (status, rows written out of the total, the form's fields);
 * - export_chunks holds the file in 1 MiB bytea pieces, written with backpressure as the
 *   export streams from the database in keyset pages, and streamed back piece by piece, so
 *   neither the worker nor the web process holds the file in memory.
 * Limits: a file is kept an hour after it is ready (purged by the worker), at most two
 * exports of an organisation are queued or running at once; a piece of 1 MiB stays far below
 * PostgreSQL's 1 GB bytea limit, and the file's size is bounded only by the database's disk.
 * A worker that dies in the middle: the job's lease expires, another worker takes it over and
 * starts the file again (the run token stops a run that was taken over from writing).
 */
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Deps } from '../deps';
import type { JobContext, JobDefinition } from '../jobs/job';
import { enqueue } from '../jobs/runner';
import { rows } from '../storage/db';
import { exportChunks, exportJobs } from '../storage/schema';
import { writeExport, type ExportFormat } from './export-stream';
import { emailExport, phoneExport } from './mystery.export';
import type { ExportQuery } from './report.schemas';
import { responsesExport, specOf, type ExportPlan } from './responses.export';

export const KEEP_MS = 60 * 60_000;
const MAX_RUNNING_PER_ORG = 2;
export const CHUNK_BYTES = 1024 * 1024;
const MAX_ATTEMPTS = 3;

export type ExportJob = typeof exportJobs.$inferSelect;

export async function planExport(deps: Deps, orgId: string, q: ExportQuery): Promise<ExportPlan> {
  const period = { from: q.from, to: q.to };
  if (q.kind === 'reponses') return responsesExport(deps, orgId, q.survey!, period);
  if (q.kind === 'courriels') return emailExport(deps, orgId, period);
  return phoneExport(deps, orgId, period);
}

export async function canStart(deps: Pick<Deps, 'db'>, orgId: string): Promise<boolean> {
  const [r] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(exportJobs)
    .where(and(eq(exportJobs.orgId, orgId), inArray(exportJobs.status, ['queued', 'running'])));
  return Number(r.n) < MAX_RUNNING_PER_ORG;
}

/** Records the export and hands it to a worker; returns at once with the job to follow. */
export async function startExport(deps: Pick<Deps, 'db' | 'clock'>, plan: ExportPlan, q: ExportQuery, who: { orgId: string; userId: string | null }): Promise<ExportJob> {
  const [job] = await deps.db.insert(exportJobs).values({
    orgId: who.orgId, userId: who.userId, query: { ...q }, format: q.format, filename: `${plan.filename}.${q.format}`, total: plan.total ?? 0,
  }).returning();
  await enqueue(deps, exportJob.name, { exportId: job.id }, { maxAttempts: MAX_ATTEMPTS });
  return job;
}

/** A job of the organisation (another organisation's job, or an expired one, is not found). */
export async function getJob(deps: Pick<Deps, 'db' | 'clock'>, orgId: string, id: string): Promise<ExportJob | undefined> {
  const [job] = await deps.db.select().from(exportJobs).where(and(eq(exportJobs.orgId, orgId), eq(exportJobs.id, id)));
  if (!job) return undefined;
  if (job.finishedAt && deps.clock.now().getTime() - job.finishedAt.getTime() > KEEP_MS) return undefined;
  return job;
}

/** The file of a finished export, piece by piece (one query per piece: memory stays flat). */
export async function* fileChunks(deps: Pick<Deps, 'db'>, job: ExportJob): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const [c] = await deps.db.select({ data: exportChunks.data }).from(exportChunks)
      .where(and(eq(exportChunks.exportId, job.id), eq(exportChunks.seq, seq)));
    if (!c) return;
    yield c.data;
  }
}

/** A writable that stores what it receives as numbered pieces, while the run still owns the job. */
class ChunkWriter extends Writable {
  private pending: Buffer[] = [];
  private size = 0;
  private seq = 0;
  bytes = 0;

  constructor(private readonly deps: Pick<Deps, 'db'>, private readonly exportId: string, private readonly token: string, private readonly onFlush: () => Promise<void>) {
    super();
  }

  private async flush() {
    if (!this.size) return;
    const data = Buffer.concat(this.pending, this.size);
    this.pending = [];
    this.size = 0;
    const r = await this.deps.db.execute(sql`
      insert into export_chunks (export_id, seq, data)
      select ${this.exportId}::uuid, ${this.seq}, ${data}
      where exists (select 1 from export_jobs where id = ${this.exportId}::uuid and run_token = ${this.token})
      returning seq`);
    if (rows(r).length === 0) throw new Error('export taken over by another run');
    this.seq++;
    this.bytes += data.length;
    await this.onFlush();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void) {
    this.pending.push(chunk);
    this.size += chunk.length;
    if (this.size < CHUNK_BYTES) return cb();
    this.flush().then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void) {
    this.flush().then(() => cb(), cb);
  }
}

async function runExport(payload: { exportId: string }, ctx: JobContext): Promise<void> {
  const [job] = await ctx.db.select().from(exportJobs).where(eq(exportJobs.id, payload.exportId));
  if (!job || job.status === 'done' || job.status === 'failed') return;
  const token = crypto.randomUUID();
  // Start again from nothing: a run that died (or is being taken over) leaves pieces behind.
  await ctx.db.transaction(async (tx) => {
    await tx.update(exportJobs).set({ status: 'running', runToken: token, written: 0, bytes: 0 }).where(eq(exportJobs.id, job.id));
    await tx.delete(exportChunks).where(eq(exportChunks.exportId, job.id));
  });
  let written = 0;
  const out = new ChunkWriter(ctx, job.id, token, async () => {
    await ctx.db.update(exportJobs).set({ written }).where(and(eq(exportJobs.id, job.id), eq(exportJobs.runToken, token)));
  });
  try {
    const plan = await planExport(ctx, job.orgId, job.query as unknown as ExportQuery);
    await writeExport(job.format as ExportFormat, out, specOf(plan), (n) => {
      written = n;
    });
    await finished(out);
    await ctx.db.update(exportJobs).set({ status: 'done', written, total: Math.max(job.total, written), bytes: out.bytes, finishedAt: ctx.clock.now() })
      .where(and(eq(exportJobs.id, job.id), eq(exportJobs.runToken, token)));
  } catch (err) {
    out.destroy();
    if (ctx.attempt >= MAX_ATTEMPTS) {
      await ctx.db.update(exportJobs).set({ status: 'failed', finishedAt: ctx.clock.now() }).where(and(eq(exportJobs.id, job.id), eq(exportJobs.runToken, token)));
      await ctx.db.delete(exportChunks).where(eq(exportChunks.exportId, job.id));
    }
    ctx.logger.error({ err, exportId: job.id }, 'export failed');
    throw err;
  }
}

export const exportJob: JobDefinition<{ exportId: string }> = {
  name: 'reports.export',
  maxAttempts: MAX_ATTEMPTS,
  run: runExport,
};

/** Hourly: exports finished more than an hour ago go, with their file. */
export const purgeExportsJob: JobDefinition = {
  name: 'reports.purge-exports',
  async run(_payload, ctx) {
    const before = new Date(ctx.clock.now().getTime() - KEEP_MS);
    await ctx.db.delete(exportJobs).where(and(lt(exportJobs.finishedAt, before), gt(exportJobs.finishedAt, new Date(0))));
  },
};
