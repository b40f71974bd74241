/** The home page: what the signed-in user can do in their organisation. */
import { Router } from 'express';
import type { Deps } from './deps';
import { requireAuth } from './auth/policies';
import * as orgStore from './org/org.store';
import { formatDate } from './format';

export function homeRouter(deps: Deps): Router {
  const r = Router();
  r.get('/', requireAuth, async (req, res) => {
    const p = req.principal!;
    if (p.role === 'admin') return res.redirect(303, '/admin/organisations');
    // Evaluators only make mystery calls: they land on their calls.
    if (p.role === 'evaluator') return res.redirect(303, '/appels');
    const orgId = p.orgId!;
    const [sites, services] = await Promise.all([orgStore.listSites(deps.db, orgId), orgStore.listServices(deps.db, orgId)]);
    res.render('home', {
      title: 'Tableau de bord',
      orgName: p.orgName,
      today: formatDate(deps.clock.now()),
      siteCount: sites.length,
      serviceCount: services.length,
    });
  });
  r.get('/a-propos', (_req, res) => {
    res.render('about', { title: 'À propos' });
  });
  return r;
}
