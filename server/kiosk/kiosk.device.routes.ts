/**
 * What a kiosk tablet calls with its enrolment link (no session, no cookie, no CSRF: the
 * secret link is the credential): the kiosk page, its service worker, answer submission and
 * heartbeat. See server/kiosk/README.md for the contract.
 */
import { surveyPageInfo } from '../compliance/compliance.service';
import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { PUBLIC_DIR } from '../http/assets';
import { SUBMISSION_BODY_LIMIT, jsonBody, withRetryAfter } from '../surveys/submission-http';
import { buildSurveyPage, outOfServicePage, precacheList, type SurveyPageModel } from '../surveys/survey-page';
import { ensureCurrentVersion, getSurvey } from '../surveys/surveys.service';
import { heartbeatSchema } from './kiosk.schemas';
import * as svc from './kiosk.service';
import type { KioskRow } from './kiosk.store';

/** The kiosk endpoint's own body limit, well under the app's 64 kB. */
export const KIOSK_BODY_LIMIT = SUBMISSION_BODY_LIMIT;

const SW_SOURCE = path.join(PUBLIC_DIR, 'kiosk', 'sw.js');

export function kioskPageModel(deps: Deps, kiosk: KioskRow, token: string): SurveyPageModel {
  const survey = getSurvey(deps, kiosk.surveyId);
  if (!survey) throw new AppError(404, 'not_found', 'Questionnaire introuvable.');
  const base = svc.kioskPath(token);
  // Languages the kiosk offers that the current survey version still has.
  const offered = kiosk.locales.filter((l) => survey.locales.includes(l));
  return buildSurveyPage({
    mode: 'kiosk',
    queueScope: kiosk.id,
    survey,
    locales: offered.length ? offered : [...survey.locales],
    inactivitySeconds: kiosk.inactivitySeconds,
    status: kiosk.status === 'paused' ? 'paused' : 'active',
    submitUrl: `${base}/reponses`,
    heartbeatUrl: `${base}/etat`,
    serviceWorker: { url: `${base}/sw.js`, scope: base },
  });
}

export function kioskDeviceRouter(deps: Deps): Router {
  const r = Router();
  const swSource = fs.readFileSync(SW_SOURCE, 'utf8');

  r.get('/kiosque/:token', async (req, res) => {
    const token = String(req.params.token);
    const kiosk = await svc.kioskByToken(deps, token);
    if (!kiosk || !getSurvey(deps, kiosk.surveyId)) {
      // A visitor in front of a revoked tablet sees a neutral sentence, never the back office.
      res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
      return res.status(404).render('kiosk/hors-service', outOfServicePage('kiosk'));
    }
    // The version this page shows must be known when its answers come back, maybe much later.
    await ensureCurrentVersion(deps, getSurvey(deps, kiosk.surveyId)!);
    res.set({ 'Cache-Control': 'no-cache', 'X-Robots-Tag': 'noindex' });
    res.locals.surveyInfo = await surveyPageInfo(deps, kiosk.orgId); // compliance: « Informations » panel
    res.render('kiosk/kiosque', kioskPageModel(deps, kiosk, token));
  });

  r.get('/kiosque/:token/sw.js', async (req, res) => {
    const token = String(req.params.token);
    const kiosk = await svc.requireKioskByToken(deps, token);
    const model = kioskPageModel(deps, kiosk, token);
    const scope = svc.kioskPath(token);
    const head = `const QM_CACHE_PREFIX = ${JSON.stringify(`qm-kiosk:${kiosk.id}:`)};\n`
      + `const QM_CACHE = QM_CACHE_PREFIX + ${JSON.stringify(model.pageVersion)};\n`
      + `const QM_PAGE = ${JSON.stringify(scope)};\n`
      + `const QM_PRECACHE = ${JSON.stringify(precacheList(scope, model))};\n`;
    res.set({
      'Content-Type': 'text/javascript; charset=utf-8',
      'Service-Worker-Allowed': scope,
      'Cache-Control': 'no-cache',
    });
    res.send(head + swSource);
  });

  return r;
}

/**
 * What a tablet posts (answer sets, heartbeat): JSON in, JSON out, mounted ahead of the page
 * plumbing (see routes.ts mountSubmissionRoutes).
 */
export function kioskSubmissionRouter(deps: Deps): Router {
  const r = Router();
  r.post('/kiosque/:token/reponses', jsonBody(KIOSK_BODY_LIMIT), async (req, res) => {
    const outcome = await svc.submitFromKiosk(deps, String(req.params.token), req.body).catch(withRetryAfter(res));
    res.status(outcome === 'created' ? 201 : 200).json({ id: String(req.body.id).toLowerCase(), status: outcome });
  });

  r.post('/kiosque/:token/etat', jsonBody(1024), async (req, res) => {
    const parsed = heartbeatSchema.safeParse(req.body ?? {});
    const kiosk = await svc.heartbeat(deps, String(req.params.token), parsed.success ? parsed.data : {}).catch(withRetryAfter(res));
    res.json({ status: kiosk.status, pageVersion: kioskPageModel(deps, kiosk, String(req.params.token)).pageVersion });
  });
  return r;
}
