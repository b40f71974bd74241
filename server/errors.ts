/**
 * Known application errors, each with a stable `code` and an HTTP status.
 * The error middleware shows these as they are; anything else is masked as a 500.
 */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'Ressource') => new AppError(404, 'not_found', `${what} introuvable.`);
export const forbidden = () => new AppError(403, 'forbidden', 'Accès refusé.');
export const unauthorized = () => new AppError(401, 'unauthorized', 'Authentification requise.');
export const badRequest = (message: string, details?: unknown) => new AppError(400, 'bad_request', message, details);
export const conflict = (message: string) => new AppError(409, 'conflict', message);

/** Validation failure: a field → message map (forms) or a list of reasons (API). */
export class ValidationError extends AppError {
  constructor(public readonly fieldErrors: Record<string, string>, message = 'Certaines valeurs sont invalides.') {
    super(422, 'validation_failed', message, fieldErrors);
    this.name = 'ValidationError';
  }
}
