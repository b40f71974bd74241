/** The called organisation's results page (referent and viewer). */
import { Router } from 'express';
import type { Deps } from '../deps';
import { uuidParam } from '../http/params';
import { orgOf, requireAuth, requireRole } from '../auth/policies';
import { formatDate } from '../format';
import { BASE } from './programme.routes';
import { resultsView } from './results.service';

export function resultsRouter(deps: Deps): Router {
  const r = Router();
  r.get(`${BASE}/:pid/resultats`, requireAuth, requireRole('referent', 'viewer'), async (req, res) => {
    const vm = await resultsView(deps, orgOf(req), uuidParam(req, 'pid'));
    res.render('phone/results', {
      title: `Résultats : ${vm.programme.name}`, ...vm,
      period: `du ${formatDate(vm.programme.startsOn)} au ${formatDate(vm.programme.endsOn)}`,
    });
  });
  return r;
}
