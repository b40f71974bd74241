/**
 * Pages of the town-hall appointment delays: the quarter's results with the map and the list
 * (`/mairies`), the printable map (`/mairies/carte`), and, for referents, the department, the
 * list's import or commune picker, a town hall's position, and the mystery checks.
 */
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { addQuarters, parseQuarter, quarterLabel, type Quarter } from '../quarters';
import { formatDate } from '../format';
import { TOWN_HALL_CHANNELS } from '../storage/schema';
import { DELAY_CLASSES } from './delays';
import { CHANNEL_LABELS, checkSchema, communesSchema, departmentSchema, positionSchema, quarterQuerySchema } from './town-hall.schemas';
import * as svc from './town-hall.service';

export const BASE = '/mairies';

export function townHallRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];
  const quarterOf = (req: Request): Quarter => parseQuarter(input(req, quarterQuerySchema).trimestre ?? '') ?? svc.currentQuarter(deps);

  const pageModel = async (req: Request, q: Quarter) => {
    const orgId = orgOf(req);
    const [dept, results] = await Promise.all([svc.departmentOf(deps, orgId), svc.quarterResults(deps, orgId, q)]);
    const [trend, map] = await Promise.all([svc.trend(deps, orgId, q), svc.mapSvg(deps, orgId, q, results)]);
    return {
      title: `Délais de rendez-vous en mairie : ${quarterLabel(q)}`, dept, results, trend, map, classes: DELAY_CLASSES,
      quarterId: q.id, previous: addQuarters(q, -1).id, next: addQuarters(q, 1).id,
      isReferent: principal(req).role === 'referent', orgName: principal(req).orgName ?? '', printedOn: formatDate(deps.clock.now()),
      importProblems: [] as unknown[], errors: {}, values: {},
    };
  };

  r.get(BASE, ...read, validate(quarterQuerySchema, { source: 'query' }), async (req, res) => {
    res.render('town-halls/index', await pageModel(req, quarterOf(req)));
  });
  r.get(`${BASE}/carte`, ...read, validate(quarterQuerySchema, { source: 'query' }), async (req, res) => {
    res.render('town-halls/map', await pageModel(req, quarterOf(req)));
  });

  r.post(`${BASE}/departement`, ...manage, validate(departmentSchema, { view: 'town-halls/index', viewModel: (req) => pageModel(req, svc.currentQuarter(deps)) }), async (req, res) => {
    const ok = await svc.setDepartment(deps, orgOf(req), input(req, departmentSchema).departmentCode);
    if (!ok) {
      res.status(422).render('town-halls/index', { ...(await pageModel(req, svc.currentQuarter(deps))), errors: { departmentCode: 'Département inconnu.' }, values: req.body });
      return;
    }
    flash(res, 'success', 'Le département est enregistré.');
    res.redirect(303, BASE);
  });

  r.post(`${BASE}/import`, ...manage, async (req, res) => {
    try {
      const result = await svc.importTownHalls(deps, orgOf(req), req.file);
      flash(res, 'success', addedMessage(result));
      res.redirect(303, BASE);
    } catch (err) {
      if (!(err instanceof svc.ImportRejected)) throw err;
      res.status(422).render('town-halls/index', { ...(await pageModel(req, svc.currentQuarter(deps))), importProblems: err.problems, errors: { _: 'Le fichier n’a pas été importé : corrigez les lignes signalées et déposez-le à nouveau.' } });
    }
  });

  const communesView = async (req: Request) => ({ title: 'Choisir les mairies parmi les communes', ...(await svc.communeChoices(deps, orgOf(req))) });
  r.get(`${BASE}/communes`, ...manage, async (req, res) => {
    res.render('town-halls/communes', { ...(await communesView(req)), errors: {} });
  });
  r.post(`${BASE}/communes`, ...manage, validate(communesSchema, { view: 'town-halls/communes', viewModel: communesView }), async (req, res) => {
    const result = await svc.addCommunes(deps, orgOf(req), input(req, communesSchema).codes);
    flash(res, 'success', addedMessage(result));
    res.redirect(303, BASE);
  });

  const channels = TOWN_HALL_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }));
  const checkView = async (req: Request) => {
    const results = await svc.quarterResults(deps, orgOf(req), svc.currentQuarter(deps));
    return { title: 'Enregistrer un contrôle de mairie', channels, halls: results.rows.map((h) => ({ value: h.id, label: h.name })) };
  };
  r.get(`${BASE}/controles/nouveau`, ...manage, async (req, res) => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(deps.clock.now());
    const hall = typeof req.query.mairie === 'string' ? req.query.mairie : '';
    res.render('town-halls/check', { ...(await checkView(req)), values: { checkedOn: today, channel: 'online', townHallId: hall }, errors: {} });
  });
  r.post(`${BASE}/controles`, ...manage, validate(checkSchema, { view: 'town-halls/check', viewModel: checkView }), async (req, res) => {
    const v = input(req, checkSchema);
    await svc.recordCheck(deps, orgOf(req), principal(req).userId, v);
    flash(res, 'success', 'Le contrôle est enregistré.');
    res.redirect(303, `${BASE}?trimestre=${encodeURIComponent(quarterIdOf(v.checkedOn))}`);
  });
  r.post(`${BASE}/controles/:id/supprimer`, ...manage, async (req, res) => {
    await svc.removeCheck(deps, orgOf(req), uuidParam(req));
    flash(res, 'success', 'Le contrôle est supprimé.');
    res.redirect(303, BASE);
  });

  const editView = async (req: Request) => {
    const t = await svc.requireTownHall(deps, orgOf(req), uuidParam(req));
    return { title: `Mairie de ${t.name}`, hall: t };
  };
  r.get(`${BASE}/:id`, ...manage, async (req, res) => {
    const view = await editView(req);
    res.render('town-halls/edit', { ...view, values: { lat: view.hall.lat === null ? '' : String(view.hall.lat).replace('.', ','), lon: view.hall.lon === null ? '' : String(view.hall.lon).replace('.', ',') }, errors: {} });
  });
  r.post(`${BASE}/:id`, ...manage, validate(positionSchema, { view: 'town-halls/edit', viewModel: editView }), async (req, res) => {
    const v = input(req, positionSchema);
    await svc.setPosition(deps, orgOf(req), uuidParam(req), v.lat, v.lon);
    flash(res, 'success', 'La position de la mairie est enregistrée.');
    res.redirect(303, BASE);
  });
  r.post(`${BASE}/:id/supprimer`, ...manage, async (req, res: Response) => {
    await svc.removeTownHall(deps, orgOf(req), uuidParam(req));
    flash(res, 'success', 'La mairie est retirée de la liste, avec ses contrôles.');
    res.redirect(303, BASE);
  });
  return r;
}

function quarterIdOf(day: string): string {
  return `${day.slice(0, 4)}-T${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

function addedMessage(r: svc.AddResult): string {
  const added = r.added === 0 ? 'Aucune mairie ajoutée (déjà dans la liste).' : `${r.added} mairie${r.added > 1 ? 's' : ''} ajoutée${r.added > 1 ? 's' : ''}.`;
  return r.unmatched.length ? `${added} Sans position connue (à placer à la main) : ${r.unmatched.join(', ')}.` : added;
}
