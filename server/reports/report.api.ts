/**
 * Reports in the JSON API (/api/v1, token or session): the list of saved reports and one
 * report's model — the same figures as the screen, the PDF and the CSV — and its tables.
 */
import { Router } from 'express';
import type { Deps } from '../deps';
import { uuidParam } from '../http/params';
import { orgOf, requireAuth, requireRole } from '../auth/policies';
import type { ExportFormat } from './export-stream';
import { reportJson } from './report-tables';
import { sendTables } from './report.routes';
import * as svc from './report.service';
import * as store from './report.store';
import { defaultSources, type ReportSources } from './sources';

export function reportApiRouter(deps: Deps, sources: ReportSources = defaultSources(deps)): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  r.get('/rapports', ...read, async (req, res) => {
    const rows = await store.listReports(deps.db, orgOf(req));
    res.json({
      reports: rows.map((x) => ({
        id: x.id, title: x.title, periodStart: x.periodStart, periodEnd: x.periodEnd, comparison: x.comparison,
        sections: x.sections, surveyIds: x.surveyIds, updatedAt: x.updatedAt,
      })),
    });
  });
  r.get('/rapports/:id', ...read, async (req, res) => {
    const row = await svc.requireReport(deps, orgOf(req), uuidParam(req));
    res.json(reportJson(await svc.buildReport(deps, orgOf(req), row, sources)));
  });
  for (const format of ['csv', 'xlsx'] as ExportFormat[]) {
    r.get(`/rapports/:id/tableaux.${format}`, ...read, async (req, res) => {
      const row = await svc.requireReport(deps, orgOf(req), uuidParam(req));
      await sendTables(res, await svc.buildReport(deps, orgOf(req), row, sources), format);
    });
  }
  return r;
}
