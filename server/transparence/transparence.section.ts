/**
 * The committee dossier's « Programme Transparence » fragment: the table of each quarter
 * ending in the period (the last quarter overlapping it when none ends in it), each figure
 * with its polarity and source, as printable HTML (every text escaped; the dossier prints the title).
 */
import type { Deps } from '../deps';
import { escapeXml as esc } from '../reports/charts';
import { parisDay, quarterOfDay, quartersEndingIn } from '../quarters';
import { quarterTable } from './transparence.service';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

export async function transparenceSection(ctx: Ctx, orgId: string, period: { from: Date; to: Date }): Promise<{ title: string; html: string }> {
  const title = 'Programme Transparence';
  const from = parisDay(period.from);
  const to = parisDay(period.to);
  const quarters = quartersEndingIn(from, to);
  if (!quarters.length) quarters.push(quarterOfDay(to));
  const tables: Awaited<ReturnType<typeof quarterTable>>[] = [];
  for (const q of quarters) tables.push(await quarterTable(ctx, orgId, q));
  const head = `<tr><th scope="col">Mesure</th>${tables.map((t) => `<th scope="col">${esc(t.label)}</th>`).join('')}<th scope="col">Sens</th><th scope="col">Source</th></tr>`;
  const body = tables[0].rows.map((row, i) => `<tr><th scope="row">${esc(row.label)}</th>${tables.map((t) => `<td>${esc(t.rows[i].display)}${t.rows[i].basis ? ` <small>(${esc(t.rows[i].basis!)})</small>` : ''}</td>`).join('')}<td>${esc(row.polarity)}</td><td>${esc(tables[tables.length - 1].rows[i].source)}</td></tr>`).join('');
  const html = `<section class="qm-dossier-transparence"><p>Le programme national Transparence prévoit la publication trimestrielle de ces indicateurs par toutes les préfectures.</p>`
    + `<table class="qm-table"><caption>Programme Transparence par trimestre</caption><thead>${head}</thead><tbody>${body}</tbody></table></section>`;
  return { title, html };
}
