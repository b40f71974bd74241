/**
 * Pages of the Programme Transparence: the quarter's table (`/transparence?trimestre=2019-T3`)
 * with the referent's typing, import and publication, the hall poster, and the public page
 * `/nos-resultats/<code>/transparence` (published quarters only; no login).
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { notFound, ValidationError } from '../errors';
import { flash } from '../http/flash';
import { validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { formatDate } from '../format';
import { addQuarters, parseQuarter, quarterLabel, type Quarter } from '../quarters';
import { currentQuarter } from '../town-halls/town-hall.service';
import { quarterQuerySchema } from '../town-halls/town-hall.schemas';
import { transparenceMeasures } from './measures';
import * as svc from './transparence.service';

const BASE = '/transparence';

export function transparenceRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];
  const quarterOf = (req: Request): Quarter => parseQuarter(String((req.valid as { trimestre?: string } | undefined)?.trimestre ?? req.body?.trimestre ?? '')) ?? addQuarters(currentQuarter(deps), -1);

  const model = async (req: Request, q: Quarter) => {
    const orgId = orgOf(req);
    const [table, published] = await Promise.all([svc.quarterTable(deps, orgId, q), svc.publishedQuarters(deps, orgId)]);
    const values: Record<string, string> = {};
    for (const row of table.rows) if (row.value !== null) values[`value:${row.id}`] = String(Math.round(row.value * 10) / 10).replace('.', ',');
    return {
      title: `Programme Transparence : ${table.label}`, table, quarterId: q.id, previous: addQuarters(q, -1).id, next: addQuarters(q, 1).id,
      typed: transparenceMeasures().filter((m) => m.source === 'typed'), published: published.includes(q.id),
      isReferent: principal(req).role === 'referent', orgName: principal(req).orgName ?? '', orgCode: principal(req).orgCode ?? '',
      printedOn: formatDate(deps.clock.now()), minCell: deps.config.MIN_CELL_SIZE, values, errors: {}, importProblems: [] as unknown[],
    };
  };

  r.get(BASE, ...read, validate(quarterQuerySchema, { source: 'query' }), async (req, res) => {
    res.render('transparence/index', await model(req, quarterOf(req)));
  });
  r.get(`${BASE}/affiche`, ...read, validate(quarterQuerySchema, { source: 'query' }), async (req, res) => {
    res.render('transparence/poster', await model(req, quarterOf(req)));
  });
  r.post(`${BASE}/saisie`, ...manage, async (req, res) => {
    const q = parseQuarter(String(req.body?.trimestre ?? ''));
    if (!q) throw notFound('Trimestre');
    try {
      await svc.typeValues(deps, orgOf(req), principal(req).userId, q, req.body ?? {});
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(422).render('transparence/index', { ...(await model(req, q)), values: req.body, errors: err.fieldErrors });
      return;
    }
    flash(res, 'success', 'Les valeurs du trimestre sont enregistrées.');
    res.redirect(303, `${BASE}?trimestre=${q.id}`);
  });
  r.post(`${BASE}/import`, ...manage, async (req, res) => {
    try {
      const n = await svc.importValues(deps, orgOf(req), principal(req).userId, req.file);
      flash(res, 'success', `${n} valeur${n > 1 ? 's' : ''} importée${n > 1 ? 's' : ''}.`);
      res.redirect(303, BASE);
    } catch (err) {
      if (!(err instanceof svc.TransparenceImportRejected)) throw err;
      res.status(422).render('transparence/index', { ...(await model(req, addQuarters(currentQuarter(deps), -1))), importProblems: err.problems, errors: { _: 'Le fichier n’a pas été importé : corrigez les lignes signalées et déposez-le à nouveau.' } });
    }
  });
  r.post(`${BASE}/publication`, ...manage, async (req, res) => {
    const q = parseQuarter(String(req.body?.trimestre ?? ''));
    if (!q) throw notFound('Trimestre');
    if (req.body?.action === 'retirer') await svc.unpublish(deps, orgOf(req), q);
    else await svc.publish(deps, orgOf(req), q);
    flash(res, 'success', req.body?.action === 'retirer' ? 'Le trimestre n’est plus publié.' : 'Le trimestre est publié sur la page publique.');
    res.redirect(303, `${BASE}?trimestre=${q.id}`);
  });
  return r;
}

export function publicTransparenceRouter(deps: Deps): Router {
  const r = Router();
  r.get('/nos-resultats/:code/transparence', async (req, res) => {
    const code = String(req.params.code);
    if (!/^[0-9A-Za-z]{2,3}$/.test(code)) throw notFound('Page');
    const org = await svc.orgByCode(deps, code.toUpperCase());
    if (!org) throw notFound('Page');
    const published = await svc.publishedQuarters(deps, org.id);
    const wanted = typeof req.query.trimestre === 'string' ? req.query.trimestre : published[0];
    if (!wanted || !published.includes(wanted)) throw notFound('Page');
    const table = await svc.quarterTable(deps, org.id, parseQuarter(wanted)!);
    res.render('transparence/public', {
      title: `Programme Transparence – ${org.name}`, orgName: org.name, table, code: code.toUpperCase(),
      others: published.filter((q) => q !== wanted).map((q) => ({ id: q, label: quarterLabel(parseQuarter(q)!) })), minCell: deps.config.MIN_CELL_SIZE,
    });
  });
  return r;
}

