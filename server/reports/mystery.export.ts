/**
 * Raw exports of the mystery campaigns, through the features' own results services:
 * - e-mails: one row per message received (or per probe that received none), with the
 *   probe's service, dates, working-day delay, class (as corrected by the referent), the
 *   signature items found, « anonymat justifié »; never a subject or a body;
 * - phone calls: one row per submitted grid of a call received by the organisation, with its
 *   marks and every answer of the grid; never who called.
 * Volumes are small (a campaign is tens to hundreds of messages), read one campaign or
 * programme at a time.
 */
import type { Deps } from '../deps';
import { calendarOf, campaignResults } from '../campaigns/campaign.service';
import * as campaignStore from '../campaigns/campaign.store';
import { workingDaysBetween } from '../campaigns/calendar/working-days';
import { SIGNATURE_ITEMS, type SignatureItemKey } from '../campaigns/classification/signature';
import { gridEntry } from '../phone/grid';
import * as phoneStore from '../phone/phone.store';
import { callFacts } from '../phone/scoring';
import { AppError } from '../errors';
import { requireCalled } from '../phone/programme.service';
import type { Cell } from './csv';
import type { ExportColumn } from './export-stream';
import { inPeriod, overlaps, type Period } from './period';
import type { ExportPlan } from './responses.export';
import { questionColumns } from './survey-columns';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'surveys'>;

const CLASS_LABELS: Record<string, string> = {
  acknowledgement: 'Accusé de réception', answer: 'Réponse', out_of_office: 'Absence (message d’un agent)',
  bounce: 'Non distribué (adresse invalide)', unrelated: 'Sans rapport',
};
const SIGNATURE_HEADERS: Record<SignatureItemKey, string> = {
  firstName: 'Signature : prénom', lastName: 'Signature : nom', function: 'Signature : qualité', service: 'Signature : service',
  address: 'Signature : adresse administrative', phone: 'Signature : téléphone',
};
const MATCH_LABELS: Record<string, string> = { headers: 'En-têtes (In-Reply-To, References)', token: 'Jeton', subject: 'Objet et domaine', manual: 'Manuel' };
const yesNo = (b: boolean | null | undefined): Cell => (b == null ? null : b ? 'oui' : 'non');
const round2 = (x: number) => Math.round(x * 100) / 100;

export async function emailExport(ctx: Ctx, orgId: string, period: Period): Promise<ExportPlan> {
  const campaigns = (await campaignStore.listCampaigns(ctx.db, orgId))
    .filter((c) => c.status !== 'draft' && overlaps({ from: c.periodStart, to: c.periodEnd }, period));
  const columns: ExportColumn[] = [
    { header: 'Campagne', width: 30 }, { header: 'Service', width: 28 }, { header: 'Adresse écrite', width: 30 },
    { header: 'Envoyé le', type: 'datetime', width: 18 }, { header: 'Distribué' },
    { header: 'Message reçu le', type: 'datetime', width: 18 }, { header: 'Classe', width: 26 }, { header: 'Classe détectée', width: 26 },
    { header: 'Délai (jours ouvrés)', type: 'number' }, { header: 'Réponse retenue' }, { header: 'Réponse dans le délai' },
    { header: 'Signature conforme' },
    ...SIGNATURE_ITEMS.map((k) => ({ header: SIGNATURE_HEADERS[k] })),
    { header: 'Anonymat justifié' }, { header: 'Appariement', width: 24 },
  ];
  async function* batches(): AsyncGenerator<Cell[][]> {
    for (const c of campaigns) {
      const r = await campaignResults(ctx, orgId, c.id);
      const calendar = calendarOf(c);
      const outcomeOf = new Map(r.outcomes.map((o) => [o.probeId, o]));
      const repliesOf = new Map<string, typeof r.replies>();
      for (const reply of r.replies) if (reply.probeId) repliesOf.set(reply.probeId, [...(repliesOf.get(reply.probeId) ?? []), reply]);
      const out: Cell[][] = [];
      for (const p of r.probes) {
        if (!p.sentAt || !inPeriod(new Date(p.sentAt), period)) continue;
        const o = outcomeOf.get(p.id);
        const base: Cell[] = [c.name, o?.serviceName ?? '', p.toAddress, new Date(p.sentAt), yesNo(o?.delivered)];
        const replies = repliesOf.get(p.id) ?? [];
        if (replies.length === 0) out.push([...base, ...Array<Cell>(columns.length - base.length).fill(null)]);
        for (const reply of replies) {
          const chosen = o?.answerReplyId === reply.id;
          const sig = (reply.signature ?? null) as Partial<Record<SignatureItemKey, boolean>> | null;
          out.push([
            ...base,
            new Date(reply.receivedAt),
            CLASS_LABELS[reply.replyClass] ?? reply.replyClass,
            CLASS_LABELS[reply.detectedClass] ?? reply.detectedClass,
            round2(workingDaysBetween(new Date(p.sentAt), new Date(reply.receivedAt), calendar)),
            yesNo(chosen),
            chosen ? yesNo(o?.withinDeadline) : null,
            chosen ? yesNo(o?.signatureConforming) : null,
            ...SIGNATURE_ITEMS.map((k) => (sig ? yesNo(sig[k] ?? false) : null)),
            yesNo(reply.anonymityJustified),
            reply.matchMethod ? MATCH_LABELS[reply.matchMethod] ?? reply.matchMethod : null,
          ]);
        }
      }
      if (out.length) yield out;
    }
  }
  return { filename: `courriels-mysteres-${period.from}-${period.to}`, sheetName: 'Courriels', columns, total: campaigns.length ? null : 0, batches };
}

