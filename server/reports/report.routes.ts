/**
 * Report pages: the builder (/rapports), the preview with its comment boxes, the A4 print
 * view and its PDF, the hall poster, the tables as CSV/XLSX, publication on the public page.
 * Referents manage; viewers read and download the bilans.
 */
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { CONFIRM, confirmFirst } from '../http/confirm';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { REPORT_COMPARISONS, REPORT_SECTIONS } from '../storage/schema';
import { CONTENT_TYPES, attachment, writeExport, type ExportFormat } from './export-stream';
import { pdfAvailable, renderPdf, selfOrigin } from './pdf';
import { COMPARISON_LABELS } from './period';
import { posterModel } from './poster';
import { blocMarqueCss, blocMarqueLines } from './bloc-marque';
import type { ReportModel } from './report.model';
import { commentsSchema, COMMENT_PREFIX, MAX_COMMENT_LENGTH, posterQuerySchema, reportSchema } from './report.schemas';
import * as svc from './report.service';
import * as store from './report.store';
import { reportTableRows, TABLE_COLUMNS } from './report-tables';
import { defaultSources, type ReportSources } from './sources';

export const comparisonChoices = REPORT_COMPARISONS.map((c) => ({ value: c, label: c === 'none' ? 'Pas de comparaison' : `Avec la ${COMPARISON_LABELS[c]}` }));
export const sectionChoices = REPORT_SECTIONS.map((s) => ({ value: s, label: svc.SECTION_LABELS[s] }));

/** Renders a view to a string (for the PDF): the same template the browser prints. */
export function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.app.render(view, locals, (err, html) => (err ? reject(err) : resolve(html))));
}

