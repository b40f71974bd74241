/** The board page (`/indicateurs?mois=AAAA-MM`), its printable lost-calls table, and `GET /api/v1/indicateurs?from=&to=`. */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { apiRangeSchema, attendanceQuerySchema, boardQuerySchema } from './indicators.schemas';
import { attendanceModel, boardModel, defaultMonth, indicatorSeries } from './board.service';
import { valuesRouter } from './values.routes';
import { samplingRouter } from '../sampling/sampling.routes';

const monthParam = (deps: Deps, req: Request) => {
  const q = input(req, boardQuerySchema);
  return q.mois ? `${q.mois}-01` : defaultMonth(deps);
};

export function indicatorsRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  r.get('/indicateurs', ...read, validate(boardQuerySchema, { source: 'query' }), async (req, res) => {
    const model = await boardModel(deps, orgOf(req), monthParam(deps, req));
    res.render('indicators/board', { title: `Indicateurs qualité : ${model.monthLabel}`, ...model, canManage: principal(req).role === 'referent' });
  });
  r.get('/indicateurs/appels-perdus', ...read, validate(boardQuerySchema, { source: 'query' }), async (req, res) => {
    const model = await boardModel(deps, orgOf(req), monthParam(deps, req));
    res.render('indicators/lost-calls', { title: `Appels perdus par bureau : ${model.monthLabel}`, ...model, orgName: principal(req).orgName ?? '' });
  });
  r.get('/indicateurs/point-numerique', ...read, validate(attendanceQuerySchema, { source: 'query' }), async (req, res) => {
    const year = input(req, attendanceQuerySchema).annee ?? Number(defaultMonth(deps).slice(0, 4));
    const model = await attendanceModel(deps, orgOf(req), year);
    res.render('indicators/attendance', { title: `Fréquentation du point numérique : ${model.previousYear} et ${year}`, ...model, orgName: principal(req).orgName ?? '' });
  });
  r.use(valuesRouter(deps));
  r.use(samplingRouter(deps));
  return r;
}

export function indicatorsApiRouter(deps: Deps): Router {
  const r = Router();
  r.get('/indicateurs', requireAuth, requireRole('referent', 'viewer'), validate(apiRangeSchema, { source: 'query' }), async (req, res) => {
    const v = input(req, apiRangeSchema);
    res.json(await indicatorSeries(deps, orgOf(req), v.from, v.to));
  });
  return r;
}
