/**
 * Route guards. Every route states who may use it: requireAuth, then requireRole(...).
 * Tenancy is enforced in stores (orgId in every WHERE); guards only check the role.
 */
import type { NextFunction, Request, Response } from 'express';
import { AppError, notFound, unauthorized } from '../errors';
import type { Principal } from '../http/context';
import type { Role } from '../storage/schema';

export function requireAuth(req: Request, res: Response, next: NextFunction) {
  if (req.principal) return next();
  if (req.wantsJson) throw unauthorized();
  res.redirect(303, `/connexion?retour=${encodeURIComponent(req.originalUrl)}`);
}

/**
 * A role outside the list reads as 404 for organisation data (it must not learn that a page
 * or object exists) except for the admin area, where 403 is honest.
 */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const p = req.principal;
    if (!p) throw unauthorized();
    if (!roles.includes(p.role)) throw roles.includes('admin') ? new AppError(403, 'forbidden', 'Accès réservé aux administrateurs.') : notFound();
    next();
  };
}

/** The organisation of the principal; admins have none and get 404 on organisation routes. */
export function orgOf(req: Request): string {
  const orgId = req.principal?.orgId;
  if (!orgId) throw notFound();
  return orgId;
}

export function principal(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrateur de la plateforme',
  referent: 'Référent qualité',
  viewer: 'Lecteur',
  evaluator: 'Évaluateur',
};