export async function phoneExport(ctx: Ctx, orgId: string, period: Period): Promise<ExportPlan> {
  const grid = gridEntry(ctx);
  const questions = questionColumns(grid.json);
  const programmes = (await phoneStore.listProgrammes(ctx.db, orgId))
    .filter((p) => overlaps({ from: p.programme.startsOn, to: p.programme.endsOn }, period));
  const columns: ExportColumn[] = [
    { header: 'Enquête', width: 30 }, { header: 'Période de l’enquête', width: 24 }, { header: 'Numéro appelé', width: 28 }, { header: 'Type de numéro' },
    { header: 'Appel abouti' }, { header: 'Note de forme (sur 10)', type: 'number' }, { header: 'Note de fond (sur 10)', type: 'number' },
    { header: 'Seuil de réussite', type: 'number' },
    ...questions.map((q) => ({ header: q.title, width: 24 })),
  ];
  const KIND_LABELS: Record<string, string> = { standard: 'Standard', service: 'Service', repondeur: 'Répondeur' };
  async function* batches(): AsyncGenerator<Cell[][]> {
    for (const { programme } of programmes) {
      try {
        await requireCalled(ctx, orgId, programme.id, { accepted: false });
      } catch (err) {
        // Programmes where the organisation only calls others: nothing of theirs to export.
        if (err instanceof AppError && err.status === 404) continue;
        throw err;
      }
      const numbers = new Map((await phoneStore.listNumbers(ctx.db, orgId, programme.id)).map((n) => [n.id, n]));
      const grids = await phoneStore.listSubmittedGrids(ctx.db, orgId, programme.id);
      const out: Cell[][] = grids.map((g) => {
        const answers = (g.answers ?? {}) as Record<string, unknown>;
        const facts = callFacts(answers);
        const number = numbers.get(g.numberId);
        return [
          programme.name, `${programme.startsOn} – ${programme.endsOn}`, number?.label ?? '', number ? KIND_LABELS[number.kind] ?? number.kind : '',
          yesNo(facts.answered), facts.form, facts.substance, programme.passMark,
          ...questions.map((q) => {
            const v = answers[q.name];
            if (v === undefined || v === null || v === '') return null;
            if (Array.isArray(v)) return v.map((x) => q.labels.get(String(x)) ?? String(x)).join(', ');
            return q.labels.get(String(v)) ?? (typeof v === 'number' ? v : String(v));
          }),
        ];
      });
      if (out.length) yield out;
    }
  }
  return { filename: `appels-mysteres-${period.from}-${period.to}`, sheetName: 'Appels', columns, total: programmes.length ? null : 0, batches };
}
