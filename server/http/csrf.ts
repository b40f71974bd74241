/**
 * CSRF protection for cookie-authenticated requests (signed double-submit bound to the
 * session): every browser gets a random `qm_csrf` cookie; forms carry
 * `_csrf` = HMAC(secret, cookie + session). Unsafe methods must present it in the body or the
 * `x-csrf-token` header. Binding to the session defeats cookie tossing: a pair (cookie, token)
 * an attacker obtained with their own browser is worthless in the victim's session.
 * A session-authenticated API write may instead come from our own origin (`Origin` header).
 * Bearer-token API calls and kiosk endpoints (no cookies involved) are exempt, since a forged
 * cross-site request cannot add their credentials.
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

const COOKIE = 'qm_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfOptions {
  /** The session a token is bound to ('' before login). */
  sessionOf: (req: Request) => string;
  /** Requests that may pass on a same-origin `Origin` header instead of a token. */
  originSuffices?: (req: Request) => boolean;
  /** Our public origin (PUBLIC_URL), else the request's own scheme and host. */
  publicOrigin?: string;
}

function sameOrigin(req: Request, publicOrigin?: string): boolean {
  const origin = req.get('origin');
  if (!origin) return false;
  const own = publicOrigin ?? `${req.protocol}://${req.get('host')}`;
  try {
    return new URL(origin).origin === new URL(own).origin;
  } catch {
    return false;
  }
}

export function csrfMiddleware(secret: Buffer, exempt: (req: Request) => boolean, opts: CsrfOptions) {
  const sign = (v: string, session: string) =>
    crypto.createHmac('sha256', secret).update(`csrf:${v}:${crypto.createHash('sha256').update(session).digest('hex')}`).digest('base64url');
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
    const expected = sign(seed, opts.sessionOf(req));
    req.csrfToken = expected;
    res.locals.csrfToken = expected;
    if (SAFE.has(req.method)) return next();
    if (opts.originSuffices?.(req) && sameOrigin(req, opts.publicOrigin)) return next();
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
