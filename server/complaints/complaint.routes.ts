/**
 * Pages of the complaints register: the year's list with its figures, a new entry (paper
 * form from the urn, website, e-mail, or a hall form typed in), editing an entry (its answer).
 * The agent's matricule is internal: shown to referents only, never to viewers nor in the API.
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { formatDate } from '../format';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import * as orgStore from '../org/org.store';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { COMPLAINT_CHANNELS, COMPLAINT_KINDS } from '../storage/schema';
import { COMPLAINT_DEADLINE_DAYS } from './complaint-calendar';
import { addFigures, EMPTY_FIGURES, figuresLine } from './complaint-figures';
import { CHANNEL_LABELS, KIND_LABELS, complaintSchema } from './complaint.schemas';
import * as svc from './complaint.service';
import * as store from './complaint.store';

export const BASE = '/reclamations';
const channels = COMPLAINT_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }));
const kinds = COMPLAINT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));

export function complaintRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(deps.clock.now());

  r.get(BASE, ...read, async (req, res) => {
    const orgId = orgOf(req);
    const year = typeof req.query.annee === 'string' && /^\d{4}$/.test(req.query.annee) ? req.query.annee : today().slice(0, 4);
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const [list, figures] = await Promise.all([store.listComplaints(deps.db, orgId, from, to), store.monthlyFigures(deps.db, orgId, from, to, today())]);
    const total = [...figures.values()].reduce(addFigures, EMPTY_FIGURES);
    const isReferent = principal(req).role === 'referent';
    res.render('complaints/index', {
      title: 'Suggestions et réclamations', year, isReferent, deadlineDays: COMPLAINT_DEADLINE_DAYS,
      figures: figuresLine(total),
      complaints: list.map(({ c, serviceName }) => ({
        id: c.id, received: formatDate(c.receivedOn), channel: CHANNEL_LABELS[c.channel], kind: KIND_LABELS[c.kind], service: serviceName ?? '–',
        answered: c.answeredOn ? formatDate(c.answeredOn) : 'en attente', delay: c.delayDays === null ? '–' : `${c.delayDays} j`,
        late: c.answeredOn ? c.answeredOn > c.deadlineOn : c.deadlineOn < today(),
        matricule: isReferent ? c.matricule ?? '' : undefined,
      })),
    });
  });

  const formView = async (req: Request) => ({
    channels, kinds,
    services: [{ value: '', label: '— non précisé —' }, ...(await orgStore.listServices(deps.db, orgOf(req))).map((s) => ({ value: s.id, label: s.name }))],
  });
  r.get(`${BASE}/nouvelle`, ...manage, async (req, res) => {
    res.render('complaints/edit', { title: 'Enregistrer une réclamation', ...(await formView(req)), action: `${BASE}/nouvelle`, values: { channel: 'papier', kind: 'reclamation', receivedOn: today() }, errors: {}, erased: false });
  });
  r.post(`${BASE}/nouvelle`, ...manage, validate(complaintSchema, { view: 'complaints/edit', viewModel: async (req) => ({ title: 'Enregistrer une réclamation', ...(await formView(req)), action: `${BASE}/nouvelle`, erased: false }) }), async (req, res) => {
    await svc.createComplaint(deps, orgOf(req), principal(req).userId, input(req, complaintSchema));
    flash(res, 'success', 'La réclamation est enregistrée.');
    res.redirect(303, BASE);
  });

  const editView = async (req: Request) => {
    const { c } = await svc.requireComplaint(deps, orgOf(req), uuidParam(req));
    return { title: 'Réclamation', ...(await formView(req)), action: `${BASE}/${c.id}`, erased: c.personalDataErasedAt !== null };
  };
  r.get(`${BASE}/:id`, ...manage, async (req, res) => {
    const { c } = await svc.requireComplaint(deps, orgOf(req), uuidParam(req));
    const values = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v ?? '']));
    res.render('complaints/edit', { ...(await editView(req)), values, errors: {} });
  });
  r.post(`${BASE}/:id`, ...manage, validate(complaintSchema, { view: 'complaints/edit', viewModel: editView }), async (req, res) => {
    await svc.updateComplaint(deps, orgOf(req), uuidParam(req), input(req, complaintSchema));
    flash(res, 'success', 'La réclamation est mise à jour.');
    res.redirect(303, BASE);
  });
  return r;
}
