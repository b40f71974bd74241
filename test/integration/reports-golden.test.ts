/**
 * Golden test of the bilan: answer sets generated to match the seed's autumn-2018 survey
 * (share « satisfait et très satisfait » per item 96, 87, 97, 94, 94, 96, 91, 95, 70, 89, 53,
 * 93 %) give those figures on the right lines of the preview, the print view, the CSV, the
 * XLSX and the JSON API (the PDF text: test/e2e/reports-pdf.test.ts), with « sans avis » counted apart, the
 * change against the previous period, and small cells withheld.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import type { Browser } from '../helpers/factories';
import { SEED_2018, parseFrenchCsv, setUpGoldenReport } from './reports.fixtures';

let t: TestContext;
let referent: Browser;
let token: string;
let reportId: string;

const NNBSP = '\u202f';
beforeAll(async () => {
  t = await createTestContext();
  ({ referent, token, reportId } = await setUpGoldenReport(t));
});
afterAll(() => t?.close());

const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&nbsp;/g, ' ');
/** The cells of the table line of an item in an HTML page (first table: all sites). */
function htmlLine(html: string, item: string): string[] {
  const m = new RegExp(`<tr data-key="${item}">([\\s\\S]*?)</tr>`).exec(html);
  if (!m) throw new Error(`no line for ${item}`);
  return [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1]).trim());
}

describe('when the referent previews the autumn-2018 bilan', () => {
  let html: string;
  beforeAll(async () => {
    const res = await referent.page(`/rapports/${reportId}`);
    expect(res.status).toBe(200);
    html = res.text;
  });

  it.each(SEED_2018)('then the line of %s reads « %s », %p %, with its n', (item, label, percent) => {
    const cells = htmlLine(html, item);
    expect(cells[0]).toBe(label);
    expect(cells[1]).toBe(`${percent}${NNBSP}%`);
    // n: 100 opinions (103 for courtesy, with the second site's 3); sans avis: 7 (+3 elsewhere).
    expect(cells[2]).toBe(item === 'courtoisie' ? '103' : '100');
    expect(cells[3]).toBe(item === 'courtoisie' ? '7' : '10');
  });

  it('then each line compares with August–September 2018 in points', () => {
    // Cells: label, figure, n, sans avis, interval, target, comparison figure, change.
    expect(htmlLine(html, 'courtoisie').slice(6)).toEqual([`90${NNBSP}%`, `+6${NNBSP}pts`]);
    expect(htmlLine(html, 'temps_attente').slice(6)).toEqual([`60${NNBSP}%`, `+10${NNBSP}pts`]);
    expect(htmlLine(html, 'accueil_global').slice(6)).toEqual([`95${NNBSP}%`, `\u22122${NNBSP}pts`]);
  });

  it('then the per-site table withholds the second site’s figures (3 answers) as « effectif insuffisant »', () => {
    const sites = /<table class="qm-report-table qm-sites-table">([\s\S]*?)<\/table>/.exec(html)![1];
    expect(sites).toContain('Accueil des étrangers');
    // Sites in alphabetical order: Accueil des étrangers, then Accueil général.
    expect(decode(sites)).toMatch(/Courtoisie des agents d'accueil<\/th>\s*<td class="qm-num qm-insufficient">effectif insuffisant <span class="qm-n">\(3\)<\/span><\/td>\s*<td class="qm-num">96\u202f% <span class="qm-n">\(100\)<\/span>/);
  });

  it('then the charts are inline SVG images with the figures in their description', () => {
    expect(html).toContain('role="img"');
    expect(html).toContain(`Temps d&#39;attente : 70${NNBSP}%`);
    expect(html).toContain('évolution de la part de satisfaits');
  });

  it('then no visitor free text appears', () => {
    expect(html).not.toContain('HYPERLINK');
    expect(html).not.toContain('Très bon accueil');
  });
});

describe('when the bilan is printed, exported and read through the API', () => {
  it('then the A4 print view has the same lines, a title page, the methods and the production date', async () => {
    const res = await referent.page(`/rapports/${reportId}/bilan`);
    expect(res.status).toBe(200);
    for (const [item, , percent] of SEED_2018) expect(htmlLine(res.text, item)[1]).toBe(`${percent}${NNBSP}%`);
    expect(res.text).toContain('Méthodes et définitions');
    expect(res.text).toContain('Document produit le 9 septembre 2019');
    expect(res.text).toContain('du 1er octobre 2018 au 30 novembre 2018');
    expect(decode(res.text)).toContain('moins de 5 réponses');
    expect(decode(res.text)).toContain('jours fériés de la zone métropole');
  });

  it('then the CSV of the tables has the same figures on the same lines, in the French Excel dialect', async () => {
    const res = await referent.agent.get(`/rapports/${reportId}/tableaux.csv`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parseFrenchCsv(res.body as string);
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    for (const [, label, percent] of SEED_2018) {
      const line = rows.find((r) => r[col('Site')] === 'Tous les sites' && r[col('Indicateur')] === label)!;
      expect(line[col('Valeur')]).toBe(String(percent));
      expect(line[col('Unité')]).toBe('%');
    }
    const courtesy = rows.find((r) => r[col('Site')] === 'Tous les sites' && r[col('Indicateur')] === SEED_2018[0][1])!;
    expect([courtesy[col('n')], courtesy[col('Sans avis')], courtesy[col('Valeur (période de comparaison)')], courtesy[col('Évolution')]]).toEqual(['103', '7', '90', '6']);
    const small = rows.find((r) => r[col('Site')] === 'Accueil des étrangers' && r[col('Indicateur')] === SEED_2018[0][1])!;
    expect(small[col('Valeur')]).toBe('effectif insuffisant');
  });

  it('then the XLSX of the tables opens with exceljs with the same numbers', async () => {
    const res = await referent.agent.get(`/rapports/${reportId}/tableaux.xlsx`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const ws = wb.worksheets[0];
    const found = new Map<string, unknown>();
    ws.eachRow((row, i) => {
      if (i > 1 && row.getCell(3).value === 'Tous les sites') found.set(String(row.getCell(4).value), row.getCell(5).value);
    });
    for (const [, label, percent] of SEED_2018) expect(found.get(label)).toBe(percent);
  });

  it('then the JSON API gives the same figures, with the ratio, n, « sans avis » and interval', async () => {
    const res = await request(t.app).get(`/api/v1/rapports/${reportId}`).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const rows = res.body.sections[0].blocks[0].rows as { key: string; printed: number; value: number; n: number; sansAvis: number; ci: { lowPrinted: number } }[];
    expect(rows.map((r) => [r.key, r.printed])).toEqual(SEED_2018.map(([item, , p]) => [item, p]));
    const tel = rows.find((r) => r.key === 'accueil_telephonique')!;
    expect(tel).toMatchObject({ value: 0.53, n: 100, sansAvis: 10 });
    expect(tel.ci.lowPrinted).toBe(43);
  });
});
