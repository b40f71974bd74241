/**
 * Town-hall appointment delays: the list of the department's town halls equipped for ID cards
 * and passports (from a file or picked among the department's communes, positioned from
 * GeoNames or by the referent), the quarterly mystery checks, and their results: mean and
 * median per quarter and per arrondissement, the trend across quarters, and the map.
 *
 * A quarter's figures count every check done in it (a town hall checked online and by phone
 * counts twice); « pas de créneau » checks are counted apart, never as a number of days. The
 * map shows each town hall's latest check of the quarter.
 */
import type { Deps } from '../deps';
import { AppError, notFound } from '../errors';
import { formatDate } from '../format';
import { readTable, FileProblem } from '../indicators/import-file';
import type { UploadedFile } from '../http/multipart';
import { addQuarters, quarterLabel, quarterOfDay, type Quarter } from '../quarters';
import { delayClass, delayDays, formatDays, summarise, type DelaySummary } from './delays';
import { arrondissementName, communeByCode, communesOf, department, departmentOutlines, findCoordinates, MAP_SOURCES, project, unitsPerKm } from './geo';
import { renderMap, type MapPoint } from './map-svg';
import { readTownHalls, type ImportProblem } from './town-hall-import';
import { CHANNEL_LABELS, type CheckForm } from './town-hall.schemas';
import * as store from './town-hall.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

/** The organisation's department: set explicitly, else its code when that is a department's. */
export async function departmentOf(ctx: Ctx, orgId: string): Promise<{ code: string; name: string } | null> {
  const org = await store.getOrganisation(ctx.db, orgId);
  if (!org) throw notFound();
  const code = org.departmentCode ?? (department(org.code) ? org.code : null);
  const d = code ? department(code) : undefined;
  return d ? { code: d.code, name: d.nom } : null;
}

async function requireDepartment(ctx: Ctx, orgId: string) {
  const d = await departmentOf(ctx, orgId);
  if (!d) throw new AppError(409, 'no_department', 'Indiquez d’abord le département de l’organisation.');
  return d;
}

export async function setDepartment(ctx: Ctx, orgId: string, code: string): Promise<boolean> {
  if (!department(code)) return false;
  await store.setDepartment(ctx.db, orgId, code);
  return true;
}

export interface AddResult {
  added: number;
  /** Names whose coordinates GeoNames did not give: to place by hand. */
  unmatched: string[];
}

async function addAll(ctx: Ctx, orgId: string, deptCode: string, items: { name: string; inseeCode: string | null; lat: number | null; lon: number | null }[]): Promise<AddResult> {
  const unmatched: string[] = [];
  const rows: store.NewTownHall[] = items.map((it) => {
    const commune = it.inseeCode ? communeByCode(it.inseeCode) : undefined;
    let { lat, lon } = it;
    let coordSource: store.NewTownHall['coordSource'] = lat !== null ? 'import' : null;
    if (lat === null) {
      const m = findCoordinates({ inseeCode: it.inseeCode, name: it.name, departmentCode: deptCode });
      if (m) { lat = m.lat; lon = m.lon; coordSource = 'geonames'; } else unmatched.push(it.name);
    }
    return { name: it.name, inseeCode: commune?.code ?? it.inseeCode, departmentCode: deptCode, arrondissementCode: commune?.arrondissement ?? null, lat, lon, coordSource };
  });
  return { added: await store.insertTownHalls(ctx.db, orgId, rows), unmatched };
}

/** Imports a CSV/XLSX list; throws ImportRejected (with every problem by line and column) and stores nothing when any line is wrong. */
export async function importTownHalls(ctx: Ctx, orgId: string, file: UploadedFile | undefined): Promise<AddResult> {
  const dept = await requireDepartment(ctx, orgId);
  if (!file) throw new ImportRejected([{ line: 0, column: '–', message: 'Choisissez un fichier.' }]);
  let table;
  try {
    table = await readTable(file.name, file.data);
  } catch (err) {
    if (err instanceof FileProblem) throw new ImportRejected([{ line: 0, column: '–', message: err.message }]);
    throw err;
  }
  const { lines, problems } = readTownHalls(table, dept.code, (code) => communeByCode(code) ?? null);
  if (problems.length) throw new ImportRejected(problems);
  return addAll(ctx, orgId, dept.code, lines);
}

export class ImportRejected extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`${problems.length} problem(s) in the town-hall file`);
    this.name = 'ImportRejected';
  }
}

/** Adds town halls picked among the department's communes. */
export async function addCommunes(ctx: Ctx, orgId: string, codes: string[]): Promise<AddResult> {
  const dept = await requireDepartment(ctx, orgId);
  const known = new Map(communesOf(dept.code).map((c) => [c.code, c]));
  const picked = codes.map((c) => known.get(c)).filter((c) => c !== undefined);
  if (picked.length !== codes.length) throw new AppError(422, 'validation', 'Une commune choisie n’est pas dans le département.');
  return addAll(ctx, orgId, dept.code, picked.map((c) => ({ name: c.nom, inseeCode: c.code, lat: null, lon: null })));
}

export async function communeChoices(ctx: Ctx, orgId: string) {
  const dept = await requireDepartment(ctx, orgId);
  const listed = new Set((await store.listTownHalls(ctx.db, orgId)).map((t) => t.inseeCode));
  return { department: dept, communes: communesOf(dept.code).map((c) => ({ code: c.code, name: c.nom, population: c.population ?? null, listed: listed.has(c.code) })) };
}

export async function requireTownHall(ctx: Ctx, orgId: string, id: string) {
  const t = await store.getTownHall(ctx.db, orgId, id);
  if (!t) throw notFound('Mairie');
  return t;
}

