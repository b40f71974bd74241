/**
 * The home's « À faire » list, from the rows of home.store.ts: pure, so that every rule
 * (when a kiosk counts as silent, how a failing mailbox is said) has a table test.
 */
import { addCalendarDays, parisDateOf, startOfParisDay } from '../campaigns/calendar/working-days';
import { readingLine } from '../campaigns/tracking/sync-outcome';
import { formatDate, formatShortDate, plural } from '../format';
import type * as store from './home.store';

/** Opening hours of a reception hall used to count a kiosk's silence: Mon–Fri, 08:30–17:00 Paris. */
export const OPENING = { startMin: 8 * 60 + 30, endMin: 17 * 60 } as const;

/** Opening hours elapsed between two instants (public holidays are counted as open). */
export function openingHoursBetween(from: Date, to: Date): number {
  if (to <= from) return 0;
  let ms = 0;
  const last = parisDateOf(to);
  // A kiosk silent for months is silent: 60 days are enough to say so.
  let day = parisDateOf(new Date(Math.max(from.getTime(), to.getTime() - 60 * 86_400_000)));
  for (; day <= last; day = addCalendarDays(day, 1)) {
    const dow = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    const base = startOfParisDay(day).getTime();
    const open = Math.max(base + OPENING.startMin * 60_000, from.getTime());
    const close = Math.min(base + OPENING.endMin * 60_000, to.getTime());
    if (close > open) ms += close - open;
  }
  return ms / 3_600_000;
}

export type AlertLevel = 'error' | 'warning' | 'info';

export interface Alert {
  level: AlertLevel;
  text: string;
  href: string;
  linkLabel: string;
}

export interface AlertInput {
  kiosks: store.KioskRow[];
  mailboxes: store.MailboxRow[];
  campaigns: store.CampaignRow[];
  programmes: store.ProgrammeRow[];
  lateCalls: number;
  /** Open actions of the plan past their due date. */
  overdueActions?: number;
  report: store.ReportRow | undefined;
  /** Only referents are asked to act; viewers see the same state as information. */
  canManage: boolean;
}

export function buildAlerts(input: AlertInput, now: Date, silentHours: number): Alert[] {
  const out: Alert[] = [];
  for (const k of input.kiosks) {
    const where = k.siteName ? ` (${k.siteName})` : '';
    if (k.queued > 0) {
      out.push({ level: 'warning', text: `La borne « ${k.name} »${where} garde ${plural(k.queued, 'réponse')} en attente d’envoi : vérifiez sa connexion au réseau.`, href: '/bornes', linkLabel: 'Voir les bornes' });
    }
    const since = k.lastActivityAt ? new Date(k.lastActivityAt) : null;
    const quiet = openingHoursBetween(since ?? new Date(k.createdAt), now);
    if (quiet >= silentHours) {
      out.push({
        level: 'warning',
        text: since
          ? `La borne « ${k.name} »${where} ne donne plus signe de vie depuis le ${formatDate(since)} (plus de ${plural(silentHours, 'heure')} d’ouverture) : vérifiez que la tablette est allumée et connectée.`
          : `La borne « ${k.name} »${where} n’a jamais été ouverte sur sa tablette.`,
        href: '/bornes', linkLabel: 'Voir les bornes',
      });
    }
  }
  for (const m of input.mailboxes) {
    if (m.sendErrorAt) {
      out.push({ level: 'error', text: `Boîte mystère ${m.address} : envoi impossible depuis le ${formatDate(new Date(m.sendErrorAt))} : ${m.sendErrorMessage ?? 'cause inconnue'}`, href: input.canManage ? `/boites-mysteres/${m.id}` : '/campagnes-courriel', linkLabel: input.canManage ? 'Corriger la boîte' : 'Voir les campagnes' });
    }
    const line = readingLine({ ...m, syncOkAt: m.syncOkAt && new Date(m.syncOkAt), syncErrorAt: m.syncErrorAt && new Date(m.syncErrorAt), syncFailingSince: m.syncFailingSince && new Date(m.syncFailingSince), syncStoppedAt: m.syncStoppedAt && new Date(m.syncStoppedAt) }, now);
    if (!line || line.ok) continue;
    out.push({ level: 'error', text: `Boîte mystère ${m.address} : ${line.text}`, href: input.canManage ? `/boites-mysteres/${m.id}` : '/campagnes-courriel', linkLabel: input.canManage ? 'Corriger la boîte' : 'Voir les campagnes' });
  }
  for (const c of input.campaigns) {
    const unmatched = c.unmatched > 0 ? ` ${plural(c.unmatched, 'message reçu n’est pas rattaché', 'messages reçus ne sont pas rattachés')} : rattachez-les avant de clore.` : '';
    out.push({ level: 'info', text: `La période de la campagne « ${c.name} » est terminée depuis le ${formatShortDate(c.periodEnd)}.${unmatched}${input.canManage ? ' Clore la campagne fige ses chiffres.' : ''}`, href: `/campagnes-courriel/${c.id}`, linkLabel: 'Voir la campagne' });
  }
  for (const p of input.programmes) {
    const base = `/enquetes-telephoniques/${p.id}`;
    if (p.awaitingAcceptance) out.push({ level: 'warning', text: `Le programme d’appels mystères « ${p.name} » attend l’accord de votre organisation.`, href: base, linkLabel: 'Voir le programme' });
    else {
      if (p.needsNumbers) out.push({ level: 'warning', text: `Programme « ${p.name} » : indiquez les numéros que les autres préfectures doivent appeler.`, href: `${base}/numeros`, linkLabel: 'Indiquer les numéros' });
      if (p.needsEvaluators) out.push({ level: 'warning', text: `Programme « ${p.name} » : désignez les évaluateurs de votre organisation.`, href: `${base}/evaluateurs`, linkLabel: 'Désigner les évaluateurs' });
    }
  }
  if (input.lateCalls > 0) {
    out.push({ level: 'warning', text: `${plural(input.lateCalls, 'appel mystère prévu est en retard', 'appels mystères prévus sont en retard')} (prévus depuis plus d’un jour, grille non envoyée).`, href: '/enquetes-telephoniques', linkLabel: 'Voir les programmes' });
  }
  if (input.overdueActions) {
    out.push({ level: 'warning', text: `${plural(input.overdueActions, 'action du plan d’actions a dépassé son échéance', 'actions du plan d’actions ont dépassé leur échéance')}.${input.canManage ? ' Mettez à jour leur état ou leur échéance.' : ''}`, href: '/plan-actions?filtre=en-retard', linkLabel: 'Voir les actions en retard' });
  }
  if (input.report) {
    out.push({ level: 'info', text: `Le bilan « ${input.report.title} » (période close le ${formatShortDate(input.report.periodEnd)}) est prêt à imprimer.`, href: `/rapports/${input.report.id}`, linkLabel: 'Ouvrir le bilan' });
  }
  return out;
}
