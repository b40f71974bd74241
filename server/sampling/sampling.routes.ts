/**
 * `/indicateurs/echantillonnage` (referent): the service mailboxes, a form to sample a month
 * (mailbox, month, rule), which queues the `sampling.run` job, and the latest runs.
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { formatDateTime, formatNumber } from '../format';
import { flash } from '../http/flash';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { listMailboxes } from '../campaigns/mailbox.store';
import { requireMailbox } from '../campaigns/mailbox.service';
import { monthLabel, previousMonth } from '../indicators/board';
import { parseRule, ruleLabel } from './sampling';
import { requestSampling } from './sampling.job';
import { samplingSchema } from './sampling.schemas';
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
      runs: runs.map((x) => {
        const rule = parseRule(x.rule);
        return {
          month: monthLabel(x.month), mailbox: x.mailbox, rule: rule ? ruleLabel(rule) : x.rule,
          sampled: formatNumber(x.sampled, 0), excluded: formatNumber(x.excluded, 0), failed: formatNumber(x.failed, 0),
          result: x.sampled ? `${x.within} / ${x.sampled} (${formatNumber((100 * x.within) / x.sampled, 0)} %)` : '–',
          ranAt: formatDateTime(x.ranAt),
        };
      }),
    };
  };
  r.get(SAMPLING_PATH, ...manage, async (req, res) => {
    res.render('indicators/sampling', { ...(await view(req)), values: {}, errors: {} });
  });
  r.post(SAMPLING_PATH, ...manage, validate(samplingSchema, { view: 'indicators/sampling', viewModel: view }), async (req, res) => {
    const v = input(req, samplingSchema);
    const orgId = orgOf(req);
    await requireMailbox(deps, orgId, v.mailboxId);
    await requestSampling(deps, orgId, { ...v, userId: principal(req).userId });
    flash(res, 'success', `L’échantillonnage de ${monthLabel(v.month)} est lancé : le résultat apparaîtra ici et au tableau du mois dans quelques minutes.`);
    res.redirect(303, SAMPLING_PATH);
  });
  return r;
}