export async function setPosition(ctx: Ctx, orgId: string, id: string, lat: number | null, lon: number | null) {
  if (!(await store.setPosition(ctx.db, orgId, id, lat, lon))) throw notFound('Mairie');
}

export async function removeTownHall(ctx: Ctx, orgId: string, id: string) {
  if (!(await store.deleteTownHall(ctx.db, orgId, id))) throw notFound('Mairie');
}

export async function recordCheck(ctx: Ctx, orgId: string, userId: string | null, v: CheckForm) {
  await requireTownHall(ctx, orgId, v.townHallId);
  return store.insertCheck(ctx.db, orgId, { townHallId: v.townHallId, checkedOn: v.checkedOn, channel: v.channel, firstSlotOn: v.noSlot ? null : v.firstSlotOn, createdBy: userId });
}

export async function removeCheck(ctx: Ctx, orgId: string, id: string) {
  if (!(await store.deleteCheck(ctx.db, orgId, id))) throw notFound('Contrôle');
}

// Results -----------------------------------------------------------------------------------------

const summaryView = (s: DelaySummary) => ({
  checks: s.checks, withSlot: s.withSlot, noSlot: s.noSlot,
  mean: formatDays(s.mean), median: formatDays(s.median), max: formatDays(s.max), meanValue: s.mean, medianValue: s.median,
});

/** The figures of one quarter: overall, per arrondissement, per town hall (latest check). */
export async function quarterResults(ctx: Ctx, orgId: string, q: Quarter) {
  const [halls, checks] = await Promise.all([store.listTownHalls(ctx.db, orgId), store.listChecks(ctx.db, orgId, q.from, q.to)]);
  const byHall = new Map<string, store.CheckRow[]>();
  for (const c of checks) byHall.set(c.townHallId, [...(byHall.get(c.townHallId) ?? []), c]);
  const arrCodes = [...new Set(halls.map((h) => h.arrondissementCode))];
  const byArr = arrCodes.map((code) => {
    const ids = new Set(halls.filter((h) => h.arrondissementCode === code).map((h) => h.id));
    return { code, name: arrondissementName(code) ?? 'Arrondissement non renseigné', ...summaryView(summarise(checks.filter((c) => ids.has(c.townHallId)))) };
  }).filter((a) => a.checks > 0).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  const rows = halls.map((h) => {
    const own = byHall.get(h.id) ?? [];
    const last = own[own.length - 1];
    const delay = last ? delayDays(last) : null;
    return {
      id: h.id, name: h.name, inseeCode: h.inseeCode, arrondissement: arrondissementName(h.arrondissementCode) ?? '–',
      lat: h.lat, lon: h.lon, placed: h.lat !== null && h.lon !== null,
      coordSource: h.coordSource === 'geonames' ? 'GeoNames' : h.coordSource === 'manual' ? 'placée à la main' : h.coordSource === 'import' ? 'fichier importé' : 'non placée',
      checks: own.map((c) => ({ id: c.id, checkedOn: formatDate(c.checkedOn), channel: CHANNEL_LABELS[c.channel], firstSlot: c.firstSlotOn ? formatDate(c.firstSlotOn) : 'pas de créneau', delay: c.firstSlotOn ? formatDays(delayDays(c)) : 'pas de créneau' })),
      cls: delayClass(delay, !!last),
      label: !last ? 'non contrôlée' : delay === null ? 'pas de créneau' : `${delay} j`,
    };
  });
  return { quarter: q, label: quarterLabel(q), summary: summaryView(summarise(checks)), byArrondissement: byArr, rows, hallCount: halls.length };
}

/** Each of the `n` quarters up to `last`: checks, mean, median, « pas de créneau » (quarters without checks included, as such). */
export async function trend(ctx: Ctx, orgId: string, last: Quarter, n = 6) {
  const first = addQuarters(last, -(n - 1));
  const checks = await store.listChecks(ctx.db, orgId, first.from, last.to);
  const out = [];
  for (let q = first; q.id <= last.id; q = addQuarters(q, 1)) {
    const s = summarise(checks.filter((c) => c.checkedOn >= q.from && c.checkedOn <= q.to));
    out.push({ id: q.id, label: quarterLabel(q), ...summaryView(s) });
  }
  return out;
}

/** The map of a quarter's results over the department's outline (or a plain frame when the package has none). */
export async function mapSvg(ctx: Ctx, orgId: string, q: Quarter, results?: Awaited<ReturnType<typeof quarterResults>>): Promise<string> {
  const r = results ?? await quarterResults(ctx, orgId, q);
  const dept = await departmentOf(ctx, orgId);
  const outline = dept ? departmentOutlines().get(dept.code) ?? null : null;
  const placed = r.rows.filter((h) => h.placed);
  const points: MapPoint[] = placed.map((h) => {
    const [x, y] = project(h.lon!, h.lat!);
    return { name: h.name, x, y, cls: h.cls, label: h.label };
  });
  const meanLat = placed.length ? placed.reduce((s, h) => s + h.lat!, 0) / placed.length : 46.5;
  return renderMap({
    id: `carte-mairies-${q.id}`, title: `Délais de rendez-vous en mairie (CNI / passeport), ${r.label}${dept ? ` : ${dept.name}` : ''}`,
    outline, points, unitsPerKm: unitsPerKm(meanLat), sources: MAP_SOURCES, unplaced: r.rows.length - placed.length,
  });
}

export const currentQuarter = (ctx: Pick<Deps, 'clock'>) => quarterOfDay(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(ctx.clock.now()));
