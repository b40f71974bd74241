/**
 * The Programme Transparence of a quarter: computed measures read from their sources (answered
 * calls from the monthly indicator board, the effort score from the point numérique's answer
 * sets), typed or imported ones from our table; publication of a quarter on the public page.
 */
import type { Deps } from '../deps';
import { ValidationError } from '../errors';
import { periodFigures } from '../indicators/board.service';
import { readTable, FileProblem } from '../indicators/import-file';
import type { UploadedFile } from '../http/multipart';
import { numericItemMean } from '../surveys/results.service';
import { quarterLabel, type Quarter } from '../quarters';
import { transparenceMeasures, type Measure } from './measures';
import { readTransparence, type ImportProblem } from './transparence-import';
import { transparenceRow, type RawValue, type TransparenceRow } from './transparence';
import * as store from './transparence.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

async function computed(ctx: Ctx, orgId: string, m: Measure, q: Quarter): Promise<RawValue> {
  const from = m.computedFrom!;
  if (from.startsWith('board:')) {
    const figures = await periodFigures(ctx, orgId, q.from, q.to);
    const f = figures.find((x) => x.indicator.id === from.slice(6));
    return { value: f?.value ?? null, n: f && f.value !== null ? f.n : null, source: f?.value == null ? null : 'computed' };
  }
  const [, surveyId, item] = from.split(':');
  const s = await numericItemMean(ctx, orgId, surveyId, item, q.from, q.to);
  return { value: s.mean, n: s.n, source: s.n ? 'computed' : null };
}

export async function quarterTable(ctx: Ctx, orgId: string, q: Quarter): Promise<{ quarter: Quarter; label: string; rows: TransparenceRow[] }> {
  const stored = await store.valuesOf(ctx.db, orgId, [q.id]);
  const rows: TransparenceRow[] = [];
  for (const m of transparenceMeasures()) {
    let raw: RawValue;
    if (m.source === 'computed') raw = await computed(ctx, orgId, m, q);
    else {
      const v = stored.find((s) => s.measureId === m.id);
      raw = v ? { value: v.value, n: null, source: v.source } : { value: null, n: null, source: null };
    }
    rows.push(transparenceRow(m, raw, ctx.config.MIN_CELL_SIZE));
  }
  return { quarter: q, label: quarterLabel(q), rows };
}

/** Typed values of a quarter: a blank removes the value. Values are checked per unit. */
export async function typeValues(ctx: Ctx, orgId: string, userId: string | null, q: Quarter, body: Record<string, unknown>) {
  const errors: Record<string, string> = {};
  const set: { quarter: string; measureId: string; value: number }[] = [];
  const cleared: string[] = [];
  for (const m of transparenceMeasures().filter((x) => x.source === 'typed')) {
    const raw = typeof body[`value:${m.id}`] === 'string' ? String(body[`value:${m.id}`]).trim() : '';
    if (!raw) { cleared.push(m.id); continue; }
    const v = Number(raw.replace(/[\s\u00a0\u202f%]/g, '').replace(',', '.'));
    if (!Number.isFinite(v) || v < 0 || (m.unit === 'percent' && v > 100) || (m.unit === 'score5' && (v < 1 || v > 5)) || v > 9999) {
      errors[`value:${m.id}`] = m.unit === 'percent' ? 'Pourcentage entre 0 et 100.' : m.unit === 'days' ? 'Nombre de jours positif.' : 'Note entre 1 et 5.';
    } else set.push({ quarter: q.id, measureId: m.id, value: v });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await store.upsertValues(ctx.db, orgId, set, 'typed', userId, ctx.clock.now());
  for (const id of cleared) await store.deleteValue(ctx.db, orgId, q.id, id);
  return set.length;
}

export class TransparenceImportRejected extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`${problems.length} problem(s) in the Transparence file`);
    this.name = 'TransparenceImportRejected';
  }
}

export async function importValues(ctx: Ctx, orgId: string, userId: string | null, file: UploadedFile | undefined): Promise<number> {
  if (!file) throw new TransparenceImportRejected([{ line: 0, column: '–', message: 'Choisissez un fichier.' }]);
  let table;
  try {
    table = await readTable(file.name, file.data);
  } catch (err) {
    if (err instanceof FileProblem) throw new TransparenceImportRejected([{ line: 0, column: '–', message: err.message }]);
    throw err;
  }
  const { values, problems } = readTransparence(table, transparenceMeasures());
  if (problems.length) throw new TransparenceImportRejected(problems);
  await store.upsertValues(ctx.db, orgId, values.map(({ quarter, measureId, value }) => ({ quarter, measureId, value })), 'imported', userId, ctx.clock.now());
  return values.length;
}

export const publish = (ctx: Ctx, orgId: string, q: Quarter) => store.publish(ctx.db, orgId, q.id, ctx.clock.now());
export const unpublish = (ctx: Ctx, orgId: string, q: Quarter) => store.unpublish(ctx.db, orgId, q.id);
export const publishedQuarters = (ctx: Ctx, orgId: string) => store.publishedQuarters(ctx.db, orgId);
export const orgByCode = (ctx: Ctx, code: string) => store.orgByCode(ctx.db, code);
