/**
 * Raw answer sets of one survey for export: one row per answer set, one column per question
 * (French titles and French labels of the choices), with the survey version. Read from the
 * database in keyset pages (completed_at, id) so any number of rows streams in constant
 * memory; each page is one short query, so a slow download never holds a transaction (on
 * PGlite that would block every other request). The next page is requested while the
 * current one is formatted. Tenancy: orgId first.
 */
import { sql } from 'drizzle-orm';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import * as orgStore from '../org/org.store';
import { rows, type Db } from '../storage/db';
import { getSurvey } from '../surveys/surveys.service';
import type { Cell } from './csv';
import type { ExportColumn, ExportSpec } from './export-stream';
import type { Period } from './period';
import { countAnswerSets } from './satisfaction.query';
import { questionColumns, type QuestionColumn } from './survey-columns';

// 2,000 rows a page: as fast as larger pages, and the export process stays near 150 MB RSS.
export const BATCH_SIZE = 2000;
// Rows formatted between two turns of the event loop: a few milliseconds of work.
const SLICE = 500;

interface ResponseRow {
  id: string;
  survey_version: string;
  site_id: string | null;
  channel: string;
  locale: string;
  /** completed_at as PostgreSQL prints it: the keyset cursor, and the date of the row. */
  cursor_at: string;
  /** One value per question: text for scalar answers, parsed JSON for the others. */
  [question: `q${number}`]: unknown;
}

const CHANNELS: Record<string, string> = { kiosk: 'Borne', web: 'Lien public' };

/** Question types whose answer is an array or an object (read as JSON); the others as text. */
const STRUCTURED = new Set(['checkbox', 'tagbox', 'ranking', 'matrix', 'matrixdropdown', 'matrixdynamic', 'multipletext', 'paneldynamic', 'file', 'imagepicker']);

/**
 * One page of answer sets after the keyset cursor, oldest first, each answer extracted in SQL
 * (no whole answer set is parsed in JavaScript).
 */
