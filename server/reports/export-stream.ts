/**
 * Streaming writers for exports: rows arrive in batches (keyset pages read from the
 * database) and leave as CSV (French Excel dialect, csv.ts) or XLSX (exceljs streaming
 * WorkbookWriter). Writes respect backpressure: when the destination (an HTTP response, a
 * file) is full, no further batch is read until it drains, so memory stays flat whatever
 * the number of rows. A destination that closes early (client gone) stops the export.
 * Both writers end the destination when done.
 */
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { BOM, CsvEncoder, csvRow, parisWallClock, type Cell } from './csv';

export interface ExportColumn {
  header: string;
  type?: 'text' | 'number' | 'datetime';
  /** Values repeat from row to row (labels, names): the CSV encodes each value once. */
  repeats?: boolean;
  /** Column width in characters (XLSX only). */
  width?: number;
}

export interface ExportSpec {
  columns: ExportColumn[];
  /** Batches of rows, each row one cell per column, in column order. */
  batches: AsyncIterable<Cell[][]>;
  /** XLSX sheet name. */
  sheetName: string;
}

export type ExportFormat = 'csv' | 'xlsx';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Called after each batch with the number of rows written so far. */
export type ProgressFn = (rowsWritten: number) => void;

export class ExportAborted extends Error {
  constructor() {
    super('export aborted: the destination closed');
    this.name = 'ExportAborted';
  }
}

function closed(out: Writable): boolean {
  return out.destroyed || out.writableEnded;
}

/** Resolves on 'drain'; rejects if the stream closes or fails first. */
async function drain(out: Writable): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: ac.signal }),
      once(out, 'close', { signal: ac.signal }).then(() => {
        throw new ExportAborted();
      }),
    ]);
  } finally {
    ac.abort();
  }
}

/**
 * Writes chunks, letting the caller prepare the next one while this one flushes: when the
 * destination says its buffer is full (write() returns false), the next write waits for it to
 * drain. At most one chunk beyond the destination's own buffer is held. Uses write()'s answer
 * rather than `writableNeedDrain`, which an HTTP response wrapped by the compression
 * middleware does not report faithfully.
 */
class PipelinedWriter {
  private pending: Promise<void> | null = null;

  constructor(private readonly out: Writable) {}

  async write(chunk: string | Buffer): Promise<void> {
    await this.flushed();
    if (closed(this.out)) throw new ExportAborted();
    if (!this.out.write(chunk)) {
      this.pending = drain(this.out);
      // Awaited by the next write or by flushed(); until then a failure must not go unhandled.
      this.pending.catch(() => undefined);
    }
  }

  async flushed(): Promise<void> {
    const p = this.pending;
    this.pending = null;
    if (p) await p;
  }
}

/**
 * CSV: BOM, header line, then one line per row; ends `out`. Returns the number of rows
 * written. Each batch is encoded to bytes (CsvEncoder) while the previous one flushes.
 */
export async function writeCsv(out: Writable, spec: ExportSpec, onProgress?: ProgressFn): Promise<number> {
  let rows = 0;
  const writer = new PipelinedWriter(out);
  await writer.write(BOM + csvRow(spec.columns.map((c) => c.header)));
  const encoder = new CsvEncoder(spec.columns.map((c) => c.repeats ?? false));
  for await (const batch of spec.batches) {
    for (const row of batch) encoder.row(row);
    await writer.write(encoder.take());
    rows += batch.length;
    onProgress?.(rows);
    // A turn of the event loop between batches: the next page's rows are read off the socket
    // while this process formats, and other requests of a web process are served.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await writer.flushed();
  out.end();
  await finished(out);
  return rows;
}

/**
 * One XLSX cell: numbers and dates keep their type, dates in Paris local time (a spreadsheet
 * date has no zone). Text is written as a text cell, exactly as typed: unlike a CSV field, an
 * XLSX text cell is never read as a formula (formulas live in their own element), so it needs
 * no apostrophe, which would show.
 */
function xlsxCell(value: Cell): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (value instanceof Date) return parisWallClock(value);
  return value;
}

/**
 * XLSX through exceljs's streaming writer: rows are committed as they come (inline strings,
 * no shared-string table) and the zip streams into `out` through a buffer we watch: while
 * it is full, no further batch is read. Ends `out`.
 */
export async function writeXlsx(out: Writable, spec: ExportSpec, onProgress?: ProgressFn): Promise<number> {
  const buffer = new PassThrough({ highWaterMark: 1 << 20 });
  const piped = pipeline(buffer, out);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: buffer, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Qualimètre';
  const sheet = workbook.addWorksheet(spec.sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map((c, i) => ({
    key: `c${i}`,
    width: c.width ?? Math.min(60, Math.max(10, c.header.length + 2)),
    style: c.type === 'datetime' ? { numFmt: 'dd/mm/yyyy hh:mm' } : {},
  }));
  const header = sheet.addRow(spec.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  let rows = 0;
  try {
    for await (const batch of spec.batches) {
      if (closed(buffer)) throw new ExportAborted();
      for (const row of batch) sheet.addRow(row.map(xlsxCell)).commit();
      rows += batch.length;
      onProgress?.(rows);
      if (buffer.writableNeedDrain) await drain(buffer);
    }
    sheet.commit();
    await workbook.commit();
    await piped;
  } catch (err) {
    buffer.destroy();
    await piped.catch(() => undefined);
    throw err instanceof Error && (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' ? new ExportAborted() : err;
  }
  return rows;
}

export function writeExport(format: ExportFormat, out: Writable, spec: ExportSpec, onProgress?: ProgressFn): Promise<number> {
  return format === 'csv' ? writeCsv(out, spec, onProgress) : writeXlsx(out, spec, onProgress);
}

/** A Content-Disposition value with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachment(filename: string): string {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\w.-]+/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
