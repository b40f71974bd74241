/**
 * View models of the sampling pages (views compute nothing): the runs list, a run's messages
 * with their verdicts and reviews, and a message opened live. French labels only.
 */
import { formatDateTime, formatNumber, plural } from '../format';
import { monthLabel } from '../indicators/board';
import { isDoubtful, type ReviewDecision } from './sampling';
import { parseRule, ruleWhat, type DrawInfo } from './sampling-rule';
import type { LiveResult } from './sampling-review.service';
import type * as store from './sampling.store';

export const METHOD_LABELS: Record<string, string> = {
  'in-reply-to': 'En-tête In-Reply-To',
  references: 'En-tête References',
  subject: 'Objet et correspondant seulement',
};

export const DECISION_LABELS: Record<ReviewDecision, string> = {
  answered: 'Réponse trouvée',
  unanswered: 'Pas de réponse (confirmé)',
  excluded: 'Exclu : pas un courriel d’usager',
};

const days = (d: number | null) => (d === null ? '–' : `${formatNumber(d, 1)} jour${d >= 2 ? 's' : ''} ouvré${d >= 2 ? 's' : ''}`);

const methodLabel = (m: string | null) => (m ? METHOD_LABELS[m] ?? m : 'Aucune réponse trouvée');

export function result(within: number, total: number): string {
  return total ? `${within} / ${total} (${formatNumber((100 * within) / total, 0)} %)` : '–';
}

/** The rule as the referent reads it (« tous les courriels d’usagers reçus la semaine du … »). */
export function ruleText(rule: string, draw: DrawInfo): string {
  const r = parseRule(rule);
  return r ? ruleWhat(r, draw) : rule;
}

type SampledView = Awaited<ReturnType<typeof store.sampledOfRun>>[number];

/** The verdict that counts (the review's when there is one). */
function effective(m: SampledView['mail']) {
  if (!m.reviewDecision) return { answeredAt: m.answeredAt, within: m.withinDeadline, delay: m.delayDays };
  return { answeredAt: m.reviewedAnsweredAt, within: !!m.reviewedWithin, delay: m.reviewedDelayDays };
}

function verdictLabel(m: SampledView['mail']): { label: string; kind: 'success' | 'error' | 'info' } {
  if (m.reviewDecision === 'excluded') return { label: 'Exclu du calcul', kind: 'info' };
  const e = effective(m);
  if (e.within) return { label: 'Répondu sous 5 jours ouvrés', kind: 'success' };
  return { label: e.answeredAt ? 'Répondu hors délai' : 'Sans réponse', kind: 'error' };
}

export function reviewText(reviewer: string | null, at: Date | null, decision: ReviewDecision | null): string | null {
  if (!decision) return null;
  return `Revu par ${reviewer ?? 'un compte supprimé'} le ${formatDateTime(at)} : ${DECISION_LABELS[decision]}.`;
}

export function runHeading(run: { month: string }, mailbox: string): string {
  return `Échantillon de ${monthLabel(run.month)} — ${mailbox}`;
}

export function runPageModel(path: string, view: NonNullable<Awaited<ReturnType<typeof store.getRunView>>>, mails: SampledView[]) {
  const { run } = view;
  const counted = mails.filter((x) => x.mail.reviewDecision !== 'excluded');
  const within = counted.filter((x) => effective(x.mail).within).length;
  return {
    title: runHeading(run, view.mailbox),
    heading: runHeading(run, view.mailbox),
    rule: ruleText(run.rule, { at: run.drawnAt, by: view.ranByName }),
    ranAt: formatDateTime(run.ranAt),
    ranBy: view.ranByName,
    result: result(within, counted.length),
    excluded: plural(run.excluded, 'message exclu', 'messages exclus'),
    failed: plural(run.failed, 'illisible'),
    doubtful: mails.filter((x) => isDoubtful(x.mail.method) && !x.mail.reviewDecision).length,
    rows: mails.map((x, i) => {
      const e = effective(x.mail);
      const v = verdictLabel(x.mail);
      return {
        n: i + 1,
        receivedAt: formatDateTime(x.mail.receivedAt),
        answeredAt: formatDateTime(e.answeredAt),
        delay: days(e.delay),
        verdict: v.label, verdictKind: v.kind,
        method: x.mail.reviewDecision === 'answered' ? 'Réponse choisie par le référent' : methodLabel(x.mail.method),
        doubtful: isDoubtful(x.mail.method),
        review: reviewText(x.reviewer, x.mail.reviewedAt, x.mail.reviewDecision),
        href: `${path}/${run.id}/messages/${x.mail.id}`,
      };
    }),
  };
}

/** The live page: the sampled row (as stored) and what the mailbox says now. */
export function messagePageModel(
  path: string,
  sampled: { run: store.RunRow; mailbox: string; mail: store.SampledRow; reviewer?: string | null },
  live: LiveResult,
) {
  const { run, mail } = sampled;
  return {
    title: 'Courriel échantillonné, lu dans la boîte',
    heading: runHeading(run, sampled.mailbox),
    runHref: `${path}/${run.id}`,
    action: `${path}/${run.id}/messages/${mail.id}`,
    receivedAt: formatDateTime(mail.receivedAt),
    computed: mail.answeredAt
      ? `réponse trouvée le ${formatDateTime(mail.answeredAt)} (${days(mail.delayDays)}), reconnue par : ${methodLabel(mail.method)}.`
      : 'aucune réponse trouvée.',
    review: reviewText(sampled.reviewer ?? null, mail.reviewedAt, mail.reviewDecision),
    failure: live.ok ? null : live.failure,
    message: live.ok ? {
      from: live.message.from ?? '(sans expéditeur)', subject: live.message.subject ?? '(sans objet)', date: formatDateTime(live.message.date),
      text: live.message.text, truncated: live.message.truncated,
    } : null,
    replies: live.ok ? live.message.replies.map((r) => ({
      uid: String(r.uid), date: formatDateTime(r.date), to: r.to.join(', ') || '–', subject: r.subject ?? '(sans objet)',
      label: `Envoyée le ${formatDateTime(r.date)} à ${r.to.join(', ') || '–'} : « ${r.subject ?? '(sans objet)'} »`,
    })) : [],
  };
}
