/**
 * validate(schema): parse body, query or params with zod and put the result in `req.valid`.
 * On failure: a JSON request gets 422 with the reasons per field; a form POST re-renders
 * its view with the field errors and the values typed (status 422).
 */
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { ValidationError } from '../errors';

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    out[key] ??= issue.message;
    // Forms show errors per field: an error on `emails.1` is also an error on `emails`.
    if (issue.path.length > 1) out[String(issue.path[0])] ??= issue.message;
  }
  return out;
}

export interface ValidateOptions {
  source?: 'body' | 'query' | 'params';
  /** Form view to re-render on failure, with a function giving its other locals. */
  view?: string;
  viewModel?: (req: Request) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

export function validate<S extends z.ZodType>(schema: S, opts: ValidateOptions = {}) {
  const source = opts.source ?? 'body';
  return async (req: Request, res: Response, next: NextFunction) => {
    if (opts.view) req.form = { view: opts.view, viewModel: opts.viewModel, params: { ...req.params } };
    const parsed = schema.safeParse(req[source] ?? {});
    if (parsed.success) {
      req.valid = parsed.data;
      return next();
    }
    const errors = fieldErrors(parsed.error);
    if (opts.view && !req.wantsJson) {
      const extra = opts.viewModel ? await opts.viewModel(req) : {};
      res.status(422).render(opts.view, { ...extra, errors, values: req[source] ?? {} });
      return;
    }
    throw new ValidationError(errors);
  };
}

/** The validated input, typed by the schema given to validate(). */
export function input<S extends z.ZodType>(req: Request, _schema: S): z.output<S> {
  return req.valid as z.output<S>;
}
