/**
 * Flash messages for post/redirect/get: a short-lived cookie read and cleared on the next page.
 */
import type { NextFunction, Request, Response } from 'express';

const COOKIE = 'qm_flash';

export function flashMiddleware(req: Request, res: Response, next: NextFunction) {
  const raw = req.signedCookies?.[COOKIE];
  res.locals.flash = null;
  if (typeof raw === 'string') {
    try {
      res.locals.flash = JSON.parse(raw);
    } catch {
      /* ignore a damaged cookie */
    }
    res.clearCookie(COOKIE, { path: '/' });
  }
  next();
}

export function flash(res: Response, type: 'success' | 'error' | 'info', message: string) {
  res.cookie(COOKIE, JSON.stringify({ type, message }), {
    signed: true, httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60_000,
    secure: res.app.get('secureCookies') === true,
  });
}
