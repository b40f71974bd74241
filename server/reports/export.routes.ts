/**
 * Raw data exports (referents only): the form /rapports/exports, the download that streams
 * straight from the database for a moderate size, or runs in the background with a progress
 * page beyond DIRECT_EXPORT_MAX_ROWS; and the same export streamed by the API.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import { formatNumber } from '../format';
import { fieldErrors, input, validate } from '../http/validate';
import { isUuid } from '../http/params';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { canStart, fileChunks, getJob, planExport, startExport } from './export-jobs';
import { CONTENT_TYPES, ExportAborted, attachment, writeExport, type ExportFormat } from './export-stream';
import { defaultForm, surveyChoices } from './report.service';
import { exportQuerySchema, type ExportQuery } from './report.schemas';
import { emailExport, phoneExport } from './mystery.export';
import { responsesExport, specOf, type ExportPlan } from './responses.export';
import { latestAnswerDay, surveysWithAnswers } from './satisfaction.query';

/** The calendar quarter holding a day: { from, to } as ISO dates. */
function quarterOf(day: string) {
  const [y, m] = day.split('-').map(Number);
  const q = Math.floor((m - 1) / 3);
  return { from: `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`, to: new Date(Date.UTC(y, q * 3 + 3, 0)).toISOString().slice(0, 10) };
}

/**
 * The form's default: the last full quarter when it has answers, otherwise the quarter of the
 * last answer received (a form that proposes an empty period only leads to an empty file),
 * with the survey answered most in it.
 */
async function defaultExport(deps: Deps, orgId: string) {
  const d = defaultForm(deps.clock.now());
  let period = { from: d.periodStart, to: d.periodEnd };
  let answered = await surveysWithAnswers(deps.db, orgId, period);
  if (!answered.length) {
    const last = await latestAnswerDay(deps.db, orgId);
    if (last) {
      period = quarterOf(last);
      answered = await surveysWithAnswers(deps.db, orgId, period);
    }
  }
  const survey = answered.slice().sort((a, b) => b.answers - a.answers)[0]?.surveyId;
  return { kind: 'reponses', format: 'csv', ...period, ...(survey ? { survey } : {}) };
}

const EMPTY: Record<ExportQuery['kind'], string> = {
  reponses: 'Aucune réponse à ce questionnaire sur cette période : choisissez une autre période ou un autre questionnaire.',
  courriels: 'Aucune campagne de courriels mystères sur cette période : choisissez une autre période.',
  appels: 'Aucune enquête d’appels mystères sur cette période : choisissez une autre période.',
};

/** Up to this many rows an export downloads at once; beyond, it is prepared in the background. */
export const DIRECT_EXPORT_MAX_ROWS = 20_000;
const REFRESH_SECONDS = 2;

export const EXPORT_KINDS_UI = [
  { value: 'reponses', label: 'Réponses aux questionnaires de satisfaction (une ligne par questionnaire)' },
  { value: 'courriels', label: 'Courriels mystères et messages reçus (dates, délais, classes, éléments de signature ; sans les textes)' },
  { value: 'appels', label: 'Appels mystères reçus : notes et grilles (sans le nom des évaluateurs)' },
];

const planFor = (deps: Deps, orgId: string, q: ExportQuery): Promise<ExportPlan> => planExport(deps, orgId, q);

/** Streams an export into the response; a failure after the first byte cuts the download. */
export async function streamExport(res: Response, plan: ExportPlan, format: ExportFormat, deps: Pick<Deps, 'logger'>) {
  res.status(200).set({
    'Content-Type': CONTENT_TYPES[format],
    'Content-Disposition': attachment(`${plan.filename}.${format}`),
    'Cache-Control': 'no-store',
    ...(plan.total != null ? { 'X-Total-Rows': String(plan.total) } : {}),
  });
  try {
    await writeExport(format, res, specOf(plan));
  } catch (err) {
    if (err instanceof ExportAborted) return;
    if (!res.headersSent) throw err;
    // Half a file must not look like a whole one: the connection is cut.
    deps.logger.error({ err }, 'export failed while streaming');
    res.destroy(err as Error);
  }
}

