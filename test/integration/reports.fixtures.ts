/**
 * Fixtures of the reports tests (not a test file): answer sets of the seed's autumn-2018
 * global survey, generated so that the share « satisfait et très satisfait » of each item
 * rounds to the seed's figure, inserted in one statement (the report triggers see a bulk
 * insert, as with a real import).
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../server/deps';
import { getSurvey, ensureCurrentVersion } from '../../server/surveys/surveys.service';

export const SURVEY = 'satisfaction-accueil';

/** The seed's autumn-2018 figures (compte-rendu du CLU, 9 septembre 2019), in the survey's order. */
export const SEED_2018: [item: string, label: string, percent: number][] = [
  ['courtoisie', 'Courtoisie des agents d\'accueil', 96],
  ['accessibilite_pmr', 'Prise en compte des personnes à mobilité réduite', 87],
  ['langage_comprehensible', 'Utilisation d\'un langage compréhensible', 97],
  ['orientation', 'Orientation vers le bon service', 94],
  ['point_numerique', 'Point numérique', 94],
  ['signaletique', 'Signalétique', 96],
  ['equipements', 'Équipement et services mis à disposition', 91],
  ['confort_attente', 'Confort des espaces d\'attente', 95],
  ['temps_attente', 'Temps d\'attente', 70],
  ['confidentialite', 'Confidentialité', 89],
  ['accueil_telephonique', 'Accueil téléphonique', 53],
  ['accueil_global', 'Accueil global', 93],
];

export interface AnswerSet {
  siteId: string | null;
  completedAt: Date;
  answers: Record<string, unknown>;
}

/**
 * `opinions` answer sets per item with `percent` % satisfied (alternating « très satisfait »
 * and « satisfait », the others « peu » and « pas du tout satisfait »), then `sansAvis`
 * answer sets answering « sans avis » to every item.
 */
export function seedAnswerSets(opts: { siteId: string | null; start: Date; opinions?: number; sansAvis?: number; percents?: number[]; comment?: (i: number) => string | undefined }): AnswerSet[] {
  const opinions = opts.opinions ?? 100;
  const sansAvis = opts.sansAvis ?? 7;
  const out: AnswerSet[] = [];
  for (let i = 0; i < opinions + sansAvis; i++) {
    const answers: Record<string, unknown> = { avis_global: ['tres_bien', 'moyen', 'pas_bien'][i % 3] };
    SEED_2018.forEach(([item, , seedPercent], k) => {
      const percent = opts.percents?.[k] ?? seedPercent;
      const satisfied = Math.round((percent * opinions) / 100);
      answers[item] = i >= opinions ? 'sans_avis' : i < satisfied ? (i % 2 ? 'satisfait' : 'tres_satisfait') : i % 2 ? 'peu_satisfait' : 'pas_du_tout_satisfait';
    });
    const comment = opts.comment?.(i);
    if (comment !== undefined) answers.commentaire = comment;
    // Spread over the period, during opening hours.
    out.push({ siteId: opts.siteId, completedAt: new Date(opts.start.getTime() + i * 7 * 3600_000), answers });
  }
  return out;
}

/** Inserts answer sets of the survey for an organisation, in one INSERT … SELECT. */
export async function insertAnswerSets(deps: Deps, orgId: string, sets: AnswerSet[], surveyId = SURVEY): Promise<void> {
  const entry = getSurvey(deps, surveyId)!;
  await ensureCurrentVersion(deps, entry);
  const payload = JSON.stringify(sets.map((s) => ({ id: crypto.randomUUID(), site_id: s.siteId, completed_at: s.completedAt.toISOString(), answers: s.answers })));
  await deps.db.execute(sql`
    insert into responses (id, org_id, survey_id, survey_version, site_id, kiosk_id, channel, locale, answers, completed_at, received_at)
    select (e->>'id')::uuid, ${orgId}, ${surveyId}, ${entry.version}, (e->>'site_id')::uuid, null, 'kiosk', 'fr', e->'answers',
           (e->>'completed_at')::timestamptz, (e->>'completed_at')::timestamptz
    from jsonb_array_elements(${payload}::jsonb) e`);
}

/** Rows of a CSV in the French Excel dialect (BOM, `;`, CRLF, quoted fields), for reading exports back. */
export function parseFrenchCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const src = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') row.push(field), (field = '');
    else if (c === '\r' && src[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}
