/**
 * The one error middleware: known errors (AppError) are shown with their stable code; anything
 * else is logged and masked as a 500. HTML or JSON by what the client accepts.
 */
import type { NextFunction, Request, Response } from 'express';
import { AppError, ValidationError } from '../errors';
import type { Logger } from '../logger';
import { errorPage } from './error-pages';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as BodyParserError;
  if (e && e.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'Le contenu envoyé est trop volumineux.');
  if (e && e.type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'Le contenu envoyé n’est pas un JSON valide.');
  // The router could not percent-decode a path parameter (`/kiosque/%ff`): the address is
  // malformed, a client error, not ours.
  if (err instanceof URIError || (e && e.status === 400 && /decode param/i.test(String(e.message)))) {
    return new AppError(400, 'malformed_url', 'L’adresse demandée est mal formée.');
  }
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    return new AppError(e.status, 'bad_request', 'Requête invalide.');
  }
  return null;
}

/** Paths that carry a secret (kiosk links, invitations) are logged without it. */
export function redactPath(path: string): string {
  return path.replace(/^\/(kiosque|invitation|avis|mot-de-passe)\/[^/]+/, '/$1/:secret');
}

export function errorHandler(logger: Logger) {
  // Express recognises an error handler by its four parameters.
  return async (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A service refused a form's input: show the same form again with the reasons.
    if (err instanceof ValidationError && req.form && !req.wantsJson && !res.headersSent) {
      try {
        // The router resets req.params on the way out: give the view model the route's params back.
        req.params = req.form.params;
        const extra = req.form.viewModel ? await req.form.viewModel(req) : {};
        res.status(422).render(req.form.view, { ...extra, errors: err.fieldErrors, values: req.body ?? {} });
        return;
      } catch (renderErr) {
        logger.error({ err: renderErr }, 'form re-render failed');
      }
    }
    const known = toAppError(err);
    const status = known?.status ?? 500;
    if (!known) logger.error({ err, method: req.method, path: redactPath(req.path) }, 'unhandled error');
    const code = known?.code ?? 'internal_error';
    const message = known?.message ?? 'Une erreur interne est survenue.';
    if (res.headersSent) return;
    res.status(status);
    if (req.wantsJson) {
      res.json({ error: { code, message, ...(known?.details ? { details: known.details } : {}) } });
      return;
    }
    res.render('errors/error', {
      title: errorPage(status).heading, status, ...errorPage(status), message,
      // The error may come before the middleware that sets these locals.
      principal: req.principal ?? null, flash: res.locals.flash ?? null, currentPath: req.path,
      csrfToken: res.locals.csrfToken ?? '',
    });
  };
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction) {
  next(new AppError(404, 'not_found', 'Page introuvable.'));
}
