/** Streaming CSV/XLSX writers: dialect, round trip, backpressure, early close. */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell } from '../../../server/reports/csv';
import { ExportAborted, attachment, writeCsv, writeXlsx, type ExportColumn } from '../../../server/reports/export-stream';

const columns: ExportColumn[] = [{ header: 'Question' }, { header: 'Valeur', type: 'number' }, { header: 'Date', type: 'datetime' }];

async function* batchesOf(n: number, size: number, log?: number[]): AsyncGenerator<Cell[][]> {
  for (let b = 0; b < n; b++) {
    log?.push(b);
    yield Array.from({ length: size }, (_, i) => [`ligne ${b}-${i}`, b + i / 10, new Date(Date.UTC(2018, 9, 15, 12, 32))]);
  }
}

/** A destination that accepts one chunk at a time, slowly, and records what it got. */
function slowSink(delayMs: number) {
  const chunks: Buffer[] = [];
  let inFlight = 0;
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      inFlight++;
      setTimeout(() => {
        inFlight--;
        cb();
      }, delayMs);
    },
  });
  return { stream, chunks, inFlight: () => inFlight, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('writeCsv', () => {
  it('when rows are written, then the file has a BOM, a header, ; separators, decimal commas, CRLF and neutralised formulas', async () => {
    const sink = slowSink(0);
    const rows = await writeCsv(sink.stream, {
      columns, sheetName: 's',
      batches: (async function* () { yield [['=1+1', 96.5, new Date('2018-10-15T12:32:00Z')], ['a;b "c"', -3, null]]; })(),
    });
    expect(rows).toBe(2);
    expect(sink.text()).toBe('\uFEFFQuestion;Valeur;Date\r\n\'=1+1;96,5;15/10/2018 14:32\r\n"a;b ""c""";-3;\r\n');
  });

  it('when the destination is slow, then no batch is read before the previous one has drained', async () => {
    const sink = slowSink(2);
    const produced: number[] = [];
    const progress: number[] = [];
    const gen = batchesOf(20, 50, produced);
    const observed: number[] = [];
    // Each time a batch is produced, the destination must hold at most one pending chunk.
    const watched = (async function* () {
      for await (const b of gen) {
        observed.push(sink.stream.writableLength);
        yield b;
      }
    })();
    await writeCsv(sink.stream, { columns, sheetName: 's', batches: watched }, (n) => progress.push(n));
    expect(produced).toHaveLength(20);
    expect(progress[progress.length - 1]).toBe(1000);
    // Never more than one batch (~2 kB) waiting in the destination's buffer.
    expect(Math.max(...observed)).toBeLessThan(4096);
  });

  it('when the destination closes early, then the export stops with ExportAborted', async () => {
    const sink = slowSink(1);
    const produced: number[] = [];
    const p = writeCsv(sink.stream, { columns, sheetName: 's', batches: batchesOf(1000, 100, produced) });
    setTimeout(() => sink.stream.destroy(), 20);
    await expect(p).rejects.toBeInstanceOf(ExportAborted);
    expect(produced.length).toBeLessThan(1000);
  });
});

describe('writeXlsx', () => {
  it('when rows are written, then exceljs reads them back with types kept and formulas neutralised', async () => {
    const sink = slowSink(0);
    const rows = await writeXlsx(sink.stream, {
      columns, sheetName: 'Réponses',
      batches: (async function* () {
        yield [['=HYPERLINK("x")', 96.5, new Date('2018-10-15T12:32:00Z')]];
        yield [['Très satisfait', 3, null]];
      })(),
    });
    expect(rows).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(sink.chunks) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Réponses')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Question', 'Valeur', 'Date']);
    // Formula-like text is a text cell holding exactly what was typed (never a formula).
    expect(ws.getCell('A2').value).toBe('=HYPERLINK("x")');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('B2').value).toBe(96.5);
    // Dates hold Paris local time (12:32 UTC in October is 14:32 in Paris), as the CSV shows them.
    expect(ws.getCell('C2').value).toEqual(new Date('2018-10-15T14:32:00Z'));
    expect(ws.getCell('A3').value).toBe('Très satisfait');
    expect(ws.rowCount).toBe(3);
  });

  it('when the destination is slow, then batches wait for it and the file is still complete', async () => {
    const sink = slowSink(1);
    const produced: number[] = [];
    const rows = await writeXlsx(sink.stream, { columns, sheetName: 's', batches: batchesOf(30, 200, produced) });
    expect(rows).toBe(6000);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(sink.chunks) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].rowCount).toBe(6001);
  });
});

describe('attachment', () => {
  it('when a file name has accents, then an ASCII fallback and the UTF-8 name are given', () => {
    expect(attachment('Bilan qualité 74.pdf')).toBe('attachment; filename="Bilan_qualite_74.pdf"; filename*=UTF-8\'\'Bilan%20qualit%C3%A9%2074.pdf');
  });
});
