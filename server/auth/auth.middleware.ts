/**
 * Resolves the principal of a request: `Authorization: Bearer qm_…` under /api/, or the
 * session cookie for pages. API routes accept only tokens or sessions, never both mixed up.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Deps } from '../deps';
import { unauthorized } from '../errors';
import { principalFromSession, principalFromToken } from './auth.service';

export const SESSION_COOKIE = 'qm_session';

export function authMiddleware(deps: Deps) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const p = m ? await principalFromToken(deps, m[1]) : undefined;
      if (!p) throw unauthorized();
      req.principal = p;
      return next();
    }
    const cookie = req.signedCookies?.[SESSION_COOKIE];
    if (typeof cookie === 'string' && cookie) {
      req.principal = await principalFromSession(deps, cookie);
    }
    next();
  };
}
