/**
 * Reading a list of town halls from a CSV or XLSX file (pure once the table is read): columns
 * « Commune » (required), « Code INSEE », « Latitude », « Longitude » (optional), in any order,
 * titles matched without case or accents. Every problem is reported by line and column; a file
 * with any problem stores nothing.
 */
import { normaliseTitle } from '../indicators/import-rows';
import type { Table } from '../indicators/import-file';

export interface TownHallLine {
  line: number;
  name: string;
  inseeCode: string | null;
  lat: number | null;
  lon: number | null;
}

export interface ImportProblem {
  line: number;
  column: string;
  message: string;
}

const COLUMNS = {
  name: ['commune', 'mairie', 'nom', 'nom de la commune'],
  insee: ['code insee', 'insee', 'code commune', 'code officiel geographique', 'cog'],
  lat: ['latitude', 'lat'],
  lon: ['longitude', 'lon', 'lng'],
} as const;

function number(s: string): number | null {
  const t = s.replace(',', '.').trim();
  return /^-?\d{1,3}(\.\d+)?$/.test(t) ? Number(t) : null;
}

/**
 * Checks every line. `communeOf` tells whether an INSEE code is a commune of the department
 * (and gives its name); null when it is not.
 */
export function readTownHalls(table: Table, departmentCode: string, communeOf: (code: string) => { nom: string; departement: string } | null): { lines: TownHallLine[]; problems: ImportProblem[] } {
  const titles = table.header.map(normaliseTitle);
  const col = (names: readonly string[]) => titles.findIndex((t) => names.includes(t));
  const idx = { name: col(COLUMNS.name), insee: col(COLUMNS.insee), lat: col(COLUMNS.lat), lon: col(COLUMNS.lon) };
  const problems: ImportProblem[] = [];
  if (idx.name < 0 && idx.insee < 0) {
    return { lines: [], problems: [{ line: 1, column: '–', message: 'Aucune colonne « Commune » ni « Code INSEE » : la première ligne doit porter les titres des colonnes.' }] };
  }
  const title = (i: number) => table.header[i] ?? '';
  const lines: TownHallLine[] = [];
  table.rows.forEach((row, r) => {
    const line = table.lines[r];
    const cell = (i: number) => (i >= 0 ? (row[i] ?? '').trim() : '');
    let name = cell(idx.name);
    let inseeCode: string | null = cell(idx.insee).toUpperCase() || null;
    if (inseeCode) {
      if (!/^\d[0-9AB]\d{3}$/.test(inseeCode)) {
        problems.push({ line, column: title(idx.insee), message: `« ${inseeCode} » n’est pas un code INSEE de commune (5 caractères, par exemple 74010).` });
        inseeCode = null;
      } else {
        const c = communeOf(inseeCode);
        if (!c) problems.push({ line, column: title(idx.insee), message: `Le code ${inseeCode} n’est pas celui d’une commune actuelle.` });
        else if (c.departement !== departmentCode) problems.push({ line, column: title(idx.insee), message: `La commune ${inseeCode} (${c.nom}) n’est pas dans le département ${departmentCode}.` });
        else if (!name) name = c.nom;
      }
    }
    if (!name) problems.push({ line, column: idx.name >= 0 ? title(idx.name) : 'Commune', message: 'Le nom de la commune est vide.' });
    else if (name.length > 120) problems.push({ line, column: title(idx.name), message: 'Le nom dépasse 120 caractères.' });
    const lat = idx.lat >= 0 && cell(idx.lat) ? number(cell(idx.lat)) : null;
    const lon = idx.lon >= 0 && cell(idx.lon) ? number(cell(idx.lon)) : null;
    if (idx.lat >= 0 && cell(idx.lat) && (lat === null || lat < -90 || lat > 90)) problems.push({ line, column: title(idx.lat), message: `« ${cell(idx.lat)} » n’est pas une latitude (degrés décimaux, par exemple 45,899).` });
    if (idx.lon >= 0 && cell(idx.lon) && (lon === null || lon < -180 || lon > 180)) problems.push({ line, column: title(idx.lon), message: `« ${cell(idx.lon)} » n’est pas une longitude (degrés décimaux, par exemple 6,129).` });
    if ((lat === null) !== (lon === null) && !problems.some((p) => p.line === line && (p.column === title(idx.lat) || p.column === title(idx.lon)))) {
      problems.push({ line, column: lat === null ? title(idx.lat) || 'Latitude' : title(idx.lon) || 'Longitude', message: 'La latitude et la longitude vont ensemble : remplissez les deux ou aucune.' });
    }
    lines.push({ line, name, inseeCode, lat: lat !== null && lon !== null ? lat : null, lon: lat !== null && lon !== null ? lon : null });
  });
  if (!table.rows.length) problems.push({ line: 2, column: '–', message: 'Le fichier ne contient aucune ligne après les titres.' });
  return { lines, problems };
}
