/**
 * createApp(deps): the Express app, without listen(). Plumbing order: the anonymous submission
 * endpoints (JSON only, their own headers and body parser: routes.ts), security headers,
 * compression, assets, body parsing (size-limited), cookies, principal, CSRF, flash, routes,
 * then the one error handler.
 */
import path from 'node:path';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express, type Request } from 'express';
import helmet from 'helmet';
import type { Deps } from './deps';
import { SESSION_COOKIE, authMiddleware } from './auth/auth.middleware';
import { ROLE_LABELS } from './auth/policies';
import { mountAssets } from './http/assets';
import { csrfMiddleware } from './http/csrf';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { flashMiddleware } from './http/flash';
import { multipartForms } from './http/multipart';
import { isAttachmentUpload } from './committee/meeting.routes';
import { untrustedInputMiddleware } from './http/untrusted-input';
import { mountRoutes, mountSubmissionRoutes } from './routes';
import { CONFIRM } from './http/confirm';

export const BODY_LIMIT = '64kb';

export function createApp(deps: Deps): Express {
  const app = express();
  app.set('views', path.join(__dirname, '..', 'views'));
  app.set('view engine', 'ejs');
  app.set('secureCookies', deps.config.secureCookies);
  app.set('trust proxy', deps.config.TRUST_PROXY ? 1 : false);
  app.disable('x-powered-by');
  app.locals.roleLabels = ROLE_LABELS;
  // The « ask before destroying » questions, for the forms' data-confirm-* (views/partials/confirm-form.ejs).
  app.locals.CONFIRM = CONFIRM;

  mountSubmissionRoutes(app, deps);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // SurveyJS sets inline style attributes on elements it renders.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          frameAncestors: ["'none'"],
          // Chromium applies form-action to a form's redirects: login and logout forms redirect to ProConnect.
          formAction: ["'self'", ...(deps.config.proconnect ? [new URL(deps.config.proconnect.issuer).origin] : [])],
          upgradeInsecureRequests: deps.config.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: deps.config.secureCookies,
    }),
  );
  app.use(compression());
  mountAssets(app);

  app.use((req, _res, next) => {
    const accept = req.get('accept') ?? '';
    req.wantsJson = req.path.startsWith('/api/') || req.is('application/json') === 'application/json' || (accept.includes('application/json') && !accept.includes('text/html'));
    next();
  });
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200 }));
  // File uploads (indicator imports, town halls, Transparence, committee attachments): parsed before the CSRF check, which reads `_csrf` from the body.
  app.use(multipartForms((p) => p === '/indicateurs/imports' || p === '/mairies/import' || p === '/transparence/import' || isAttachmentUpload(p)));
  // Lone surrogates replaced, NUL and deep nesting refused: what a route sees can be stored.
  app.use(untrustedInputMiddleware);
  app.use(cookieParser(deps.secret.toString('hex')));
  app.use(authMiddleware(deps));
  // The API is exempt only when no session cookie authenticates the request (a Bearer token,
  // or nobody: the route then answers 401); a session's API write needs the token or our Origin.
  const sessionPrincipal = (req: Request) => !req.get('authorization') && req.principal !== undefined;
  app.use(
    csrfMiddleware(
      deps.secret,
      (req) => (req.path.startsWith('/api/') && !sessionPrincipal(req)) || req.path === '/healthz' || req.path.startsWith('/kiosque/') || req.path.startsWith('/avis/'),
      {
        sessionOf: (req) => (sessionPrincipal(req) ? String(req.signedCookies?.[SESSION_COOKIE] ?? '') : ''),
        originSuffices: (req) => req.path.startsWith('/api/'),
        publicOrigin: deps.config.PUBLIC_URL,
      },
    ),
  );
  app.use(flashMiddleware);
  app.use((req, res, next) => {
    res.locals.principal = req.principal ?? null;
    res.locals.currentPath = req.path;
    res.locals.errors = {};
    res.locals.values = {};
    next();
  });

  mountRoutes(app, deps);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
