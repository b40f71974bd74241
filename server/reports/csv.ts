/**
 * CSV in the dialect French Excel opens with a double click (pure): UTF-8 with a byte-order
 * mark, `;` between fields, CRLF line ends, decimal comma, fields quoted when needed with
 * quotes doubled. Text cells that a spreadsheet would run as a formula are neutralised.
 */
// Paris's offset from UTC, looked up once per UTC hour: formatting a million dates must not call Intl a million times.
import { parisOffsetAtMs } from '../campaigns/calendar/working-days';

export const BOM = '\uFEFF';
export const SEPARATOR = ';';
export const EOL = '\r\n';

/** What a cell may hold before formatting. */
export type Cell = string | number | boolean | Date | null | undefined;

/**
 * Characters that make a spreadsheet treat a cell as a formula (or, for tab and CR, that
 * Excel strips before looking at the next character). OWASP "CSV injection".
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * A text cell that would start a formula gets a leading apostrophe: Excel and LibreOffice
 * show the text as typed and never evaluate it. Numbers we format ourselves never pass here.
 */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_START.has(text[0]) ? `'${text}` : text;
}

/** A number with a decimal comma and no thousands separator (Excel (fr) reads it back as a number). */
export function formatDecimal(n: number, maxDecimals = 2): string {
  if (!Number.isFinite(n)) return '';
  const factor = 10 ** maxDecimals;
  const rounded = Math.round(n * factor) / factor;
  // Avoid "-0" and exponent notation for the small values a report holds.
  const s = (Object.is(rounded, -0) ? 0 : rounded).toFixed(maxDecimals).replace(/\.?0+$/, '');
  return s.replace('.', ',');
}

/**
 * The instant whose UTC clock reads Paris's wall clock at `d`: a spreadsheet date has no time
 * zone, and exceljs writes a Date's UTC fields, so this is what an XLSX cell must hold to read
 * « 15:31 » like the CSV and the pages.
 */
export function parisWallClock(d: Date): Date {
  const t = d.getTime();
  return Number.isFinite(t) ? new Date(t + parisOffsetAtMs(t)) : d;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Date and time as Excel (fr) parses them, in Europe/Paris: 15/10/2018 14:32. */
export function formatDateTimeCell(d: Date): string {
  const t = d.getTime();
  if (!Number.isFinite(t)) return '';
  // Exports come in time order, often several rows in the same minute.
  const minute = Math.floor(t / 60_000);
  if (minute === lastFormatted.minute) return lastFormatted.text;
  const local = new Date(t + parisOffsetAtMs(t));
  const text = `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  lastFormatted = { minute, text };
  return text;
}
let lastFormatted = { minute: Number.NaN, text: '' };

/** The text of one cell, neutralised, before quoting. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatDecimal(value, 4);
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (value instanceof Date) return formatDateTimeCell(value);
  return neutraliseFormula(value);
}

const NEEDS_QUOTES = /[";\r\n]|^\s|\s$/;

function quoted(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// Exports repeat the same short texts (choice labels, site names) on every row: their fields
// are computed once. Bounded: once full it only serves what it holds (labels appear early).
const fieldCache = new Map<string, string>();
const FIELD_CACHE_MAX = 10_000;

/** One field: quoted when it holds a separator, a quote, a line break or edge spaces. */
export function csvField(value: Cell): string {
  if (typeof value === 'string' && value.length <= 64) {
    let field = fieldCache.get(value);
    if (field === undefined) {
      field = quoted(neutraliseFormula(value));
      if (fieldCache.size < FIELD_CACHE_MAX) fieldCache.set(value, field);
    }
    return field;
  }
  return quoted(cellText(value));
}

/** One line, CRLF included. */
export function csvRow(values: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? SEPARATOR : '') + csvField(values[i]);
  return line + EOL;
}

/**
 * Encodes rows straight into UTF-8 bytes, for exports of many rows. A field of a column whose
 * values repeat from row to row (choice labels, site names: `repeats`) is quoted, neutralised
 * and encoded once, then copied; other fields are encoded in place. The bytes are the same as
 * csvRow's. `take()` hands over what was encoded since the last call; the encoder never writes
 * into a buffer it has handed over.
 */
export class CsvEncoder {
  private buf: Buffer;
  private len = 0;
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly repeats: readonly boolean[],
    private readonly initialBytes = 64 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** One line, CRLF included. */
  row(values: readonly Cell[]): void {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      // Room for a separator and a line end besides the field; a field longer than the spare
      // room is measured first.
      if (this.buf.length - this.len < 4096) this.grow(4096);
      if (i) this.buf[this.len++] = 0x3b; // ;
      if (value === null || value === undefined) continue;
      if (this.repeats[i] && typeof value === 'string' && value.length <= 200) {
        this.copy(this.encoded(value));
        continue;
      }
      const field = quoted(cellText(value));
      if (field.length * 3 > this.buf.length - this.len - 2) this.grow(Buffer.byteLength(field) + 2);
      this.len += this.buf.write(field, this.len, 'utf8');
    }
    if (this.buf.length - this.len < 2) this.grow(2);
    this.buf[this.len++] = 0x0d;
    this.buf[this.len++] = 0x0a;
  }

  /** The bytes encoded since the last call; the encoder continues in a new buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.len);
    // The next batch is likely the size of this one.
    this.buf = Buffer.allocUnsafe(Math.max(this.initialBytes, Math.ceil(this.len * 1.25)));
    this.len = 0;
    return out;
  }

  private encoded(value: string): Buffer {
    let bytes = this.cache.get(value);
    if (bytes === undefined) {
      bytes = Buffer.from(quoted(neutraliseFormula(value)));
      if (this.cache.size < FIELD_CACHE_MAX) this.cache.set(value, bytes);
    }
    return bytes;
  }

  private copy(bytes: Buffer): void {
    if (bytes.length > this.buf.length - this.len) this.grow(bytes.length);
    // Short fields (most labels) copy faster byte by byte than through Buffer.copy.
    if (bytes.length <= 32) {
      for (let j = 0; j < bytes.length; j++) this.buf[this.len + j] = bytes[j];
    } else {
      bytes.copy(this.buf, this.len);
    }
    this.len += bytes.length;
  }

  private grow(atLeast: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + atLeast + 4096));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}
