import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { FileProblem, detectSeparator, readTable } from '../../../server/indicators/import-file';
import { checkMapping, checkRows, guessMapping, monthlyValues, parseCount, parseDay, parseMonth, parsePercent } from '../../../server/indicators/import-rows';

const FIXTURE = path.join(__dirname, '../../fixtures/indicators/telephonie-2019-07.csv');
const julyCsv = fs.readFileSync(FIXTURE);

describe('reading a file', () => {
  it.each([
    ['a;b;c', ';'], ['a,b,c', ','], ['a\tb\tc', '\t'], ['"x;y",b,c', ','], ['abc', null],
  ])('when the header is %j, then the separator is %j', (line, sep) => {
    expect(detectSeparator(line)).toBe(sep);
  });

  it('when the telephony file of July is read, then every line keeps its line number', async () => {
    const t = await readTable('juillet.csv', julyCsv);
    expect(t.header).toEqual(['Date', 'Bureau', 'Appels décrochés', 'Appels perdus']);
    expect(t.rows).toHaveLength(69);
    expect(t.lines[0]).toBe(2);
    expect(t.lines[68]).toBe(70);
  });

  it('when the file has a UTF-8 BOM, then the first title is clean', async () => {
    const t = await readTable('x.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), julyCsv]));
    expect(t.header[0]).toBe('Date');
  });

  const latin1 = Buffer.from(julyCsv.toString('utf8').replace('Date;Bureau', 'Date;Bureau'), 'latin1');
  it.each([
    ['a Windows-1252 file', 'x.csv', latin1, /pas encodé en UTF-8 \(caractère illisible ligne 1/],
    ['a UTF-16 file', 'x.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Date;Bureau\n', 'utf16le')]), /UTF-16/],
    ['a pipe-separated file', 'x.csv', Buffer.from('Date|Bureau|Décrochés|Perdus\n01/07/2019|Standard|3|1\n'), /séparateur/],
    ['an empty file', 'x.csv', Buffer.from(''), /vide/],
    ['a PDF named .xlsx', 'x.xlsx', Buffer.from('%PDF-1.4'), /illisible/],
    ['an .ods file', 'x.ods', Buffer.from('x'), /Format non pris en charge/],
    ['an unclosed quote', 'x.csv', Buffer.from('a;b\n"x;y\n'), /mal formé/],
  ])('when given %s, then a FileProblem explains it', async (_name, name, data, expected) => {
    await expect(readTable(name, data)).rejects.toThrow(FileProblem);
    await expect(readTable(name, data)).rejects.toThrow(expected);
  });

  it('when an XLSX has dates and numbers, then they read as ISO dates and digits', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Appels');
    ws.addRow(['Jour', 'Service', 'Aboutis', 'Perdus']);
    ws.addRow([new Date(Date.UTC(2019, 6, 1)), 'Standard', 120, 5]);
    const t = await readTable('x.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(t.rows).toEqual([['2019-07-01', 'Standard', '120', '5']]);
    expect(t.lines).toEqual([2]);
    expect(guessMapping('telephonie', t.header)).toEqual({ date: 'Jour', bureau: 'Service', decroches: 'Aboutis', perdus: 'Perdus' });
  });
});

describe('values', () => {
  it.each([
    ['2019-07-01', '2019-07-01'], ['01/07/2019', '2019-07-01'], ['1/7/2019', '2019-07-01'], ['31/06/2019', null], ['07/01/19', null], ['hier', null],
  ])('parseDay(%j) = %j', (s, v) => expect(parseDay(s)).toBe(v));
  it.each([
    ['2019-07', '2019-07-01'], ['07/2019', '2019-07-01'], ['Juillet 2019', '2019-07-01'], ['août 2019', '2019-08-01'], ['13/2019', null], ['2019-07-15', '2019-07-01'],
  ])('parseMonth(%j) = %j', (s, v) => expect(parseMonth(s)).toBe(v));
  it.each([['1 234', 1234], ['0', 0], ['-3', null], ['2,5', null], ['', null]])('parseCount(%j) = %j', (s, v) => expect(parseCount(s)).toBe(v));
  it.each([['11', 11], ['11,5 %', 11.5], ['100', 100], ['101', null], ['abc', null]])('parsePercent(%j) = %j', (s, v) => expect(parsePercent(s)).toBe(v));
});

