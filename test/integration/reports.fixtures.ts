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
import type { TestContext } from '../helpers/app';
import { createOrg, createSite, createToken, createUser, loggedIn, type Browser } from '../helpers/factories';

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

// Previous period (August–September 2018): 90 % on every item but the last two.
const PREVIOUS = [90, 90, 90, 90, 90, 90, 90, 90, 60, 90, 50, 95];

/**
 * The golden data set: the seed's autumn-2018 survey on the main site, a small second site, the
 * comparison period, a referent, a viewer token, and a bilan of autumn 2018 (used by the golden
 * tests of the HTML/CSV/XLSX/JSON outputs and of the PDF).
 */
export async function setUpGoldenReport(t: TestContext): Promise<{ referent: Browser; token: string; reportId: string }> {
  t.clock.set('2019-09-09T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  const general = await createSite(t.deps, org.id, 'Accueil général');
  const foreigners = await createSite(t.deps, org.id, 'Accueil des étrangers');
  await insertAnswerSets(t.deps, org.id, [
    // Autumn 2018, main site: 100 opinions per item + 7 « sans avis », with free-text comments.
    ...seedAnswerSets({ siteId: general.id, start: new Date('2018-10-01T07:00:00Z'), comment: (i) => (i === 0 ? '=HYPERLINK("http://evil.test","Cliquez") merci' : i === 1 ? 'Très bon accueil; merci "vraiment"' : undefined) }),
    // Autumn 2018, second site: 3 answer sets, satisfied with courtesy only (a small cell).
    ...seedAnswerSets({ siteId: foreigners.id, start: new Date('2018-10-02T08:00:00Z'), opinions: 0, sansAvis: 3 }).map((s) => ({ ...s, answers: { ...s.answers, courtoisie: 'tres_satisfait' } })),
    // August–September 2018, the comparison period.
    ...seedAnswerSets({ siteId: general.id, start: new Date('2018-08-01T07:00:00Z'), sansAvis: 0, percents: PREVIOUS }),
  ]);
  const user = await createUser(t.deps, org.id, 'referent');
  const referent = await loggedIn(t.app, user);
  const token = await createToken(t.deps, org.id, 'viewer');
  await referent.page('/rapports');
  const res = await referent.post('/rapports', {
    title: 'Bilan qualité automne 2018', periodStart: '2018-10-01', periodEnd: '2018-11-30', comparison: 'previous', sections: 'satisfaction', surveyIds: 'satisfaction-accueil',
  });
  expect(res.status).toBe(303);
  const reportId = /\/rapports\/([0-9a-f-]{36})$/.exec(res.headers.location)![1];
  return { referent, token, reportId };
}
