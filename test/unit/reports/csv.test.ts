/** The French Excel CSV dialect and formula neutralisation, table-driven. */
import { BOM, cellText, csvField, csvRow, formatDateTimeCell, formatDecimal, neutraliseFormula } from '../../../server/reports/csv';

describe('neutraliseFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['=HYPERLINK("http://evil.test","clic")', '\'=HYPERLINK("http://evil.test","clic")'],
    ['+33 4 50 33 60 00', "'+33 4 50 33 60 00"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', "'\rCR"],
    ['Très satisfait', 'Très satisfait'],
    ['a=b', 'a=b'],
    [' =1', ' =1'],
    ['', ''],
  ])('when a text cell is %j, then it becomes %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });
});

describe('formatDecimal', () => {
  it.each([
    [96, 2, '96'],
    [0.5, 2, '0,5'],
    [1.25, 2, '1,25'],
    [1.255, 1, '1,3'],
    [-3, 2, '-3'],
    [-0.0001, 2, '0'],
    [1234567.5, 2, '1234567,5'],
    [Number.NaN, 2, ''],
  ])('when %p is written with at most %p decimals, then it reads %j (decimal comma, no grouping)', (n, d, expected) => {
    expect(formatDecimal(n, d)).toBe(expected);
  });
});

describe('csvField', () => {
  it.each<[string, Parameters<typeof csvField>[0], string]>([
    ['plain text', 'Accueil global', 'Accueil global'],
    ['a separator', 'a;b', '"a;b"'],
    ['quotes', 'dit "bonjour"', '"dit ""bonjour"""'],
    ['a line break', 'ligne 1\nligne 2', '"ligne 1\nligne 2"'],
    ['a CRLF', 'a\r\nb', '"a\r\nb"'],
    ['edge spaces', ' x ', '" x "'],
    ['a formula', '=1+1', "'=1+1"],
    ['a formula with a separator', '=A1;B1', '"\'=A1;B1"'],
    ['a number', 91.5, '91,5'],
    ['a negative number', -3, '-3'],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['true', true, 'oui'],
  ])('when the cell holds %s, then the field is right', (_what, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('when the cell holds a date, then it is written dd/mm/yyyy hh:mm in Paris time', () => {
    expect(cellText(new Date('2018-10-15T12:32:00Z'))).toBe('15/10/2018 14:32');
    expect(formatDateTimeCell(new Date('2019-01-01T23:05:00Z'))).toBe('02/01/2019 00:05');
  });
});

describe('csvRow', () => {
  it('when a row is written, then fields are joined by ; and the line ends with CRLF', () => {
    expect(csvRow(['Courtoisie des agents d’accueil', 96, '%', null])).toBe('Courtoisie des agents d’accueil;96;%;\r\n');
  });
  it('the BOM is the UTF-8 byte-order mark', () => {
    expect(Buffer.from(BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