export function exportRouter(deps: Deps): Router {
  const r = Router();
  const manage = [requireAuth, requireRole('referent')];
  const formView = async (_req: Request) => ({
    title: 'Exporter les données brutes',
    kinds: EXPORT_KINDS_UI,
    surveys: surveyChoices(deps),
    formats: [{ value: 'csv', label: 'CSV pour Excel (point-virgule, virgule décimale)' }, { value: 'xlsx', label: 'Classeur Excel (XLSX)' }],
    directMax: formatNumber(DIRECT_EXPORT_MAX_ROWS),
  });

  r.get('/rapports/exports', ...manage, async (req, res) => {
    res.render('reports/exports', { ...(await formView(req)), values: await defaultExport(deps, orgOf(req)), errors: {} });
  });

  r.get('/rapports/exports/telecharger', ...manage, validate(exportQuerySchema, { source: 'query', view: 'reports/exports', viewModel: formView }), async (req, res) => {
    const q = input(req, exportQuerySchema);
    const orgId = orgOf(req);
    const plan = await planFor(deps, orgId, q);
    // A file of headers only looks like a failed export: say why instead.
    if (plan.total === 0) return res.status(422).render('reports/exports', { ...(await formView(req)), values: req.query, errors: { from: EMPTY[q.kind] } });
    if (plan.total == null || plan.total <= DIRECT_EXPORT_MAX_ROWS) return streamExport(res, plan, q.format, deps);
    if (!(await canStart(deps, orgId))) throw new AppError(429, 'too_many_exports', 'Deux exports sont déjà en préparation : attendez qu’ils se terminent.');
    const job = await startExport(deps, plan, q, { orgId, userId: principal(req).userId });
    res.redirect(303, `/rapports/exports/${job.id}`);
  });

  const jobOf = async (req: Request) => {
    const id = req.params.jobId;
    const job = isUuid(id) ? await getJob(deps, orgOf(req), id) : undefined;
    if (!job) throw notFound('Export');
    return job;
  };
  r.get('/rapports/exports/:jobId', ...manage, async (req, res) => {
    const job = await jobOf(req);
    if (job.status === 'queued' || job.status === 'running') res.set('Refresh', String(REFRESH_SECONDS));
    res.render('reports/export-progress', {
      title: 'Export en cours',
      refreshSeconds: REFRESH_SECONDS,
      job: {
        ...job,
        // Waiting for a worker reads as running to the referent.
        status: job.status === 'queued' ? 'running' : job.status,
        writtenLabel: formatNumber(job.written),
        totalLabel: formatNumber(job.total),
        percentLabel: `${formatNumber(job.total ? Math.floor((job.written / job.total) * 100) : 100)}\u202f%`,
      },
    });
  });
  r.get('/rapports/exports/:jobId/fichier', ...manage, async (req, res) => {
    const job = await jobOf(req);
    if (job.status !== 'done') throw notFound('Export');
    res.set({
      'Content-Type': CONTENT_TYPES[job.format], 'Content-Disposition': attachment(job.filename), 'Content-Length': String(job.bytes), 'Cache-Control': 'no-store',
    });
    // Pieces are read one at a time and written with backpressure.
    await pipeline(Readable.from(fileChunks(deps, job)), res);
  });
  return r;
}

/** Under /api/v1: the same exports, always streamed (GET /exports/reponses.csv?survey=…&from=…&to=…). */
export function exportApiRouter(deps: Deps): Router {
  const r = Router();
  for (const format of ['csv', 'xlsx'] as ExportFormat[]) {
    r.get(`/exports/:kind.${format}`, requireAuth, requireRole('referent'), async (req, res) => {
      const parsed = exportQuerySchema.safeParse({ ...req.query, kind: req.params.kind, format });
      if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
      const plan = await planFor(deps, orgOf(req), parsed.data);
      await streamExport(res, plan, format, deps);
    });
  }
  return r;
}
