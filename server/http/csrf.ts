/**
 * CSRF protection for cookie-authenticated requests (signed double-submit): every browser gets
 * a random `qm_csrf` cookie; forms carry `_csrf` = HMAC(secret, cookie). Unsafe methods must
 * present it in the body or the `x-csrf-token` header. Bearer-token API calls and kiosk
 * endpoints (no cookies involved) are exempt, since a forged cross-site request cannot add
 * their credentials.
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

const COOKIE = 'qm_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfMiddleware(secret: Buffer, exempt: (req: Request) => boolean) {
  const sign = (v: string) => crypto.createHmac('sha256', secret).update(`csrf:${v}`).digest('base64url');
  return (req: Request, res: Response, next: NextFunction) => {
    if (exempt(req)) return next();
    let seed = req.cookies?.[COOKIE];
    if (typeof seed !== 'string' || seed.length < 16) {
      seed = crypto.randomBytes(18).toString('base64url');
      res.cookie(COOKIE, seed, {
        httpOnly: true, sameSite: 'lax', path: '/', secure: req.app.get('secureCookies') === true,
      });
      req.cookies = { ...(req.cookies ?? {}), [COOKIE]: seed };
    }
    const expected = sign(seed);
    req.csrfToken = expected;
    res.locals.csrfToken = expected;
    if (SAFE.has(req.method)) return next();
    const given = (req.body && typeof req.body === 'object' ? req.body._csrf : undefined) ?? req.get('x-csrf-token');
    const ok =
      typeof given === 'string' &&
      given.length === expected.length &&
      crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!ok) throw new AppError(403, 'csrf_failed', 'Le formulaire a expiré ou provient d’un autre site. Rechargez la page et recommencez.');
    if (req.body && typeof req.body === 'object') delete req.body._csrf;
    next();
  };
}
