import { attendanceTable } from '../../../server/indicators/attendance';
import type { MonthValue } from '../../../server/indicators/board';

const mv = (month: string, value: number, indicatorId = 'point-numerique-visiteurs', breakdown = ''): MonthValue =>
  ({ indicatorId, month, breakdown, value, numerator: null, denominator: null, source: 'typed' });

describe('attendance table (months in rows, years in columns)', () => {
  it('when two years have values, then each month sits in its year’s column and totals add the known months', () => {
    const t = attendanceTable([mv('2018-01-01', 150), mv('2018-02-01', 170), mv('2019-01-01', 210), mv('2019-07-01', 200)], [2018, 2019]);
    expect(t.years).toEqual([2018, 2019]);
    expect(t.months).toHaveLength(12);
    expect(t.months[0]).toEqual({ month: 1, cells: [150, 210] });
    expect(t.months[1]).toEqual({ month: 2, cells: [170, null] });
    expect(t.months[6]).toEqual({ month: 7, cells: [null, 200] });
    expect(t.months[11]).toEqual({ month: 12, cells: [null, null] });
    expect(t.totals).toEqual([{ year: 2018, total: 320, monthsKnown: 2 }, { year: 2019, total: 410, monthsKnown: 2 }]);
  });

  it.each([
    ['another indicator', mv('2019-03-01', 99, 'appels-aboutis')],
    ['a breakdown (a reason or a site)', mv('2019-03-01', 99, 'point-numerique-visiteurs', 'ANTS')],
    ['a year not shown', mv('2017-03-01', 99)],
  ])('when a value is of %s, then it is left out', (_, v) => {
    const t = attendanceTable([v], [2018, 2019]);
    expect(t.months[2].cells).toEqual([null, null]);
    expect(t.totals.map((x) => x.total)).toEqual([0, 0]);
  });

  it('when a year has no value at all, then its total covers 0 months (not a measured zero)', () => {
    expect(attendanceTable([], [2019]).totals).toEqual([{ year: 2019, total: 0, monthsKnown: 0 }]);
  });
});
