/**
 * ProConnect pages: /proconnect/connexion (leave for ProConnect), /proconnect/retour (come back
 * with a code), /proconnect/deconnexion (come back from ProConnect's logout), the admin switch
 * « ProConnect obligatoire » per organisation. Mounted before authRouter: its POST /deconnexion
 * handles sessions opened through ProConnect (logout ends both sessions) and passes the others on.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps';
import { AppError, notFound } from '../errors';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { SESSION_COOKIE } from './auth.middleware';
import * as authStore from './auth.store';
import { requireAuth, requireRole } from './policies';
import { proconnectClient, type LoginTransaction, type ProConnectIdentity } from './proconnect.client';
import { PROCONNECT_REQUIRED_MESSAGE, ProConnectError, STEP_LABEL, classifyProConnectError } from './proconnect.errors';
import { findInvitation } from './auth.service';
import { loginWithProConnect } from './proconnect.service';
import * as store from './proconnect.store';

const TX_COOKIE = 'qm_pc_tx';
const LOGOUT_COOKIE = 'qm_pc_logout';
const REFUSED_COOKIE = 'qm_pc_refused';
const TX_TTL_MS = 10 * 60_000;

/** Only same-site relative paths are followed after login (no open redirect); as auth.routes. */
function safeReturn(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[^\s\\]*$/.test(v) ? v : '/';
}

const startSchema = z.object({
  retour: z.string().max(500).optional(),
  invitation: z.string().regex(/^[\w-]{20,100}$/).optional(),
});
const txSchema = z.object({
  state: z.string().min(1), nonce: z.string().min(1), verifier: z.string().min(1),
  retour: z.string().optional(), invitation: z.string().optional(),
});

