/**
 * The bilan's « Plan d’actions correctives » section: the plan for the report's period, from
 * the action-plan feature's service, printed as a table (not figures: no ReportRow blocks).
 * Internal: the public page leaves it out (public-page.ts).
 */
import type { Deps } from '../deps';
import { planForPeriod } from '../actions/action.service';
import { PLAN_HEADERS, planCells } from '../actions/action-plan';
import type { ReportSectionModel } from './report.model';
import type { SectionParams } from './satisfaction.section';

type Ctx = Pick<Deps, 'db' | 'clock'>;

export async function actionsSection(ctx: Ctx, orgId: string, p: SectionParams): Promise<ReportSectionModel> {
  const rows = await planForPeriod(ctx, orgId, p.period);
  const base = {
    id: 'actions' as const, title: 'Plan d’actions correctives', blocks: [],
    methods: ['Plan d’actions : toutes les actions du plan sauf celles réalisées avant le début de la période ; une action ouverte dont l’échéance est passée à la fin de la période est « en retard ».'],
  };
  if (!rows.length) return { ...base, unavailable: 'Aucune action au plan pour cette période.', table: null };
  return { ...base, unavailable: null, table: { caption: 'Plan d’actions correctives', headers: PLAN_HEADERS, rows: rows.map((r) => ({ overdue: r.overdue, cells: planCells(r) })) } };
}
