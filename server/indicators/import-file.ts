/**
 * Reading an uploaded statistics file (pure): CSV (UTF-8, `;` `,` or tab) or XLSX, into a
 * header and rows of text cells, each with its line number in the file. A file that cannot be
 * read as a table (wrong encoding, one single column because the separator is not one of
 * ours) is a `FileProblem` with a French explanation; line-level problems come later, once
 * the columns are mapped (import-rows.ts).
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

export interface Table {
  header: string[];
  rows: string[][];
  /** Line (CSV) or row (XLSX) number of each row in the file, 1-based, header included. */
  lines: number[];
}

export class FileProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileProblem';
  }
}

const SEPARATORS = [';', ',', '\t'] as const;

/** The separator most frequent in the header line (outside quotes); null if none appears. */
export function detectSeparator(firstLine: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const sep of SEPARATORS) {
    let n = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === sep && !quoted) n++;
    }
    if (n > bestCount) {
      best = sep;
      bestCount = n;
    }
  }
  return best;
}

/** Decodes UTF-8 strictly (a BOM is dropped); the first invalid byte names its line. */
export function decodeUtf8(data: Buffer): string {
  const bytes = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) throw new FileProblem('Le fichier est en UTF-16 : enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) ».');
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return strict.decode(bytes);
  } catch {
    // Say which line holds the first byte that is not UTF-8 (lines end with \n in every encoding we meet).
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      try {
        strict.decode(bytes.subarray(start, i));
      } catch {
        break;
      }
      line++;
      start = i + 1;
    }
    throw new FileProblem(`Le fichier n’est pas encodé en UTF-8 (caractère illisible ligne ${line}, sans doute un accent enregistré en Windows-1252) : enregistrez-le au format « CSV UTF-8 ».`);
  }
}

export function readCsv(data: Buffer): Table {
  const text = decodeUtf8(data);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.trim()) throw new FileProblem('Le fichier est vide ou sa première ligne (les titres de colonnes) est vide.');
  const sep = detectSeparator(firstLine);
  if (!sep) {
    throw new FileProblem(`La première ligne ne contient qu’une colonne (« ${firstLine.slice(0, 60)} ») : le séparateur doit être le point-virgule, la virgule ou la tabulation.`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: sep, relax_column_count: true, skip_empty_lines: true, trim: true, info: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new FileProblem(`Le fichier CSV est mal formé${e.lines ? ` ligne ${e.lines}` : ''} (guillemet non fermé ?).`);
  }
  const [head, ...body] = records;
  return { header: head.record, rows: body.map((r) => r.record), lines: body.map((r) => r.info.lines) };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v).trim();
}

export async function readXlsx(data: Buffer): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new FileProblem('Le classeur XLSX est illisible (fichier abîmé ou d’un autre format).');
  }
  const ws = wb.worksheets[0];
  if (!ws || ws.rowCount === 0) throw new FileProblem('La première feuille du classeur est vide.');
  const width = ws.columnCount;
  const out: Table = { header: [], rows: [], lines: [] };
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    if (cells.every((x) => x === '')) return;
    if (out.header.length === 0) out.header = cells;
    else {
      out.rows.push(cells);
      out.lines.push(n);
    }
  });
  if (out.header.filter(Boolean).length < 2) throw new FileProblem('La première ligne de la première feuille doit porter les titres des colonnes.');
  return out;
}

/** Reads a file by its extension (.csv, .txt, .xlsx). */
export async function readTable(fileName: string, data: Buffer): Promise<Table> {
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'xlsx') return readXlsx(data);
  if (ext === 'csv' || ext === 'txt') return readCsv(data);
  throw new FileProblem('Format non pris en charge : déposez un fichier .csv (UTF-8) ou .xlsx.');
}
