/** The one place every feature router is mounted. */
import { Router, type Express } from 'express';
import { sql } from 'drizzle-orm';
import type { Deps } from './deps';
import { authRouter } from './auth/auth.routes';
import { adminRouter } from './org/admin.routes';
import { orgApiRouter } from './org/org.api';
import { orgRouter } from './org/org.routes';
import { homeRouter } from './home.routes';

export function mountRoutes(app: Express, deps: Deps) {
  app.get('/healthz', async (_req, res) => {
    await deps.db.execute(sql`select 1`);
    res.json({ status: 'ok', db: deps.dbKind });
  });

  app.use(homeRouter(deps));
  app.use(authRouter(deps));
  app.use(orgRouter(deps));
  app.use(adminRouter(deps));

  const api = Router();
  api.use(orgApiRouter(deps));
  app.use('/api/v1', api);
}