describe('checking lines and computing months', () => {
  it('when the July telephony file is imported, then answered calls are 94 % (golden), with a figure per bureau', async () => {
    const t = await readTable('juillet.csv', julyCsv);
    const mapping = guessMapping('telephonie', t.header);
    expect(checkMapping('telephonie', t.header, mapping)).toEqual([]);
    const checked = checkRows('telephonie', t.header, t.rows, t.lines, mapping);
    expect(checked.errors).toEqual([]);
    const values = monthlyValues('telephonie', checked.good);
    const total = values.find((v) => v.breakdown === '')!;
    expect(total).toMatchObject({ month: '2019-07-01', numerator: 4700, denominator: 5000 });
    expect(Math.round(total.value)).toBe(94);
    expect(values.filter((v) => v.breakdown).map((v) => [v.breakdown, v.denominator! - v.numerator!])).toEqual([
      ['Bureau de la citoyenneté', 66], ['Bureau du séjour des étrangers', 144], ['Standard', 90],
    ]);
  });

  it('when lines hold bad dates, bad numbers, gaps and duplicates, then each is reported with line, column, value and why', () => {
    const header = ['Date', 'Bureau', 'Appels décrochés', 'Appels perdus'];
    const rows = [
      ['01/07/2019', 'Standard', '10', '1'],
      ['32/07/2019', 'Standard', '10', '1'],
      ['02/07/2019', 'Standard', 'dix', ''],
      ['01/07/2019', 'Standard', '12', '2'],
      ['01/07/2019', 'Bureau du séjour', '5', '0'],
    ];
    const mapping = guessMapping('telephonie', header);
    const r = checkRows('telephonie', header, rows, [2, 3, 4, 5, 7], mapping);
    expect(r.errors).toEqual([
      { line: 3, column: 'Date', value: '32/07/2019', reason: 'date illisible (attendu JJ/MM/AAAA ou AAAA-MM-JJ)' },
      { line: 4, column: 'Appels décrochés', value: 'dix', reason: 'nombre entier positif attendu' },
      { line: 4, column: 'Appels perdus', value: '', reason: 'valeur manquante' },
      { line: 5, column: 'Date', value: '01/07/2019', reason: 'doublon de la ligne 2 (même jour et même bureau)' },
    ]);
    expect(r.badLines).toEqual([3, 4, 5]);
    expect(r.good.map((g) => g.line)).toEqual([2, 7]);
  });

  it('when the mapping lacks a required field or names a column twice, then it says which', () => {
    const header = ['Jour', 'Total'];
    expect(checkMapping('telephonie', header, { date: 'Jour', decroches: 'Total', perdus: 'Total' }).map((p) => p.field)).toEqual(['perdus']);
    expect(checkMapping('telephonie', header, { date: 'Jour', decroches: 'Total' }).map((p) => p.field)).toEqual(['perdus']);
    expect(checkMapping('site', header, { mois: 'Absent', taux: 'Total' })).toEqual([{ field: 'mois', reason: 'La colonne « Absent » n’existe pas dans le fichier.' }]);
  });

  it('when a previous mapping names columns that still exist, then it is offered again', () => {
    expect(guessMapping('site', ['Période', 'Valeur A', 'Valeur B'], { mois: 'Période', taux: 'Valeur B' })).toEqual({ mois: 'Période', taux: 'Valeur B' });
  });

  it('when a website export is read, then each month gives the connection rate', () => {
    const header = ['Mois', 'Taux de connexion'];
    const r = checkRows('site', header, [['juillet 2019', '11 %'], ['08/2019', '10,5']], [2, 3], guessMapping('site', header));
    expect(monthlyValues('site', r.good).map((v) => [v.month, v.value])).toEqual([['2019-07-01', 11], ['2019-08-01', 10.5]]);
  });
});
