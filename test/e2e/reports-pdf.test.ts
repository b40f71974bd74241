/**
 * Golden test of the PDF bilan (Chromium on the server, read back with pdftotext and pdfinfo):
 * the seed's autumn-2018 figures on the right lines, and the page count. In the e2e tier, which
 * runs wherever Chromium is installed and is required in CI.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../helpers/app';
import type { Browser } from '../helpers/factories';
import { SEED_2018, setUpGoldenReport } from '../integration/reports.fixtures';

let t: TestContext;
let referent: Browser;
let reportId: string;

beforeAll(async () => {
  t = await createTestContext();
  ({ referent, reportId } = await setUpGoldenReport(t));
});
afterAll(() => t?.close());

describe('when the bilan is downloaded as a PDF', () => {
  let file: string;
  beforeAll(async () => {
    const res = await referent.agent.get(`/rapports/${reportId}/bilan.pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qm-pdf-')), 'bilan.pdf');
    fs.writeFileSync(file, res.body as Buffer);
  }, 60_000);

  it('then its text carries each item’s figure on the item’s line (pdftotext)', () => {
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u202f\u00a0]/g, ' ');
    const lines = text.split('\n');
    for (const [, label, percent] of SEED_2018) {
      const line = lines.find((l) => l.includes(label) && /\d+ %/.test(l) && !l.includes(' : '));
      expect(line).toBeDefined();
      expect(line!).toMatch(new RegExp(`${label.replace(/[()]/g, '\\$&')}\\s+${percent} %\\s+${label === 'Courtoisie des agents d\'accueil' ? 103 : 100}\\b`));
    }
    expect(text).toContain('Page 2 sur');
  });

  it('then it has the expected number of A4 pages for this data set', () => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    // Title page, methods, satisfaction (table, comment, charts, per-site table: 2 pages), improvements: none.
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(4);
  });
});
