/** The French Excel CSV dialect and formula neutralisation, table-driven. */
import { BOM, CsvEncoder, cellText, csvField, csvRow, formatDateTimeCell, formatDecimal, neutraliseFormula, type Cell } from '../../../server/reports/csv';

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

describe('CsvEncoder', () => {
  const date = new Date('2018-10-15T12:32:00Z');
  const cases: [string, Cell[]][] = [
    ['empty cells', [null, undefined, '']],
    ['labels and plain text', ['Très satisfait', 'Accueil général', 'fr']],
    ['numbers, booleans and a date', [96.5, -3, 0, true, false, date]],
    ['separators, quotes, line breaks and edge spaces', ['a;b', 'il a dit "bonjour"', 'ligne 1\r\nligne 2', ' avant', 'après ']],
    ['formula starts', ['=1+1', '+33 4 50 33 60 00', '-2', '@SUM(A1)', '\tTAB']],
    ['characters beyond Latin-1', ['L’accueil « très bien »', 'تمام', '👍 merci']],
    ['a text longer than the encoder’s buffer', ['x'.repeat(70_000) + ';"']],
  ];

  it.each(cases)('when a row holds %s, then its bytes are exactly csvRow’s, cached or not', (_case, row) => {
    for (const repeats of [false, true]) {
      const encoder = new CsvEncoder(row.map(() => repeats), 16);
      encoder.row(row);
      encoder.row(row);
      expect(encoder.take().toString('utf8')).toBe(csvRow(row) + csvRow(row));
    }
  });

  it('when many rows are encoded, then the buffers handed over are never written again', () => {
    const encoder = new CsvEncoder([true, false, false], 64);
    const taken: Buffer[] = [];
    const expected: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      let text = '';
      for (let i = 0; i < 300; i++) {
        const row: Cell[] = [i % 2 ? 'Satisfait' : 'Très satisfait', `réponse ${batch}-${i}`, i];
        encoder.row(row);
        text += csvRow(row);
      }
      taken.push(encoder.take());
      expected.push(text);
    }
    expect(taken.map((b) => b.toString('utf8'))).toEqual(expected);
  });
});
