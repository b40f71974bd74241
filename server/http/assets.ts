/**
 * Static assets served locally (no CDN): our own public/, the DSFR files pages use, and
 * SurveyJS's browser bundles. Compressed by the app, cacheable.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ASSETS_PREFIX, serveVersionedAsset } from './versioned-assets';

const DSFR_DIST = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const SURVEY_CORE = path.dirname(require.resolve('survey-core'));
const SURVEY_UI = path.dirname(require.resolve('survey-js-ui'));
export const PUBLIC_DIR = path.join(__dirname, '..', '..', 'public');

// The DSFR dist is 86 MB: expose only what pages use.
const DSFR_ALLOWED = /^\/(dsfr\.min\.css|dsfr\.module\.min\.js|dsfr\.nomodule\.min\.js|(fonts|icons|favicon)\/[\w./-]+|utility\/icons\/[\w./-]+)$/;
const SURVEY_ALLOWED = /^\/(survey\.core\.min\.js|survey-core\.fontless\.min\.css|i18n\/[a-z-]+\.min\.js)$/;
const SURVEY_UI_ALLOWED = /^\/survey-js-ui\.min\.js$/;

function only(pattern: RegExp, dir: string, maxAge: string) {
  const serve = express.static(dir, { maxAge, index: false, fallthrough: false });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!pattern.test(req.path) || req.path.includes('..')) return next();
    serve(req, res, next);
  };
}

export function mountAssets(app: { use: Router['use'] }) {
  // Versioned and precompressed (the visitor's survey page): immutable, never revalidated.
  app.use(ASSETS_PREFIX, serveVersionedAsset);
  app.use('/dsfr', only(DSFR_ALLOWED, DSFR_DIST, '7d'));
  app.use('/vendor/survey-core', only(SURVEY_ALLOWED, SURVEY_CORE, '7d'));
  app.use('/vendor/survey-js-ui', only(SURVEY_UI_ALLOWED, SURVEY_UI, '7d'));
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
}
