/**
 * The national phone round's pages (national role only): /national/tournees (the rounds with
 * their progress, and the form of a new round) and /national/tournees/:id (progress pair by
 * pair). Setting up a round is the national team's only write.
 */
import { Router } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { principal, requireAuth, requireRole } from '../auth/policies';
import { roundSchema } from './national.schemas';
import { createRound, roundView, roundsView } from './round.service';

export function roundRouter(deps: Deps): Router {
  const r = Router();
  const guard = [requireAuth, requireRole('national')];
  const listView = async () => ({ title: 'Tournées nationales d’appels croisés', rounds: await roundsView(deps) });
  r.get('/national/tournees', ...guard, async (_req, res) => {
    res.render('national/rounds', { ...(await listView()), values: { callsPerNumber: '3', maxAttempts: '3', attemptWaitMinutes: '5', passMark: '7', voisins: 'eviter' }, errors: {} });
  });
  r.post('/national/tournees', ...guard, validate(roundSchema, { view: 'national/rounds', viewModel: listView }), async (req, res) => {
    const round = await createRound(deps, principal(req).userId, input(req, roundSchema));
    flash(res, 'success', 'La tournée est créée : chaque référent qualité la trouve parmi ses enquêtes téléphoniques et doit l’accepter.');
    res.redirect(303, `/national/tournees/${round.id}`);
  });
  r.get('/national/tournees/:id', ...guard, async (req, res) => {
    const model = await roundView(deps, uuidParam(req));
    res.render('national/round', { title: model.round.name, ...model });
  });
  return r;
}
