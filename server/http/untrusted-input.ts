/**
 * Untrusted input made storable, at the one place it enters: every parsed body (JSON or form)
 * and query goes through `cleanUntrusted` before any route sees it.
 *
 * - A lone UTF-16 surrogate ("\ud800", a reversed pair) is valid JSON but not valid Unicode:
 *   PostgreSQL refuses it in text and jsonb. It is REPLACED by U+FFFD, as a browser's
 *   TextEncoder does when a page sends such a string: the rest of the answer is kept (a
 *   visitor's comment is not lost for one broken emoji).
 * - U+0000 cannot be stored either, and no replacement keeps its meaning: REFUSED (422).
 * - Nesting deeper than MAX_DEPTH is REFUSED (422). The walk is iterative, so no input can
 *   overflow the stack whatever its depth.
 */
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

export const MAX_DEPTH = 32;

export interface InputProblem {
  /** Path of the offending value, e.g. ['answers', 'commentaire']. */
  path: string[];
  code: 'nul_character' | 'too_deep';
}

export const PROBLEM_MESSAGES: Record<InputProblem['code'], string> = {
  nul_character: 'Le texte contient un caractère nul (U+0000), qui ne peut pas être enregistré.',
  too_deep: `Le contenu est imbriqué trop profondément (plus de ${MAX_DEPTH} niveaux).`,
};

const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function cleanString(s: string): string | null {
  if (s.includes('\u0000')) return null;
  return SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}

/**
 * Returns a copy of `value` whose every string (keys included) is well-formed Unicode, or the
 * first problem found. Objects are rebuilt without a prototype chain surprise (plain objects).
 */
export function cleanUntrusted(value: unknown): { value: unknown } | { problem: InputProblem } {
  const root: { v: unknown } = { v: undefined };
  // Each frame: the source value, where to put its copy, its path.
  const stack: { src: unknown; set: (v: unknown) => void; path: string[] }[] = [{ src: value, set: (v) => (root.v = v), path: [] }];
  while (stack.length > 0) {
    const { src, set, path } = stack.pop()!;
    if (typeof src === 'string') {
      const s = cleanString(src);
      if (s === null) return { problem: { path, code: 'nul_character' } };
      set(s);
    } else if (src !== null && typeof src === 'object') {
      if (path.length >= MAX_DEPTH) return { problem: { path, code: 'too_deep' } };
      if (Array.isArray(src)) {
        const out: unknown[] = new Array(src.length);
        set(out);
        src.forEach((x, i) => stack.push({ src: x, set: (v) => (out[i] = v), path: [...path, String(i)] }));
      } else {
        const out: Record<string, unknown> = {};
        set(out);
        for (const [k, x] of Object.entries(src as Record<string, unknown>)) {
          const key = cleanString(k);
          if (key === null) return { problem: { path: [...path, k.replace(/\u0000/g, '')], code: 'nul_character' } };
          // defineProperty: a "__proto__" key stays a plain property, never a prototype.
          stack.push({ src: x, set: (v) => Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true }), path: [...path, key] });
        }
      }
    } else {
      set(src);
    }
  }
  return { value: root.v };
}

export function inputProblemError(problem: InputProblem): AppError {
  const field = problem.path.join('.') || '_';
  return new AppError(422, 'unstorable_input', PROBLEM_MESSAGES[problem.code], [{ field, code: problem.code, message: PROBLEM_MESSAGES[problem.code] }]);
}

/** After the body parsers: the body cleaned in place, the query checked (422 on a problem). */
export function untrustedInputMiddleware(req: Request, _res: Response, next: NextFunction) {
  if (req.body !== undefined) {
    const r = cleanUntrusted(req.body);
    if ('problem' in r) return next(inputProblemError(r.problem));
    req.body = r.value;
  }
  // Express 5's req.query is a getter: it cannot be replaced, only judged. A query string's
  // percent-decoding never yields a lone surrogate (invalid UTF-8 decodes to U+FFFD).
  const q = cleanUntrusted(req.query);
  if ('problem' in q) return next(inputProblemError(q.problem));
  next();
}
