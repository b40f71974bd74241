/** The home page per role (server/home/): what the signed-in user should look at and do. */
import { Router } from 'express';
import type { Deps } from './deps';
import { requireAuth } from './auth/policies';
import { formatDate } from './format';
import { adminHome, evaluatorHome, orgHome } from './home/home.service';

export function homeRouter(deps: Deps): Router {
  const r = Router();
  r.get('/', requireAuth, async (req, res) => {
    const p = req.principal!;
    if (p.role === 'admin') {
      return res.render('home-admin', { title: 'Administration', ...(await adminHome(deps)) });
    }
    // The national team's home is the national table.
    if (p.role === 'national') return res.redirect(303, '/national');
    if (p.role === 'evaluator') {
      return res.render('home-evaluator', { title: 'Mes appels du jour', ...(await evaluatorHome(deps, p.orgId!, p.userId ?? '00000000-0000-0000-0000-000000000000')) });
    }
    res.render('home', {
      title: 'Tableau de bord',
      orgName: p.orgName,
      today: formatDate(deps.clock.now()),
      ...(await orgHome(deps, p.orgId!, p.role === 'referent')),
    });
  });
  r.get('/a-propos', (_req, res) => {
    res.render('about', { title: 'À propos' });
  });
  return r;
}
