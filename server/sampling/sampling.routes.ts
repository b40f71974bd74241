/**
 * `/indicateurs/echantillonnage` (referent): the service mailboxes, a form to sample a month
 * (mailbox, month, rule — by default a week drawn at random), which queues the `sampling.run`
 * job, and the latest runs. `/indicateurs/echantillonnage/:runId`: a run's messages (no
 * content) and `/…/:runId/messages/:id`: a doubtful message opened live from the mailbox, with
 * the referent's decision.
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { formatDateTime, formatNumber } from '../format';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { listMailboxes } from '../campaigns/mailbox.store';
import { requireMailbox } from '../campaigns/mailbox.service';
import { monthLabel, previousMonth } from '../indicators/board';
import { weekLabel } from './sampling-rule';
import { requestSampling } from './sampling.job';
import { openLive, recordDecision, requireSampled } from './sampling-review.service';
import { reviewSchema, samplingSchema } from './sampling.schemas';
import { messagePageModel, result, ruleText, runPageModel } from './sampling.views';
import { notFound } from '../errors';
import * as store from './sampling.store';

export const SAMPLING_PATH = '/indicateurs/echantillonnage';

export function samplingRouter(deps: Deps): Router {
  const r = Router();
  const manage = [requireAuth, requireRole('referent')];
  const view = async (req: Request) => {
    const orgId = orgOf(req);
    const [mailboxes, runs] = await Promise.all([listMailboxes(deps.db, orgId), store.listRuns(deps.db, orgId)]);
    return {
      title: 'Échantillonnage du courrier réel',
      mailboxes: mailboxes.map((m) => ({ id: m.id, label: `${m.displayName} (${m.address})` })),
      defaultMonth: previousMonth(deps.clock.now()).slice(0, 7),
      runs: runs.map((x) => ({
        href: `${SAMPLING_PATH}/${x.id}`,
        month: monthLabel(x.month), mailbox: x.mailbox, rule: ruleText(x.rule, { at: x.drawnAt, by: null }),
        sampled: formatNumber(x.counted, 0), excluded: formatNumber(x.excluded, 0), failed: formatNumber(x.failed, 0),
        result: result(x.within, x.counted), doubtful: formatNumber(x.doubtful, 0),
        ranAt: formatDateTime(x.ranAt),
      })),
    };
  };
  r.get(SAMPLING_PATH, ...manage, async (req, res) => {
    res.render('indicators/sampling', { ...(await view(req)), values: {}, errors: {} });
  });
  r.post(SAMPLING_PATH, ...manage, validate(samplingSchema, { view: 'indicators/sampling', viewModel: view }), async (req, res) => {
    const v = input(req, samplingSchema);
    const orgId = orgOf(req);
    await requireMailbox(deps, orgId, v.mailboxId);
    const queued = await requestSampling(deps, orgId, { ...v, userId: principal(req).userId });
    const drawn = queued.rule.kind === 'random-week' ? ` Semaine tirée au sort : ${weekLabel(queued.rule.monday)}.` : '';
    flash(res, 'success', `L’échantillonnage de ${monthLabel(v.month)} est lancé.${drawn} Le résultat apparaîtra ici et au tableau du mois dans quelques minutes.`);
    res.redirect(303, SAMPLING_PATH);
  });

  r.get(`${SAMPLING_PATH}/:runId`, ...manage, async (req, res) => {
    const orgId = orgOf(req);
    const runId = uuidParam(req, 'runId');
    const run = await store.getRunView(deps.db, orgId, runId);
    if (!run) throw notFound('Échantillonnage');
    res.render('indicators/sampling-run', runPageModel(SAMPLING_PATH, run, await store.sampledOfRun(deps.db, orgId, runId)));
  });

  const messageView = async (req: Request) => {
    const orgId = orgOf(req);
    const runId = uuidParam(req, 'runId');
    const id = uuidParam(req, 'id');
    const sampled = await requireSampled(deps, orgId, runId, id);
    return messagePageModel(SAMPLING_PATH, sampled, await openLive(deps, orgId, runId, id));
  };
  r.get(`${SAMPLING_PATH}/:runId/messages/:id`, ...manage, async (req, res) => {
    const model = await messageView(req);
    // The mailbox is someone else's server: its failure is a bad gateway, said on the page.
    res.status(model.failure ? 502 : 200).render('indicators/sampling-message', { ...model, values: {}, errors: {} });
  });
  r.post(`${SAMPLING_PATH}/:runId/messages/:id`, ...manage, validate(reviewSchema, { view: 'indicators/sampling-message', viewModel: messageView }), async (req, res) => {
    const orgId = orgOf(req);
    const runId = uuidParam(req, 'runId');
    const id = uuidParam(req, 'id');
    const v = input(req, reviewSchema);
    const done = await recordDecision(deps, orgId, runId, id, principal(req).userId, v);
    if (!done.ok) {
      const sampled = await requireSampled(deps, orgId, runId, id);
      res.status(502).render('indicators/sampling-message', { ...messagePageModel(SAMPLING_PATH, sampled, done), values: req.body ?? {}, errors: {} });
      return;
    }
    flash(res, 'success', 'La décision est enregistrée : le tableau du mois en tient compte.');
    res.redirect(303, `${SAMPLING_PATH}/${runId}`);
  });
  return r;
}
