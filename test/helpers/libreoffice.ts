/**
 * Debian's LibreOffice as the independent reader of the XLSX files we write: converts a
 * workbook's first sheet to CSV (`;`, quoted text) and parses it with the French-CSV parser.
 * CI installs it (.ci/run) and must not pass by skipping the read-back: without it a
 * CI run fails at import; elsewhere the read-back tests are skipped with a notice.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEnv } from '../../server/config';
import { parseFrenchCsv } from '../integration/reports.fixtures';

export const soffice = ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice'].find((p) => fs.existsSync(p));

if (!soffice) {
  if (testEnv().requireAllTiers) throw new Error('LibreOffice (soffice) is required in CI to read the XLSX files back');
  process.stderr.write('\n*** LibreOffice read-back SKIPPED: apt-get install libreoffice-calc-nogui ***\n');
}

/** `describe` when LibreOffice is here (always in CI), `describe.skip` otherwise. */
export const describeWithLibreOffice = soffice ? describe : describe.skip;

/** The rows of an XLSX workbook's first sheet as LibreOffice reads them. */
export function readXlsxWithLibreOffice(xlsx: Buffer): string[][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-xlsx-'));
  try {
    fs.writeFileSync(path.join(dir, 'book.xlsx'), xlsx);
    const r = spawnSync(soffice!, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):59,34,76,1', '--outdir', dir, path.join(dir, 'book.xlsx')], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`LibreOffice could not convert the workbook (exit ${r.status}): ${r.stderr}`);
    // LibreOffice ends rows with LF: make them CRLF (outside quotes) for our French-CSV parser.
    let text = '';
    let quoted = false;
    for (const c of fs.readFileSync(path.join(dir, 'book.csv'), 'utf8').replace(/^\ufeff/, '')) {
      if (c === '"') quoted = !quoted;
      text += c === '\n' && !quoted ? '\r\n' : c;
    }
    return parseFrenchCsv(`\ufeff${text}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
