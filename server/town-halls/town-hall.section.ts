/**
 * The committee dossier's « Délais de rendez-vous en mairie » fragment: the quarters of the
 * period (checks, mean, median, « pas de créneau »), the last quarter per arrondissement, and
 * its map, as printable HTML (every text escaped; the map is the server-drawn SVG).
 */
import type { Deps } from '../deps';
import { escapeXml } from '../reports/charts';
import { parisDay, quartersOverlapping } from '../quarters';
import { mapSvg, quarterResults } from './town-hall.service';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;
const esc = escapeXml;

export async function townHallSection(ctx: Ctx, orgId: string, period: { from: Date; to: Date }): Promise<{ title: string; html: string }> {
  const title = 'Délais de rendez-vous en mairie pour les CNI et passeports';
  const quarters = quartersOverlapping(parisDay(period.from), parisDay(period.to));
  const results = [];
  for (const q of quarters) results.push(await quarterResults(ctx, orgId, q));
  const withChecks = results.filter((r) => r.summary.checks > 0);
  if (!withChecks.length) {
    return { title, html: `<section class="qm-dossier-town-halls"><p>Aucun contrôle de mairie sur la période.</p></section>` };
  }
  const last = withChecks[withChecks.length - 1];
  const rows = results.map((r) => `<tr><th scope="row">${esc(r.label)}</th><td>${r.summary.checks}</td><td>${esc(r.summary.mean)}</td><td>${esc(r.summary.median)}</td><td>${r.summary.noSlot}</td></tr>`).join('');
  const arr = last.byArrondissement.map((a) => `<tr><th scope="row">${esc(a.name)}</th><td>${a.checks}</td><td>${esc(a.mean)}</td><td>${esc(a.median)}</td><td>${a.noSlot}</td></tr>`).join('');
  const html = `<section class="qm-dossier-town-halls">`
    + '<p>Enquête mystère trimestrielle auprès des mairies équipées d’un dispositif de recueil : délai en jours calendaires entre le contrôle et le premier rendez-vous proposé. Un délai plus court est meilleur ; « pas de créneau » est compté à part, jamais comme un nombre de jours.</p>'
    + `<table class="qm-table"><caption>Par trimestre</caption><thead><tr><th scope="col">Trimestre</th><th scope="col">Contrôles</th><th scope="col">Délai moyen</th><th scope="col">Délai médian</th><th scope="col">Pas de créneau</th></tr></thead><tbody>${rows}</tbody></table>`
    + `<table class="qm-table"><caption>Par arrondissement, ${esc(last.label)}</caption><thead><tr><th scope="col">Arrondissement</th><th scope="col">Contrôles</th><th scope="col">Délai moyen</th><th scope="col">Délai médian</th><th scope="col">Pas de créneau</th></tr></thead><tbody>${arr}</tbody></table>`
    + `<figure>${await mapSvg(ctx, orgId, last.quarter, last)}<figcaption>${esc(last.label)} : dernier contrôle de chaque mairie.</figcaption></figure></section>`;
  return { title, html };
}