export function proconnectRouter(deps: Deps): Router {
  const r = Router();
  const settings = deps.config.proconnect;
  const shortCookie = (path: string) => ({
    signed: true, httpOnly: true, sameSite: 'lax' as const, path, secure: deps.config.secureCookies, maxAge: TX_TTL_MS,
  });
  const sessionCookie = () => ({
    signed: true, httpOnly: true, sameSite: 'lax' as const, path: '/',
    secure: deps.config.secureCookies, maxAge: deps.config.SESSION_TTL_HOURS * 3600_000,
  });

  // Pages decide whether to draw the ProConnect button from this.
  r.use((_req, res, next) => {
    res.locals.proconnectEnabled = Boolean(settings);
    next();
  });

  // Invitations: offer « accept with ProConnect »; in an organisation that requires
  // ProConnect, no password account can be created (the password form is not shown either).
  r.use('/invitation/:token', async (req, res, next) => {
    res.locals.invitationToken = String(req.params.token);
    if (!settings) return next();
    let orgId: string | undefined;
    try {
      orgId = (await findInvitation(deps, String(req.params.token))).inv.orgId;
    } catch {
      return next(); // authRouter answers an unknown invitation
    }
    res.locals.proconnectOnly = await store.isProConnectRequired(deps.db, orgId);
    if (res.locals.proconnectOnly && req.method === 'POST') throw new AppError(403, 'proconnect_required', PROCONNECT_REQUIRED_MESSAGE);
    next();
  });

  const enabled = () => {
    if (!settings) throw notFound('Page');
    return proconnectClient(settings);
  };

  const renderFailure = (res: Response, err: ProConnectError, proconnectLogout = false) => {
    res.status(err.status).render('auth/proconnect-erreur', { title: 'Connexion avec ProConnect impossible', message: err.message, code: err.code, proconnectLogout });
  };

  r.post('/proconnect/connexion', async (req, res) => {
    const client = enabled();
    const v = startSchema.safeParse(req.body ?? {});
    if (!v.success) throw new AppError(400, 'bad_request', 'Demande de connexion invalide.');
    let started;
    try {
      started = await client.authorizationUrl();
    } catch (err) {
      return renderFailure(res, classifyProConnectError('discovery', err));
    }
    const tx = { ...started.tx, retour: v.data.retour, invitation: v.data.invitation };
    res.cookie(TX_COOKIE, JSON.stringify(tx), shortCookie('/proconnect'));
    res.redirect(303, started.url);
  });

  r.get('/proconnect/retour', async (req, res) => {
    const client = enabled();
    const raw = req.signedCookies?.[TX_COOKIE];
    res.clearCookie(TX_COOKIE, { path: '/proconnect' });
    let tx: (LoginTransaction & { retour?: string; invitation?: string }) | undefined;
    try {
      tx = typeof raw === 'string' ? txSchema.parse(JSON.parse(raw)) : undefined;
    } catch {
      tx = undefined;
    }
    if (!tx) return renderFailure(res, classifyProConnectError('state', new Error('no login transaction')));
    // The URL ProConnect redirected to is our registered redirect URI plus its query.
    const current = new URL(settings!.redirectUri);
    current.search = new URL(req.originalUrl, 'http://localhost').search;
    let identity: ProConnectIdentity | undefined;
    try {
      identity = await client.callback(current, tx);
      const result = await loginWithProConnect(deps, identity, { invitationToken: tx.invitation, previousSessionId: req.principal?.sessionId });
      if (result.kind === 'unknown') {
        keepForLogout(res, identity.idToken);
        return res.status(403).render('auth/proconnect-inconnu', { title: 'Aucun compte Qualimètre pour cet agent', email: result.email, proconnectLogout: true });
      }
      res.cookie(SESSION_COOKIE, result.cookie, sessionCookie());
      if (result.invited) flash(res, 'success', 'Votre compte est créé : vous êtes connecté avec ProConnect.');
      res.redirect(303, safeReturn(tx.retour));
    } catch (err) {
      if (err instanceof ProConnectError) {
        deps.logger.warn({ module: 'proconnect', step: err.step, code: err.code }, 'ProConnect login refused');
        // Refused once ProConnect had logged the agent in: offer to end that session too.
        if (identity) keepForLogout(res, identity.idToken);
        return renderFailure(res, err, Boolean(identity));
      }
      throw err;
    }
  });

  /**
   * An agent refused by Qualimètre is still logged in at ProConnect: the refusal page offers to
   * end that session (to come back with another account). The ID token waits for that in a
   * signed, HttpOnly, 10-minute cookie scoped to /proconnect.
   */
  function keepForLogout(res: Response, idToken: string) {
    res.cookie(REFUSED_COOKIE, idToken, shortCookie('/proconnect'));
  }

  r.post('/proconnect/abandon', async (req, res) => {
    const client = enabled();
    const idToken = req.signedCookies?.[REFUSED_COOKIE];
    res.clearCookie(REFUSED_COOKIE, { path: '/proconnect' });
    if (typeof idToken !== 'string' || !idToken) return res.redirect(303, '/connexion');
    try {
      const state = await client.randomState();
      const url = await client.endSessionUrl(idToken, state);
      res.cookie(LOGOUT_COOKIE, state, shortCookie('/proconnect'));
      res.redirect(303, url);
    } catch (err) {
      renderFailure(res, classifyProConnectError('logout', err));
    }
  });

  // Logout of a session opened through ProConnect: end ours, then ProConnect's.
  r.post('/deconnexion', async (req: Request, res: Response, next) => {
    const sessionId = req.principal?.sessionId;
    const pcs = settings && sessionId ? await store.findProConnectSession(deps.db, sessionId) : undefined;
    if (!pcs || !sessionId) return next();
    await authStore.deleteSession(deps.db, sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    try {
      const client = proconnectClient(settings!);
      const state = await client.randomState();
      const url = await client.endSessionUrl(pcs.idToken, state);
      res.cookie(LOGOUT_COOKIE, state, shortCookie('/proconnect'));
      res.redirect(303, url);
    } catch (err) {
      const e = classifyProConnectError('logout', err);
      deps.logger.warn({ module: 'proconnect', step: e.step, code: e.code }, 'ProConnect logout not reached');
      flash(res, 'info', `Vous êtes déconnecté de Qualimètre, mais pas de ProConnect (étape : ${STEP_LABEL.logout}) : fermez votre navigateur pour terminer la session ProConnect.`);
      res.redirect(303, '/connexion');
    }
  });

  r.get('/proconnect/deconnexion', (req, res) => {
    enabled();
    const expected = req.signedCookies?.[LOGOUT_COOKIE];
    res.clearCookie(LOGOUT_COOKIE, { path: '/proconnect' });
    if (typeof expected === 'string' && req.query.state === expected) {
      flash(res, 'success', 'Vous êtes déconnecté de Qualimètre et de ProConnect.');
    } else {
      flash(res, 'info', `Vous êtes déconnecté de Qualimètre. Le retour de ProConnect n’a pas pu être vérifié (étape : ${STEP_LABEL.logout}).`);
    }
    res.redirect(303, '/connexion');
  });

  // Admin: require ProConnect for an organisation --------------------------------------------
  r.post('/admin/organisations/:id/proconnect', requireAuth, requireRole('admin'), async (req, res) => {
    enabled();
    const required = req.body?.required === '1';
    if (!(await store.setProConnectRequired(deps.db, uuidParam(req), required))) throw notFound('Organisation');
    flash(res, 'success', required
      ? 'La connexion avec ProConnect est désormais obligatoire pour cette organisation.'
      : 'La connexion par mot de passe est de nouveau permise pour cette organisation.');
    res.redirect(303, '/admin/organisations');
  });

  return r;
}
