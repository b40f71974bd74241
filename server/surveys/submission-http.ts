/** HTTP plumbing shared by the anonymous submission endpoints (kiosks and public links). */
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

/** The submission endpoints' own body limit, well under the app's 64 kB. */
export const SUBMISSION_BODY_LIMIT = 16 * 1024;

/**
 * JSON only, and 413 beyond `limit`. The app's JSON parser (64 kB) has already run: trust
 * Content-Length when given, else measure the parsed body (chunked requests).
 */
export function bodyLimit(limit: number) {
  return (req: Request, _res: Response, next: NextFunction) => {
    req.wantsJson = true;
    const header = req.get('content-length');
    const size = header !== undefined && Number.isFinite(Number(header)) ? Number(header) : Buffer.byteLength(JSON.stringify(req.body ?? ''));
    if (size > limit) throw new AppError(413, 'payload_too_large', `Le contenu envoyé dépasse ${Math.round(limit / 1024)} ko.`);
    if (!req.is('application/json')) throw new AppError(415, 'unsupported_media_type', 'Contenu JSON (application/json) attendu.');
    next();
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
