/** Pages: /mot-de-passe-oublie (ask for a link), /mot-de-passe/:token (choose a new password). */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { input, validate } from '../http/validate';
import { platformMailConfigured } from '../mail/platform-mailer';
import { findReset, requestReset, resetPassword, resetRequestSchema, resetSchema } from './password-reset';

export function passwordResetRouter(deps: Deps): Router {
  const r = Router();
  const askView = () => ({ title: 'Mot de passe oublié', configured: platformMailConfigured(deps.config), contact: deps.config.PLATFORM_CONTACT });
  const baseUrl = (req: Request) => deps.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;

  r.get('/mot-de-passe-oublie', (_req, res) => {
    res.render('auth/mot-de-passe-oublie', { ...askView(), sent: false, values: {}, errors: {} });
  });
  r.post('/mot-de-passe-oublie', validate(resetRequestSchema, { view: 'auth/mot-de-passe-oublie', viewModel: () => ({ ...askView(), sent: false }) }), async (req, res) => {
    const v = input(req, resetRequestSchema);
    await requestReset(deps, v.email, req.ip ?? 'unknown', baseUrl(req));
    // The same answer whether the address has an account or not.
    res.render('auth/mot-de-passe-oublie', { ...askView(), sent: true, values: {}, errors: {} });
  });

  const resetView = async (req: Request) => {
    const row = await findReset(deps, String(req.params.token));
    return { title: 'Nouveau mot de passe', email: row.email };
  };
  r.get('/mot-de-passe/:token', async (req, res) => {
    res.render('auth/nouveau-mot-de-passe', { ...(await resetView(req)), values: {}, errors: {} });
  });
  r.post('/mot-de-passe/:token', validate(resetSchema, { view: 'auth/nouveau-mot-de-passe', viewModel: resetView }), async (req, res) => {
    await resetPassword(deps, String(req.params.token), input(req, resetSchema).password);
    flash(res, 'success', 'Votre mot de passe est changé. Connectez-vous avec le nouveau.');
    res.redirect(303, '/connexion');
  });
  return r;
}
