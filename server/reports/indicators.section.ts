/**
 * The bilan's « Indicateurs qualité » section: each indicator of the monthly board over the
 * report's period (months aggregated as the board's year to date is), its target and, with a
 * comparison period, the change. Figures come from the indicators feature's service.
 */
import type { Deps } from '../deps';
import { periodFigures } from '../indicators/board.service';
import type { ReportBlock, ReportSectionModel } from './report.model';
import type { ReportRow } from './metrics';
import type { SectionParams } from './satisfaction.section';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;
const MINUS = '\u2212';

export async function indicatorsSection(ctx: Ctx, orgId: string, p: SectionParams): Promise<ReportSectionModel> {
  const title = 'Indicateurs qualité du tableau de suivi mensuel';
  const current = await periodFigures(ctx, orgId, p.period.from, p.period.to);
  const previous = p.comparison ? await periodFigures(ctx, orgId, p.comparison.from, p.comparison.to) : null;
  const shown = current.filter((f) => f.value !== null);
  const rows: ReportRow[] = shown.map((f) => {
    const i = f.indicator;
    const prev = previous?.find((x) => x.indicator.id === i.id) ?? null;
    const change = prev && prev.printed !== null && f.printed !== null ? f.printed - prev.printed : null;
    const unit = i.unit === 'percent' ? ' pt' : i.unit === 'days' ? ' j' : '';
    const toRatio = (v: number | null) => (v === null ? null : i.unit === 'percent' ? v / 100 : v);
    return {
      key: i.id, label: i.label, kind: i.unit === 'percent' ? 'share' : 'days', sansAvis: null, ci: null,
      value: toRatio(f.value), display: f.display, printed: f.printed, n: f.n, insufficient: false,
      target: f.target === null ? null : { value: toRatio(f.target)!, display: `${f.targetDisplay}${f.verdict ? ` (${f.verdict === 'met' ? 'atteint' : 'non atteint'})` : ''}` },
      comparison: prev ? {
        value: toRatio(prev.value), display: prev.display, printed: prev.printed, n: prev.n, insufficient: false, change,
        changeDisplay: change === null ? '–' : `${change > 0 ? '+' : change < 0 ? MINUS : '±'}${String(Math.abs(Math.round(change * 100) / 100)).replace('.', ',')}${unit}`,
      } : null,
    };
  });
  const base = { id: 'indicators' as const, title, methods: shown.map((f) => `${f.indicator.label} : ${f.indicator.formula}`) };
  if (!rows.length) return { ...base, unavailable: 'Aucune valeur mensuelle d’indicateur sur la période.', blocks: [] };
  const block: ReportBlock = {
    key: 'indicators', title, subtitle: 'Valeurs cumulées sur les mois de la période ; n = dénominateur (appels, réclamations) ou nombre de mois renseignés.',
    rows, trendLabel: null, trend: [], charts: { bars: null, trend: null }, bySite: [], findings: null, comment: p.comments.indicators ?? '',
  };
  return { ...base, unavailable: null, blocks: [block] };
}
