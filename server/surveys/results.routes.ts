/**
 * Satisfaction results: the page /resultats/satisfaction and the same figures as JSON at
 * /api/v1/resultats/satisfaction (referents and viewers of the organisation).
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { formatDate, formatNumber, formatPercent } from '../format';
import { input, validate } from '../http/validate';
import { orgOf, requireAuth, requireRole } from '../auth/policies';
import * as orgStore from '../org/org.store';
import { resultsQuerySchema } from './results.schemas';
import { satisfactionResults, type SatisfactionResults } from './results.service';
import { listSurveys } from './surveys.service';

const INSUFFICIENT = 'effectif insuffisant';

function pageModel(r: SatisfactionResults) {
  const period = r.from && r.to ? `du ${formatDate(r.from)} au ${formatDate(r.to)}`
    : r.from ? `depuis le ${formatDate(r.from)}` : r.to ? `jusqu’au ${formatDate(r.to)}` : 'toutes les réponses reçues';
  return {
    heading: r.survey.title,
    scope: r.siteName ?? 'Tous les sites',
    period,
    minCellSize: formatNumber(r.minCellSize),
    items: r.items.map((i) => ({
      label: i.label,
      share: i.insufficient ? INSUFFICIENT : formatPercent(i.share),
      interval: i.ci ? `${formatPercent(i.ci.low)} – ${formatPercent(i.ci.high)}` : '–',
      n: formatNumber(i.n),
      sansAvis: formatNumber(i.sansAvis),
      insufficient: i.insufficient,
    })),
    overall: {
      total: formatNumber(r.overall.total),
      insufficient: r.overall.insufficient,
      values: r.overall.values.map((v) => ({ label: v.label, n: v.n == null ? '–' : formatNumber(v.n), share: v.share == null ? INSUFFICIENT : formatPercent(v.share) })),
    },
  };
}

export function resultsRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];

  const formView = async (req: Request) => ({
    title: 'Résultats de satisfaction',
    surveys: listSurveys(deps).map((s) => ({ value: s.id, label: s.title })),
    sites: [{ value: '', label: 'Tous les sites' }, ...(await orgStore.listSites(deps.db, orgOf(req))).map((s) => ({ value: s.id, label: s.name }))],
    results: null as ReturnType<typeof pageModel> | null,
    jsonUrl: null as string | null,
  });

  r.get('/resultats/satisfaction', ...read, validate(resultsQuerySchema, { source: 'query', view: 'surveys/resultats-satisfaction', viewModel: formView }), async (req, res) => {
    const q = input(req, resultsQuerySchema);
    const results = await satisfactionResults(deps, orgOf(req), q);
    const params = new URLSearchParams({ survey: results.survey.id, ...(q.site ? { site: q.site } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) });
    res.render('surveys/resultats-satisfaction', {
      ...(await formView(req)),
      results: pageModel(results),
      jsonUrl: `/api/v1/resultats/satisfaction?${params}`,
      values: { survey: results.survey.id, site: q.site ?? '', from: q.from ?? '', to: q.to ?? '' },
      errors: {},
    });
  });
  return r;
}

export function resultsApiRouter(deps: Deps): Router {
  const r = Router();
  r.get('/resultats/satisfaction', requireAuth, requireRole('referent', 'viewer'), validate(resultsQuerySchema, { source: 'query' }), async (req, res) => {
    const results = await satisfactionResults(deps, orgOf(req), input(req, resultsQuerySchema));
    res.json({
      ...results,
      definition: 'share = (tres_satisfait + satisfait) / (tres_satisfait + satisfait + peu_satisfait + pas_du_tout_satisfait); sans_avis excluded and counted; ci = 95 % Wilson interval; figures withheld (null, insufficient: true) below minCellSize answers',
    });
  });
  return r;
}