export function filenameBase(m: ReportModel): string {
  return `${m.title} ${m.org.code} ${m.period.from} ${m.period.to}`.replace(/[\\/:*?"<>|]+/g, '-').trim();
}

export function reportsRouter(deps: Deps, sources: ReportSources = defaultSources(deps)): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];
  const model = async (req: Request) => svc.buildReport(deps, orgOf(req), await svc.requireReport(deps, orgOf(req), uuidParam(req)), sources);
  const pdfReady = () => pdfAvailable(deps.config.CHROMIUM_PATH);

  // Builder ---------------------------------------------------------------------------------------
  const indexView = async (req: Request) => {
    const [saved, publication] = await Promise.all([store.listReports(deps.db, orgOf(req)), store.getPublication(deps.db, orgOf(req))]);
    return {
      title: 'Bilans et exports',
      canManage: principal(req).role === 'referent',
      reports: saved.map((s) => ({
        id: s.id, title: s.title, period: `${s.periodStart} → ${s.periodEnd}`,
        periodLabel: svc.periodText(s), published: publication?.reportId === s.id,
      })),
      surveys: svc.surveyChoices(deps),
      sectionChoices, comparisonChoices,
      publicUrl: publication ? `/nos-resultats/${principal(req).orgCode}` : null,
      // « Intégrer à votre site »: an <iframe> of the embeddable public page (issue 14).
      embedSnippet: publication
        ? `<iframe src="${(deps.config.PUBLIC_URL ?? '').replace(/\/$/, '')}/nos-resultats/${principal(req).orgCode}/integre" title="Nos résultats – qualité de l’accueil" width="100%" height="900" loading="lazy" style="border:0"></iframe>`
        : null,
    };
  };
  r.get('/rapports', ...read, async (req, res) => {
    res.render('reports/index', { ...(await indexView(req)), values: svc.defaultForm(deps.clock.now()), errors: {} });
  });
  r.post('/rapports', ...manage, validate(reportSchema, { view: 'reports/index', viewModel: indexView }), async (req, res) => {
    const row = await svc.createReport(deps, orgOf(req), principal(req).userId, input(req, reportSchema));
    flash(res, 'success', 'Le bilan est créé : complétez les commentaires puis imprimez-le.');
    res.redirect(303, `/rapports/${row.id}`);
  });

  // Preview and comments --------------------------------------------------------------------------
  const previewView = async (req: Request) => {
    const m = await model(req);
    return {
      title: m.title, m, canManage: principal(req).role === 'referent', pdfReady: pdfReady(),
      commentPrefix: COMMENT_PREFIX, maxComment: MAX_COMMENT_LENGTH,
      published: (await store.getPublication(deps.db, orgOf(req)))?.reportId === m.id,
      publicUrl: `/nos-resultats/${m.org.code}`,
    };
  };
  r.get('/rapports/:id', ...read, async (req, res) => {
    const vm = await previewView(req);
    const values: Record<string, string> = { improvements: vm.m.improvements.join('\n') };
    for (const s of vm.m.sections) for (const b of s.blocks) values[COMMENT_PREFIX + b.key] = b.comment;
    res.render('reports/preview', { ...vm, values, errors: {} });
  });
  r.post('/rapports/:id/commentaires', ...manage, validate(commentsSchema, { view: 'reports/preview', viewModel: previewView }), async (req, res) => {
    const m = await model(req);
    await svc.saveComments(deps, orgOf(req), m.id, input(req, commentsSchema), svc.blockKeys(m));
    flash(res, 'success', 'Les commentaires sont enregistrés.');
    res.redirect(303, `/rapports/${m.id}`);
  });

  // Settings ---------------------------------------------------------------------------------------
  const settingsView = async (req: Request) => {
    const row = await svc.requireReport(deps, orgOf(req), uuidParam(req));
    return { title: 'Paramètres du bilan', report: row, surveys: svc.surveyChoices(deps), sectionChoices, comparisonChoices };
  };
  r.get('/rapports/:id/parametres', ...manage, async (req, res) => {
    const vm = await settingsView(req);
    res.render('reports/settings', { ...vm, values: vm.report, errors: {} });
  });
  r.post('/rapports/:id/parametres', ...manage, validate(reportSchema, { view: 'reports/settings', viewModel: settingsView }), async (req, res) => {
    const row = await svc.updateSettings(deps, orgOf(req), uuidParam(req), input(req, reportSchema));
    flash(res, 'success', 'Les paramètres du bilan sont modifiés.');
    res.redirect(303, `/rapports/${row.id}`);
  });
  // Asked first (a modal with JavaScript, a page without): delete, publish, withdraw.
  const reportConfirm = (text: (title: string) => Omit<import('../http/confirm').Confirmation, 'cancelHref'>, back: (id: string) => string) => confirmFirst(async (req) => {
    const row = await svc.requireReport(deps, orgOf(req), uuidParam(req));
    return { ...text(row.title), cancelHref: back(row.id) };
  });
  r.post('/rapports/:id/supprimer', ...manage, reportConfirm(CONFIRM.deleteReport, (id) => `/rapports/${id}/parametres`), async (req, res) => {
    await svc.deleteReport(deps, orgOf(req), uuidParam(req));
    flash(res, 'success', 'Le bilan est supprimé.');
    res.redirect(303, '/rapports');
  });

  // Publication on the public page -----------------------------------------------------------------
  r.post('/rapports/:id/publier', ...manage, reportConfirm(CONFIRM.publishReport, (id) => `/rapports/${id}`), async (req, res) => {
    const id = uuidParam(req);
    await svc.publishReport(deps, orgOf(req), id, principal(req).userId);
    flash(res, 'success', 'Le bilan est publié sur la page publique de résultats.');
    res.redirect(303, `/rapports/${id}`);
  });
  r.post('/rapports/:id/depublier', ...manage, reportConfirm(CONFIRM.withdrawReport, (id) => `/rapports/${id}`), async (req, res) => {
    const id = uuidParam(req);
    await svc.requireReport(deps, orgOf(req), id);
    await store.unpublish(deps.db, orgOf(req));
    flash(res, 'success', 'La page publique de résultats est retirée.');
    res.redirect(303, `/rapports/${id}`);
  });

  // Print view, PDF, poster ------------------------------------------------------------------------
  // The DSFR's bloc-marque rules for the poster and the bilan's cover (public, like the CSS files).
  r.get('/static/reports/bloc-marque.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(blocMarqueCss());
  });
  r.get('/rapports/:id/bilan', ...read, async (req, res) => {
    const m = await model(req);
    res.render('reports/bilan', { m, blocMarque: blocMarqueLines(m.org.name), pdfReady: pdfReady(), forPdf: false });
  });
  r.get('/rapports/:id/bilan.pdf', ...read, async (req, res) => {
    const m = await model(req);
    const html = await renderView(res, 'reports/bilan', { m, blocMarque: blocMarqueLines(m.org.name), pdfReady: true, forPdf: true });
    const pdf = await renderPdf(html, { chromiumPath: deps.config.CHROMIUM_PATH, baseUrl: selfOrigin(req.socket) });
    res.type('application/pdf').set('Content-Disposition', attachment(`${filenameBase(m)}.pdf`)).send(pdf);
  });
  r.get('/rapports/:id/affiche', ...read, validate(posterQuerySchema, { source: 'query' }), async (req, res) => {
    const { format, items } = input(req, posterQuerySchema);
    const m = await model(req);
    res.render('reports/affiche', { p: posterModel(m, items), reportId: m.id, format, items: items?.join(',') ?? '', pdfReady: pdfReady(), forPdf: false });
  });
  r.get('/rapports/:id/affiche.pdf', ...read, validate(posterQuerySchema, { source: 'query' }), async (req, res) => {
    const { format, items } = input(req, posterQuerySchema);
    const m = await model(req);
    const html = await renderView(res, 'reports/affiche', { p: posterModel(m, items), reportId: m.id, format, items: items?.join(',') ?? '', pdfReady: true, forPdf: true });
    const pdf = await renderPdf(html, { chromiumPath: deps.config.CHROMIUM_PATH, baseUrl: selfOrigin(req.socket) });
    res.type('application/pdf').set('Content-Disposition', attachment(`Affiche ${filenameBase(m)} ${format.toUpperCase()}.pdf`)).send(pdf);
  });

  // The tables as CSV / XLSX --------------------------------------------------------------------------
  for (const format of ['csv', 'xlsx'] as ExportFormat[]) {
    r.get(`/rapports/:id/tableaux.${format}`, ...read, async (req, res) => {
      const m = await model(req);
      await sendTables(res, m, format);
    });
  }
  return r;
}

/** The bilan's tables, one line per figure, in the chosen format. */
export async function sendTables(res: Response, m: ReportModel, format: ExportFormat) {
  res.status(200).set({ 'Content-Type': CONTENT_TYPES[format], 'Content-Disposition': attachment(`${filenameBase(m)}.${format}`), 'Cache-Control': 'no-store' });
  const lines = reportTableRows(m);
  await writeExport(format, res, { columns: TABLE_COLUMNS, sheetName: 'Bilan', batches: (async function* () { yield lines; })() });
}