export async function responsePage(db: Db, orgId: string, surveyId: string, period: Period, questions: QuestionColumn[], after: { at: string; id: string } | null, limit: number): Promise<ResponseRow[]> {
  const answers = questions.map((q, i) =>
    STRUCTURED.has(q.type) ? sql`, r.answers -> ${q.name} as ${sql.identifier(`q${i}`)}` : sql`, r.answers ->> ${q.name} as ${sql.identifier(`q${i}`)}`);
  const result = await db.execute(sql`
    select r.id, r.survey_version, r.site_id, r.channel, r.locale, r.completed_at::text as cursor_at ${sql.join(answers, sql``)}
    from responses r
    where r.org_id = ${orgId} and r.survey_id = ${surveyId}
      and r.completed_at >= (${period.from}::date)::timestamp at time zone 'Europe/Paris'
      and r.completed_at < (${period.to}::date + 1)::timestamp at time zone 'Europe/Paris'
      ${after ? sql`and (r.completed_at, r.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
    order by r.completed_at, r.id
    limit ${limit}`);
  return rows<ResponseRow>(result);
}

const PG_TIMESTAMPTZ = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

/** A timestamptz as PostgreSQL prints it (any session time zone) → Date, to the millisecond. */
export function parsePgTimestamptz(s: string): Date {
  // Rows come in time order and kiosk times are to the minute: consecutive rows often repeat.
  if (s === lastParsed.text) return lastParsed.date;
  const date = parseTimestamptz(s);
  lastParsed = { text: s, date };
  return date;
}
let lastParsed = { text: '', date: new Date(0) };

function parseTimestamptz(s: string): Date {
  const m = PG_TIMESTAMPTZ.exec(s);
  if (!m) return new Date(s);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  const offset = (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * 1000;
  return new Date(m[8] === '+' ? utc - offset : utc + offset);
}

/**
 * Every version of the survey the period's answer sets were given against, with its
 * definition; the current version always. Older versions are looked for one by one (the
 * first answer set found settles it), and only those first seen before the period's end:
 * most exports then read no answer set at all before streaming.
 */
async function versionsOf(db: Db, orgId: string, surveyId: string, current: string, period: Period): Promise<Map<string, unknown>> {
  const result = await db.execute(sql`
    select v.version, v.definition from survey_versions v
    where v.survey_id = ${surveyId}
      and (v.version = ${current} or (
        v.first_seen_at < (${period.to}::date + 2)::timestamp at time zone 'Europe/Paris'
        and exists (
          select 1 from responses r
          where r.org_id = ${orgId} and r.survey_id = ${surveyId} and r.survey_version = v.version
            and r.completed_at >= (${period.from}::date)::timestamp at time zone 'Europe/Paris'
            and r.completed_at < (${period.to}::date + 1)::timestamp at time zone 'Europe/Paris')))`);
  return new Map(rows<{ version: string; definition: unknown }>(result).map((r) => [r.version, r.definition]));
}

/** Columns: the current definition's questions, then any question only older versions had. */
function mergeColumns(current: QuestionColumn[], older: QuestionColumn[][]): QuestionColumn[] {
  const byName = new Map(current.map((q) => [q.name, { ...q, labels: new Map(q.labels) }]));
  const order = current.map((q) => q.name);
  for (const cols of older) {
    for (const q of cols) {
      const known = byName.get(q.name);
      if (!known) {
        byName.set(q.name, { ...q, labels: new Map(q.labels) });
        order.push(q.name);
      } else {
        for (const [v, l] of q.labels) if (!known.labels.has(v)) known.labels.set(v, l);
      }
    }
  }
  return order.map((n) => byName.get(n)!);
}

function answerCell(q: QuestionColumn, v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => q.labels.get(String(x)) ?? String(x)).join(', ');
  if (typeof v === 'number') return q.labels.get(String(v)) ?? v;
  if (typeof v === 'boolean') return q.labels.get(String(v)) ?? v;
  if (typeof v === 'string') {
    const label = q.labels.get(v);
    if (label !== undefined) return label;
    // A numeric rating arrives as text from ->>: keep it a number for spreadsheets.
    if (q.type === 'rating' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    return v;
  }
  return JSON.stringify(v);
}

export interface ExportPlan {
  filename: string;
  sheetName: string;
  columns: ExportColumn[];
  /** Rows to come, when known beforehand (sizes the download and the progress page). */
  total: number | null;
  batches: () => AsyncIterable<Cell[][]>;
}

/** What the writers need from a plan. */
export function specOf(plan: ExportPlan): ExportSpec {
  return { columns: plan.columns, sheetName: plan.sheetName, batches: plan.batches() };
}

export async function responsesExport(ctx: Pick<Deps, 'db' | 'surveys'>, orgId: string, surveyId: string, period: Period, batchSize = BATCH_SIZE): Promise<ExportPlan> {
  const entry = getSurvey(ctx, surveyId);
  if (!entry) throw notFound('Questionnaire');
  const [total, versions, sites] = await Promise.all([
    countAnswerSets(ctx.db, orgId, surveyId, period),
    versionsOf(ctx.db, orgId, surveyId, entry.version, period),
    orgStore.listSites(ctx.db, orgId),
  ]);
  const older = [...versions].filter(([v]) => v !== entry.version).map(([, def]) => questionColumns(def));
  const questions = mergeColumns(questionColumns(entry.json), older);
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const columns: ExportColumn[] = [
    { header: 'Identifiant', width: 38 },
    { header: 'Questionnaire', width: 30, repeats: true },
    { header: 'Version du questionnaire', width: 20, repeats: true },
    { header: 'Site', width: 24, repeats: true },
    { header: 'Canal', repeats: true },
    { header: 'Langue', repeats: true },
    { header: 'Date de fin', type: 'datetime', width: 18 },
    // Choice answers repeat (their labels); free text does not.
    ...questions.map((q) => ({ header: q.title, width: q.type === 'comment' ? 60 : 24, repeats: q.labels.size > 0 })),
  ];
  const keys = questions.map((_, i) => `q${i}` as const);
  const toRow = (r: ResponseRow): Cell[] => {
    const cells: Cell[] = new Array(7 + questions.length);
    cells[0] = r.id;
    cells[1] = entry.title;
    cells[2] = r.survey_version;
    cells[3] = r.site_id ? siteNames.get(r.site_id) ?? 'Site supprimé' : '';
    cells[4] = CHANNELS[r.channel] ?? r.channel;
    cells[5] = r.locale;
    cells[6] = parsePgTimestamptz(r.cursor_at);
    for (let i = 0; i < questions.length; i++) cells[7 + i] = answerCell(questions[i], r[keys[i]]);
    return cells;
  };
  const page = (after: { at: string; id: string } | null) => responsePage(ctx.db, orgId, surveyId, period, questions, after, batchSize);
  /** Pages in order; the next one is requested before the current one is handed over. */
  async function* pages(): AsyncGenerator<ResponseRow[]> {
    let next: Promise<ResponseRow[]> | null = page(null);
    while (next) {
      const current: ResponseRow[] = await next;
      if (current.length === 0) return;
      const last = current[current.length - 1];
      // Ask for the next page before formatting this one: the database works while we format.
      next = current.length < batchSize ? null : page({ at: last.cursor_at, id: last.id });
      // If the consumer stops early, the prefetched page's failure must not go unhandled.
      next?.catch(() => undefined);
      yield current;
    }
  }
  /** A page is handed over in slices, so the writer can let the next page arrive in between. */
  async function* batches(): AsyncGenerator<Cell[][]> {
    for await (const p of pages()) {
      for (let i = 0; i < p.length; i += SLICE) yield p.slice(i, i + SLICE).map(toRow);
    }
  }

  return {
    filename: `reponses-${surveyId}-${period.from}-${period.to}`,
    sheetName: 'Réponses',
    columns,
    total,
    batches,
  };
}
