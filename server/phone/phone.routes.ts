/** Every page router of the phone feature, mounted once in server/routes.ts. */
import { Router } from 'express';
import type { Deps } from '../deps';
import { callRouter } from './call.routes';
import { planRouter } from './plan.routes';
import { programmeRouter } from './programme.routes';
import { resultsRouter } from './results.routes';

export { phoneApiRouter } from './phone.api';

export function phoneRouter(deps: Deps): Router {
  const r = Router();
  r.use(programmeRouter(deps));
  r.use(planRouter(deps));
  r.use(resultsRouter(deps));
  r.use(callRouter(deps));
  return r;
}
