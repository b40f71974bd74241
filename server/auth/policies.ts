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

/** Who a page is for, in the plural: « Accès réservé aux référents qualité. » */
const ROLE_AUDIENCES: Record<Role, string> = {
  admin: 'administrateurs de la plateforme',
  referent: 'référents qualité',
  viewer: 'lecteurs',
  evaluator: 'évaluateurs',
  national: 'membres de l’équipe nationale',
};

export function reservedFor(roles: readonly Role[]): string {
  const names = roles.map((r) => ROLE_AUDIENCES[r]);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} et aux ${names[names.length - 1]}` : names[0];
  return `Accès réservé aux ${list}.`;
}

/**
 * A role outside the list gets 403 saying whom the page is for (« Accès réservé aux
 * référents qualité. ») on pages that address no particular object (lists, forms). A route
 * naming an object (/bornes/:id) answers 404 as before: the check runs before the object is
 * read, and another organisation's object must stay 404 (house rule), so it cannot tell.
 */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const p = req.principal;
    if (!p) throw unauthorized();
    if (!roles.includes(p.role)) {
      const namesObject = Object.keys(req.params ?? {}).length > 0;
      throw roles.includes('admin') || !namesObject ? new AppError(403, 'forbidden', reservedFor(roles)) : notFound();
    }
    next();
  };
}

/** The organisation of the principal; admins and the national team have none and get 404 on organisation routes. */
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
  national: 'Équipe nationale (lecture seule)',
};
