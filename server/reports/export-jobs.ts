/**
 * Long exports run in the background of the web process and write into a temporary file,
 * so the referent gets a progress page (rows written out of the total, refreshed without
 * script) and then a download link. The export still streams from the database in keyset
 * pages with backpressure on the file; memory stays flat.
 *
 * The registry lives in this process: with several web instances, the progress page must
 * reach the same instance (sticky sessions), or use the streaming API endpoint instead.
 * Files are deleted an hour after they are ready, and at the latest when the process stops.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger';
import { writeExport, type ExportFormat } from './export-stream';
import { specOf, type ExportPlan } from './responses.export';

export const KEEP_MS = 60 * 60_000;
const MAX_RUNNING_PER_ORG = 2;

export interface ExportJob {
  id: string;
  orgId: string;
  userId: string | null;
  format: ExportFormat;
  filename: string;
  total: number;
  written: number;
  status: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  file: string;
}

const jobs = new Map<string, ExportJob>();
let dir: string | null = null;

function exportDir(): string {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'qualimetre-exports-'));
  return dir;
}

process.once('exit', () => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function remove(job: ExportJob) {
  jobs.delete(job.id);
  fs.rm(job.file, { force: true }, () => undefined);
}

export function runningCount(orgId: string): number {
  return [...jobs.values()].filter((j) => j.orgId === orgId && j.status === 'running').length;
}

export function canStart(orgId: string): boolean {
  return runningCount(orgId) < MAX_RUNNING_PER_ORG;
}

/** Starts an export into a temporary file; returns at once with the job to follow. */
export function startExport(plan: ExportPlan, format: ExportFormat, who: { orgId: string; userId: string | null }, logger: Logger): ExportJob {
  const id = crypto.randomUUID();
  const job: ExportJob = {
    id, orgId: who.orgId, userId: who.userId, format, filename: `${plan.filename}.${format}`, total: plan.total ?? 0, written: 0,
    status: 'running', startedAt: new Date(), finishedAt: null, file: path.join(exportDir(), `${id}.${format}`),
  };
  jobs.set(id, job);
  const out = fs.createWriteStream(job.file, { mode: 0o600 });
  void (async () => {
    try {
      await writeExport(format, out, specOf(plan), (n) => {
        job.written = n;
      });
      job.status = 'done';
    } catch (err) {
      job.status = 'failed';
      out.destroy();
      logger.error({ err, exportId: id }, 'export failed');
    } finally {
      job.finishedAt = new Date();
      setTimeout(() => remove(job), KEEP_MS).unref();
    }
  })();
  return job;
}

/** A job of the organisation (another organisation's job is not found). */
export function getJob(orgId: string, id: string): ExportJob | undefined {
  const job = jobs.get(id);
  return job && job.orgId === orgId ? job : undefined;
}
