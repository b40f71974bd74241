/**
 * Use cases of targets and monthly values: an organisation's own targets (the national one
 * stays shown beside), typed values (who and when, history kept) and imported files (upload,
 * mapping, preview, per-line error report, then store — or store without the bad lines only
 * when the referent asks for it).
 */
import type { Deps } from '../deps';
import { ValidationError, conflict, notFound } from '../errors';
import type { ImportKind } from '../storage/schema';
import { indicatorCatalogue, type Indicator } from './catalogue';
import { FileProblem, readTable } from './import-file';
import { IMPORT_FIELDS, checkMapping, checkRows, guessMapping, monthlyValues, type CheckResult, type MappingProblem, type MonthlyValue } from './import-rows';
import * as store from './indicators.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

/** Rows above this are refused: a month of daily statistics per bureau is a few hundred. */
export const MAX_IMPORT_ROWS = 20_000;

export function requireIndicator(indicatorId: string): Indicator {
  const i = indicatorCatalogue().byId.get(indicatorId);
  if (!i) throw notFound('Indicateur');
  return i;
}

/** The range a value of this unit may take. */
export function checkValue(i: Indicator, v: number): string | null {
  if (!Number.isFinite(v) || v < 0) return 'Valeur positive attendue.';
  if (i.unit === 'percent' && v > 100) return 'Pourcentage entre 0 et 100 attendu.';
  if (i.unit === 'count' && !Number.isInteger(v)) return 'Nombre entier attendu.';
  if (i.unit === 'days' && v > 365) return 'Nombre de jours entre 0 et 365 attendu.';
  return null;
}

export async function setTargets(ctx: Ctx, orgId: string, userId: string | null, targets: Record<string, number | null>) {
  const errors: Record<string, string> = {};
  for (const [id, t] of Object.entries(targets)) {
    const i = requireIndicator(id);
    if (i.polarity === 'none' && t !== null) errors[`target:${id}`] = 'Cet indicateur n’a pas d’objectif.';
    else if (t !== null) {
      const problem = checkValue(i, t);
      if (problem) errors[`target:${id}`] = problem;
    }
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  for (const [id, t] of Object.entries(targets)) await store.setTarget(ctx.db, orgId, id, t, userId, ctx.clock.now());
}

/** Indicators whose values are typed or imported (computed ones come from the product's data). */
export function enterableIndicators(): Indicator[] {
  return indicatorCatalogue().indicators.filter((i) => i.source !== 'computed');
}

/** Typed values of one month: a blank leaves the current value as it is. */
export async function typeValues(ctx: Ctx, orgId: string, userId: string | null, month: string, values: Record<string, number>) {
  const errors: Record<string, string> = {};
  const rows: store.NewValue[] = [];
  for (const [id, v] of Object.entries(values)) {
    const i = requireIndicator(id);
    if (i.source === 'computed') {
      errors[`value:${id}`] = 'Cet indicateur est calculé par Qualimètre.';
      continue;
    }
    const problem = checkValue(i, v);
    if (problem) errors[`value:${id}`] = problem;
    else rows.push({ indicatorId: id, month, breakdown: '', value: v, numerator: null, denominator: null });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await store.replaceValues(ctx.db, orgId, rows, 'typed', userId, ctx.clock.now());
  return rows.length;
}

// Imports -----------------------------------------------------------------------------------------

export async function uploadImport(ctx: Ctx, orgId: string, userId: string | null, kind: ImportKind, file: { name: string; data: Buffer } | undefined) {
  if (!file || file.data.length === 0) throw new ValidationError({ file: 'Choisissez un fichier .csv ou .xlsx.' });
  let table;
  try {
    table = await readTable(file.name, file.data);
  } catch (err) {
    if (err instanceof FileProblem) throw new ValidationError({ file: err.message });
    throw err;
  }
  if (table.rows.length === 0) throw new ValidationError({ file: 'Le fichier ne contient que la ligne des titres.' });
  if (table.rows.length > MAX_IMPORT_ROWS) throw new ValidationError({ file: `Le fichier a plus de ${MAX_IMPORT_ROWS} lignes : découpez-le par mois.` });
  return store.insertImport(ctx.db, orgId, { kind, fileName: file.name.slice(0, 200), ...table, createdBy: userId });
}

export async function requireImport(ctx: Ctx, orgId: string, id: string) {
  const row = await store.getImport(ctx.db, orgId, id);
  if (!row) throw notFound('Import');
  return row;
}

export interface ImportPreview {
  import: store.ImportRow;
  mapping: Record<string, string>;
  mappingProblems: MappingProblem[];
  check: CheckResult | null;
  values: MonthlyValue[];
}

/** The preview of a file with a mapping (given, or remembered, or guessed from the titles). */
export async function previewImport(ctx: Ctx, orgId: string, id: string, given?: Record<string, string>): Promise<ImportPreview> {
  const imp = await requireImport(ctx, orgId, id);
  const mapping = given ?? guessMapping(imp.kind, imp.header, await store.getMapping(ctx.db, orgId, imp.kind));
  const mappingProblems = checkMapping(imp.kind, imp.header, mapping);
  if (imp.status !== 'preview' || mappingProblems.length) return { import: imp, mapping, mappingProblems, check: null, values: [] };
  const check = checkRows(imp.kind, imp.header, imp.rows, imp.lines, mapping);
  return { import: imp, mapping, mappingProblems, check, values: monthlyValues(imp.kind, check.good) };
}

/**
 * Stores the values of a previewed file. A file with errors stores nothing unless
 * `skipBadLines` is set; then the good lines only are stored and the bad ones counted.
 */
export async function storeImport(ctx: Ctx, orgId: string, userId: string | null, id: string, mapping: Record<string, string>, skipBadLines: boolean) {
  const preview = await previewImport(ctx, orgId, id, mapping);
  if (preview.import.status !== 'preview') throw conflict('Ce fichier a déjà été traité.');
  if (preview.mappingProblems.length) {
    throw new ValidationError(Object.fromEntries(preview.mappingProblems.map((p) => [`map:${p.field}`, p.reason])));
  }
  const check = preview.check!;
  if (check.errors.length && !skipBadLines) {
    throw new ValidationError(
      { _: `Le fichier contient ${check.errors.length} erreur(s) sur ${check.badLines.length} ligne(s) : rien n’a été enregistré. Corrigez le fichier, ou cochez « ignorer les lignes en erreur ».` },
      'Le fichier contient des erreurs : rien n’a été enregistré.',
    );
  }
  if (!preview.values.length) throw new ValidationError({ _: 'Aucune ligne valide : rien à enregistrer.' });
  const at = ctx.clock.now();
  const kind = preview.import.kind;
  await ctx.db.transaction(async (tx) => {
    const ok = await store.markImportStored(tx, orgId, id, { mapping, storedValues: preview.values.length, skippedLines: check.badLines.length }, at);
    if (!ok) throw conflict('Ce fichier a déjà été traité.');
    await store.replaceValues(tx, orgId, preview.values, 'imported', userId, at, id);
    await store.saveMapping(tx, orgId, kind, mapping, at);
  });
  return { stored: preview.values.length, skipped: check.badLines.length };
}

export async function abandonImport(ctx: Ctx, orgId: string, id: string) {
  await requireImport(ctx, orgId, id);
  if (!(await store.abandonImport(ctx.db, orgId, id))) throw conflict('Ce fichier a déjà été traité.');
}

export const fieldsOf = (kind: ImportKind) => IMPORT_FIELDS[kind];
