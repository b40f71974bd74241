/** HTTP plumbing shared by the anonymous submission endpoints (kiosks and public links). */
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors';

/** The submission endpoints' own body limit, well under the app's 64 kB. */
export const SUBMISSION_BODY_LIMIT = 16 * 1024;

/**
 * The security headers of a JSON answer that no browser renders: these endpoints are mounted
 * ahead of helmet (whose page-oriented policy they do not need), so they set their own.
 */
const API_HEADERS: [string, string][] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['X-Content-Type-Options', 'nosniff'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cache-Control', 'no-store'],
];

/**
 * The body of an anonymous submission endpoint: JSON only (415 otherwise), parsed here with
 * its own limit (413 beyond it). These endpoints are mounted ahead of the app's page plumbing
 * (cookies, session, CSRF, compression: see routes.ts), so nothing else reads the body.
 */
export function jsonBody(limit: number) {
  // The media type is checked just below: the parser need not check it again.
  const parse = express.json({ limit, type: () => true });
  return (req: Request, res: Response, next: NextFunction) => {
    req.wantsJson = true;
    for (const [name, value] of API_HEADERS) res.setHeader(name, value);
    if (!req.is('application/json')) throw new AppError(415, 'unsupported_media_type', 'Contenu JSON (application/json) attendu.');
    parse(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
        next(new AppError(413, 'payload_too_large', `Le contenu envoyé dépasse ${Math.round(limit / 1024)} ko.`));
      } else next(err);
    });
  };
}

/** Rethrows, adding Retry-After to a 429 so the sender's backoff can follow it. */
export function withRetryAfter(res: Response) {
  return (err: unknown): never => {
    if (err instanceof AppError && err.status === 429) {
      const s = (err.details as { retryAfter?: number } | undefined)?.retryAfter;
      if (s) res.set('Retry-After', String(s));
    }
    throw err;
  };
}
