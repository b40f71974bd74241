/**
 * Pages: /connexion, /deconnexion, /invitation/:token, /compte/jetons (personal API tokens).
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { input, validate } from '../http/validate';
import { formatDateTime } from '../format';
import { AppError } from '../errors';
import { uuidParam } from '../http/params';
import { acceptInvitationSchema, loginSchema, tokenCreateSchema } from './auth.schemas';
import * as auth from './auth.service';
import * as store from './auth.store';
import { SESSION_COOKIE } from './auth.middleware';
import { ROLE_LABELS, orgOf, principal, requireAuth } from './policies';

/** Only same-site relative paths are followed after login (no open redirect). */
function safeReturn(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[^\s\\]*$/.test(v) ? v : '/';
}

export function authRouter(deps: Deps): Router {
  const r = Router();
  const cookieOpts = () => ({
    signed: true, httpOnly: true, sameSite: 'lax' as const, path: '/',
    secure: deps.config.secureCookies, maxAge: deps.config.SESSION_TTL_HOURS * 3600_000,
  });

  r.get('/connexion', (req, res) => {
    if (req.principal) return res.redirect(303, '/');
    res.render('auth/connexion', { title: 'Connexion', values: { retour: req.query.retour ?? '' }, errors: {} });
  });

  r.post('/connexion', validate(loginSchema, { view: 'auth/connexion', viewModel: () => ({ title: 'Connexion' }) }), async (req, res) => {
    const v = input(req, loginSchema);
    try {
      const { cookie } = await auth.login(deps, v.email, v.password, req.ip ?? 'unknown');
      res.cookie(SESSION_COOKIE, cookie, cookieOpts());
      res.redirect(303, safeReturn(v.retour));
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 401 && err.status !== 429 && err.code !== 'proconnect_required' && err.code !== 'organisation_deactivated')) throw err;
      res.status(err.status).render('auth/connexion', {
        title: 'Connexion', values: { email: v.email, retour: v.retour }, errors: { _: err.message },
      });
    }
  });

  r.post('/deconnexion', async (req, res) => {
    if (req.principal?.sessionId) await auth.logout(deps, req.principal.sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    flash(res, 'info', 'Vous êtes déconnecté.');
    res.redirect(303, '/connexion');
  });

  const invitationView = async (req: Request) => {
    const { inv, orgName } = await auth.findInvitation(deps, String(req.params.token));
    return { title: 'Invitation', email: inv.email, orgName, roleLabel: ROLE_LABELS[inv.role] };
  };
  r.get('/invitation/:token', async (req, res) => {
    res.render('auth/invitation', { ...(await invitationView(req)), values: {}, errors: {} });
  });
  r.post('/invitation/:token', validate(acceptInvitationSchema, { view: 'auth/invitation', viewModel: invitationView }), async (req, res) => {
    const v = input(req, acceptInvitationSchema);
    await auth.acceptInvitation(deps, String(req.params.token), v.displayName, v.password);
    flash(res, 'success', 'Votre compte est créé. Connectez-vous.');
    res.redirect(303, '/connexion');
  });

  // Personal API tokens -------------------------------------------------------------------------
  const tokensView = async (req: Request) => {
    const p = principal(req);
    const rows = p.orgId && p.userId ? await store.listUserTokens(deps.db, p.orgId, p.userId) : [];
    return {
      title: 'Jetons d’accès à l’API',
      tokens: rows.map((t) => ({
        id: t.id, name: t.name, prefix: t.prefix, role: ROLE_LABELS[t.role],
        createdAt: formatDateTime(t.createdAt), lastUsedAt: t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'jamais',
      })),
      roleChoices: [p.role, ...(p.role === 'viewer' ? [] : ['viewer'])].map((r) => ({ value: r, label: ROLE_LABELS[r as keyof typeof ROLE_LABELS] })),
      newToken: null as string | null,
    };
  };
  r.get('/compte/jetons', requireAuth, async (req, res) => {
    orgOf(req);
    res.render('auth/jetons', { ...(await tokensView(req)), values: {}, errors: {} });
  });
  r.post('/compte/jetons', requireAuth, validate(tokenCreateSchema, { view: 'auth/jetons', viewModel: tokensView }), async (req, res) => {
    const p = principal(req);
    const v = input(req, tokenCreateSchema);
    const { token } = await auth.createApiToken(deps, orgOf(req), { userId: p.userId, userRole: p.role, name: v.name, role: v.role ?? p.role });
    // Shown once, on this response only: never stored in clear, never put in a redirect URL.
    res.status(201).render('auth/jetons', { ...(await tokensView(req)), newToken: token, values: {}, errors: {} });
  });
  r.post('/compte/jetons/:id/revoquer', requireAuth, async (req, res) => {
    const p = principal(req);
    const ok = p.userId && (await store.revokeUserToken(deps.db, orgOf(req), p.userId, uuidParam(req), deps.clock.now()));
    if (!ok) throw new AppError(404, 'not_found', 'Jeton introuvable.');
    flash(res, 'success', 'Le jeton est révoqué.');
    res.redirect(303, '/compte/jetons');
  });
  return r;
}
