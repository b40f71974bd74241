import type { HolidayZone } from '../../../server/campaigns/calendar/holidays';
import {
  addCalendarDays,
  addWorkingDays,
  deadlineFor,
  isWorkingDay,
  nthWorkingDateAfter,
  parisDateOf,
  parisOffsetMs,
  parisPartsForTests,
  intlParisPartsForTests,
  startOfParisDay,
  withinDeadline,
  workingDaysBetween,
  type WorkingDayOptions,
} from '../../../server/campaigns/calendar/working-days';

const opts = (zone: HolidayZone = 'metropole', whitMondayWorked = false): WorkingDayOptions => ({ zone, whitMondayWorked });
const metro = opts();
const alsace = opts('alsace-moselle');
const at = (s: string): Date => new Date(s);

describe('Paris civil time helpers', () => {
  it.each([
    ['2019-03-31', '2019-03-30T23:00:00.000Z'], // spring-forward day starts in winter time
    ['2019-04-01', '2019-03-31T22:00:00.000Z'],
    ['2019-10-27', '2019-10-26T22:00:00.000Z'], // fall-back day starts in summer time
    ['2019-10-28', '2019-10-27T23:00:00.000Z'],
    ['2027-03-28', '2027-03-27T23:00:00.000Z'],
    ['2026-10-25', '2026-10-24T22:00:00.000Z'],
    ['2020-01-01', '2019-12-31T23:00:00.000Z'],
  ])('start of %s is %s', (iso, expected) => {
    expect(startOfParisDay(iso).toISOString()).toBe(expected);
  });

  it('gives the Paris date of an instant, not the UTC date', () => {
    expect(parisDateOf(at('2019-12-31T23:30:00Z'))).toBe('2020-01-01');
    expect(parisDateOf(at('2019-06-10T22:30:00Z'))).toBe('2019-06-11');
    expect(parisDateOf(at('2019-03-31T00:59:59Z'))).toBe('2019-03-31');
  });

  it('knows the offset on both sides of each DST change', () => {
    expect(parisOffsetMs(at('2019-03-31T00:59:59Z'))).toBe(3_600_000);
    expect(parisOffsetMs(at('2019-03-31T01:00:00Z'))).toBe(7_200_000);
    expect(parisOffsetMs(at('2019-10-27T00:59:59Z'))).toBe(7_200_000);
    expect(parisOffsetMs(at('2019-10-27T01:00:00Z'))).toBe(3_600_000);
  });

  it('reads Paris civil time from its per-hour offset cache exactly as Intl does', () => {
    // Instants spread over 1900–2100 (the 1911 change from Paris mean time, the war years,
    // every DST rule since 1976), plus a walk second by second around two 2019 changes.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const instants: number[] = [];
    for (let i = 0; i < 3000; i++) instants.push(Math.floor(Date.UTC(1900, 0, 1) + next() * (Date.UTC(2100, 0, 1) - Date.UTC(1900, 0, 1))));
    for (const change of ['2019-03-31T01:00:00Z', '2019-10-27T01:00:00Z', '1911-03-11T00:00:00Z']) {
      for (let s = -5; s <= 5; s++) instants.push(Date.parse(change) + s * 1000 + 250);
    }
    const mismatches = instants.filter((ms) => JSON.stringify(parisPartsForTests(ms)) !== JSON.stringify(intlParisPartsForTests(ms)));
    expect(mismatches.map((ms) => new Date(ms).toISOString())).toEqual([]);
  });

  it('adds calendar days across month and year ends', () => {
    expect(addCalendarDays('2019-12-31', 1)).toBe('2020-01-01');
    expect(addCalendarDays('2020-02-28', 1)).toBe('2020-02-29');
    expect(addCalendarDays('2019-03-01', -1)).toBe('2019-02-28');
  });
});

describe('isWorkingDay', () => {
  it.each<[string, WorkingDayOptions, boolean, string]>([
    ['2019-01-01', metro, false, "New Year's Day"],
    ['2019-01-02', metro, true, 'ordinary Wednesday'],
    ['2019-04-19', metro, true, 'Good Friday, national'],
    ['2019-04-19', alsace, false, 'Good Friday, Alsace-Moselle'],
    ['2019-04-22', metro, false, 'Easter Monday'],
    ['2019-05-01', metro, false, '1 May'],
    ['2019-05-08', metro, false, '8 May'],
    ['2019-05-30', metro, false, 'Ascension 2019'],
    ['2019-05-31', metro, true, 'Friday after Ascension'],
    ['2019-06-10', metro, false, 'Whit Monday, not worked'],
    ['2019-06-10', opts('metropole', true), true, 'Whit Monday, worked solidarity day'],
    ['2019-06-10', opts('guyane', true), false, 'Guyane abolition day on Whit Monday'],
    ['2019-07-14', metro, false, '14 July (a Sunday)'],
    ['2019-07-15', metro, true, 'no substitute Monday in France'],
    ['2019-08-15', metro, false, '15 August'],
    ['2019-11-01', metro, false, 'All Saints'],
    ['2019-11-11', metro, false, 'Armistice'],
    ['2019-12-25', metro, false, 'Christmas'],
    ['2019-12-26', metro, true, '26 December, national'],
    ['2019-12-26', alsace, false, '26 December, Alsace-Moselle'],
    ['2019-12-20', metro, true, '20 December, metropole'],
    ['2019-12-20', opts('reunion'), false, 'Réunion abolition day'],
    ['2019-05-22', opts('martinique'), false, 'Martinique abolition day'],
    ['2019-05-27', opts('guadeloupe'), false, 'Guadeloupe abolition day'],
    ['2026-04-27', opts('mayotte'), false, 'Mayotte abolition day'],
    ['2019-12-21', metro, false, 'Saturday'],
    ['2019-12-22', metro, false, 'Sunday'],
    ['2026-01-01', metro, false, "New Year's Day 2026"],
    ['2026-04-03', alsace, false, 'Good Friday 2026, Alsace-Moselle'],
    ['2026-04-06', metro, false, 'Easter Monday 2026'],
    ['2026-05-14', metro, false, 'Ascension 2026'],
    ['2026-05-15', metro, true, 'Friday after Ascension 2026'],
    ['2026-05-25', metro, false, 'Whit Monday 2026'],
    ['2026-07-14', metro, false, '14 July 2026 (Tuesday)'],
    ['2026-11-02', metro, true, 'Monday after 1 Nov 2026 (a Sunday)'],
    ['2026-11-11', metro, false, 'Armistice 2026'],
    ['2026-12-25', metro, false, 'Christmas 2026'],
    ['2027-01-01', metro, false, "New Year's Day 2027"],
    ['2027-03-26', alsace, false, 'Good Friday 2027, Alsace-Moselle'],
    ['2027-03-26', metro, true, 'Good Friday 2027, national'],
    ['2027-03-29', metro, false, 'Easter Monday 2027 (day after the DST change)'],
    ['2027-05-06', metro, false, 'Ascension 2027'],
    ['2027-05-17', metro, false, 'Whit Monday 2027'],
    ['2027-05-17', opts('metropole', true), true, 'Whit Monday 2027, worked'],
    ['2027-11-01', metro, false, 'All Saints 2027'],
    ['2027-12-20', opts('reunion'), false, 'Réunion 2027'],
    ['2027-12-27', alsace, true, 'Alsace-Moselle: 26 Dec 2027 is a Sunday, no substitute'],
  ])('%s (%s) → %s: %s', (date, o, expected) => {
    expect(isWorkingDay(date, o)).toBe(expected);
  });

  it('judges an instant by its Paris date', () => {
    expect(isWorkingDay(at('2019-06-10T22:30:00Z'), metro)).toBe(true); // Tue 11 June 00:30 Paris
    expect(isWorkingDay(at('2019-05-29T22:30:00Z'), metro)).toBe(false); // Ascension 00:30 Paris
    expect(isWorkingDay(at('2019-12-31T23:30:00Z'), metro)).toBe(false); // 1 Jan 2020 00:30 Paris
  });

  it('honours extra closed days', () => {
    expect(isWorkingDay('2019-12-24', { ...metro, extraHolidays: ['2019-12-24'] })).toBe(false);
  });
});

describe('workingDaysBetween', () => {
  it.each<[string, string, WorkingDayOptions, number, string]>([
    ['2019-06-14T16:00:00+02:00', '2019-06-17T10:00:00+02:00', metro, 0.75, "domain example: Friday 16:00 → Monday 10:00"],
    ['2019-06-03T10:00:00+02:00', '2019-06-03T16:00:00+02:00', metro, 0.25, 'same day'],
    ['2019-06-01T12:00:00+02:00', '2019-06-03T06:00:00+02:00', metro, 0.25, 'sent Saturday: counted from Monday 00:00'],
    ['2019-05-30T09:00:00+02:00', '2019-05-31T12:00:00+02:00', metro, 0.5, 'sent on Ascension: counted from Friday 00:00'],
    ['2019-06-07T12:00:00+02:00', '2019-06-11T12:00:00+02:00', metro, 1, 'over Whit Monday, not worked'],
    ['2019-06-07T12:00:00+02:00', '2019-06-11T12:00:00+02:00', opts('metropole', true), 2, 'over Whit Monday, worked'],
    ['2019-05-29T12:00:00+02:00', '2019-05-31T12:00:00+02:00', metro, 1, 'over Ascension 2019'],
    ['2019-04-18T09:00:00+02:00', '2019-04-23T09:00:00+02:00', metro, 2, 'over Easter (metropole)'],
    ['2019-04-18T09:00:00+02:00', '2019-04-23T09:00:00+02:00', alsace, 1, 'over Easter (Alsace-Moselle: Good Friday)'],
    ['2019-03-29T16:00:00+01:00', '2019-04-01T10:00:00+02:00', metro, 0.75, 'over the spring DST weekend 2019'],
    ['2019-10-25T16:00:00+02:00', '2019-10-28T10:00:00+01:00', metro, 0.75, 'over the autumn DST weekend 2019'],
    ['2026-10-23T16:00:00+02:00', '2026-10-26T10:00:00+01:00', metro, 0.75, 'over the autumn DST weekend 2026'],
    ['2027-03-26T16:00:00+01:00', '2027-03-30T10:00:00+02:00', metro, 0.75, 'spring DST 2027 + Easter Monday'],
    ['2019-07-12T12:00:00+02:00', '2019-07-15T12:00:00+02:00', metro, 1, '14 July 2019 is a Sunday'],
    ['2026-07-13T12:00:00+02:00', '2026-07-15T12:00:00+02:00', metro, 1, '14 July 2026'],
    ['2019-08-14T12:00:00+02:00', '2019-08-16T12:00:00+02:00', metro, 1, '15 August 2019'],
    ['2019-10-31T12:00:00+01:00', '2019-11-04T12:00:00+01:00', metro, 1, '1 November 2019'],
    ['2019-11-08T12:00:00+01:00', '2019-11-12T12:00:00+01:00', metro, 1, '11 November 2019'],
    ['2019-12-24T12:00:00+01:00', '2019-12-27T12:00:00+01:00', metro, 2, 'Christmas 2019 (metropole)'],
    ['2019-12-24T12:00:00+01:00', '2019-12-27T12:00:00+01:00', alsace, 1, 'Christmas 2019 (Alsace-Moselle: 26 Dec)'],
    ['2019-12-19T12:00:00+01:00', '2019-12-23T12:00:00+01:00', opts('reunion'), 1, 'Réunion 20 December'],
    ['2019-12-19T12:00:00+01:00', '2019-12-23T12:00:00+01:00', metro, 2, 'same dates in metropole'],
    ['2019-12-31T12:00:00+01:00', '2020-01-02T12:00:00+01:00', metro, 1, 'year boundary 2019 → 2020'],
    ['2026-12-31T12:00:00+01:00', '2027-01-04T12:00:00+01:00', metro, 1, 'year boundary 2026 → 2027'],
    ['2019-05-13T00:00:00+02:00', '2019-06-17T00:00:00+02:00', metro, 23, 'five weeks with Ascension and Whit Monday'],
    ['2019-06-15T09:00:00+02:00', '2019-06-16T18:00:00+02:00', metro, 0, 'entirely in a weekend'],
  ])('%s → %s = %s (%s)', (sent, received, o, expected) => {
    expect(workingDaysBetween(at(sent), at(received), o)).toBeCloseTo(expected, 9);
  });

  it('is 0 when the receipt is not after the sending', () => {
    expect(workingDaysBetween(at('2019-06-03T10:00:00+02:00'), at('2019-06-03T10:00:00+02:00'), metro)).toBe(0);
    expect(workingDaysBetween(at('2019-06-04T10:00:00+02:00'), at('2019-06-03T10:00:00+02:00'), metro)).toBe(0);
  });

  it('rejects invalid dates', () => {
    expect(() => workingDaysBetween(new Date(NaN), at('2019-06-03T10:00:00+02:00'), metro)).toThrow(RangeError);
  });
});

describe('deadlineFor / withinDeadline (5 working days after the sending day)', () => {
  it.each<[string, WorkingDayOptions, string, string]>([
    ['2019-06-03T10:00:00+02:00', metro, '2019-06-12T00:00:00+02:00', 'Monday; Whit Monday skipped → end of Tue 11 June'],
    ['2019-06-03T10:00:00+02:00', opts('metropole', true), '2019-06-11T00:00:00+02:00', 'Whit Monday worked → end of Mon 10 June'],
    ['2019-06-03T23:59:00+02:00', metro, '2019-06-12T00:00:00+02:00', 'the time of sending does not matter'],
    ['2019-05-29T15:00:00+02:00', metro, '2019-06-07T00:00:00+02:00', 'Wednesday before Ascension → end of Thu 6 June'],
    ['2019-06-01T11:00:00+02:00', metro, '2019-06-08T00:00:00+02:00', 'Saturday: Monday is day 1 → end of Fri 7 June'],
    ['2019-06-01T11:00:00+02:00', { ...metro, sentOnNonWorkingDay: 'first-working-day-is-day-0' }, '2019-06-12T00:00:00+02:00', 'Saturday, day-0 policy → end of Tue 11 June'],
    ['2019-05-30T10:00:00+02:00', metro, '2019-06-07T00:00:00+02:00', 'sent on Ascension: Friday is day 1'],
    ['2019-05-30T10:00:00+02:00', { ...metro, sentOnNonWorkingDay: 'first-working-day-is-day-0' }, '2019-06-08T00:00:00+02:00', 'sent on Ascension, day-0 policy'],
    ['2019-06-14T16:00:00+02:00', metro, '2019-06-22T00:00:00+02:00', 'Friday → end of next Friday'],
    ['2019-12-23T10:00:00+01:00', metro, '2020-01-01T00:00:00+01:00', 'Christmas week, year boundary'],
    ['2019-12-23T10:00:00+01:00', alsace, '2020-01-03T00:00:00+01:00', 'Christmas week in Alsace-Moselle'],
    ['2019-10-23T10:00:00+02:00', metro, '2019-10-31T00:00:00+01:00', 'across the autumn DST change'],
    ['2027-03-24T10:00:00+01:00', metro, '2027-04-02T00:00:00+02:00', 'across spring DST and Easter Monday 2027'],
    ['2027-03-24T10:00:00+01:00', alsace, '2027-04-03T00:00:00+02:00', 'same, with Good Friday in Alsace-Moselle'],
    ['2026-12-23T10:00:00+01:00', metro, '2027-01-01T00:00:00+01:00', 'Christmas 2026, ends on 31 Dec'],
  ])('sent %s → deadline %s (%s)', (sent, o, deadline) => {
    expect(deadlineFor(at(sent), 5, o).toISOString()).toBe(at(deadline).toISOString());
  });

  it('counts n = 0 as the end of the sending day and checks n', () => {
    expect(deadlineFor(at('2019-06-03T10:00:00+02:00'), 0, metro).toISOString()).toBe(at('2019-06-04T00:00:00+02:00').toISOString());
    expect(() => deadlineFor(at('2019-06-03T10:00:00+02:00'), -1, metro)).toThrow(RangeError);
    expect(() => deadlineFor(at('2019-06-03T10:00:00+02:00'), 1.5, metro)).toThrow(RangeError);
  });

  it('is strict at the deadline instant', () => {
    const sent = at('2019-06-03T10:00:00+02:00');
    expect(withinDeadline(sent, at('2019-06-11T23:59:59+02:00'), 5, metro)).toBe(true);
    expect(withinDeadline(sent, at('2019-06-12T00:00:00+02:00'), 5, metro)).toBe(false);
    expect(withinDeadline(sent, at('2019-06-11T23:59:59+02:00'), 5, opts('metropole', true))).toBe(false);
    expect(withinDeadline(at('2019-06-14T16:00:00+02:00'), at('2019-06-17T10:00:00+02:00'), 5, metro)).toBe(true);
  });

  it('gives exactly n working days from a non-working sending day, n + rest of the day otherwise (all of 2019)', () => {
    for (let iso = '2019-01-01'; iso <= '2019-12-31'; iso = addCalendarDays(iso, 1)) {
      const sent = new Date(startOfParisDay(iso).getTime() + 10 * 3_600_000); // 10:00 Paris
      const elapsed = workingDaysBetween(sent, deadlineFor(sent, 5, metro), metro);
      expect(elapsed).toBeCloseTo(isWorkingDay(iso, metro) ? 5 + 14 / 24 : 5, 9);
    }
  });
});

describe('addWorkingDays and nthWorkingDateAfter', () => {
  it.each<[string, number, WorkingDayOptions, string]>([
    ['2019-06-14T16:00:00+02:00', 0.75, metro, '2019-06-17T10:00:00+02:00'],
    ['2019-06-14T16:00:00+02:00', 1, metro, '2019-06-17T16:00:00+02:00'],
    ['2019-06-14T16:00:00+02:00', 0, metro, '2019-06-14T16:00:00+02:00'],
    ['2019-06-15T12:00:00+02:00', 1, metro, '2019-06-18T00:00:00+02:00'],
    ['2019-06-07T12:00:00+02:00', 1, metro, '2019-06-11T12:00:00+02:00'],
    ['2019-06-07T12:00:00+02:00', 1, opts('metropole', true), '2019-06-10T12:00:00+02:00'],
    ['2019-03-29T16:00:00+01:00', 0.75, metro, '2019-04-01T10:00:00+02:00'],
    ['2019-12-31T12:00:00+01:00', 1, metro, '2020-01-02T12:00:00+01:00'],
  ])('%s + %s = %s', (from, n, o, expected) => {
    expect(addWorkingDays(at(from), n, o).toISOString()).toBe(at(expected).toISOString());
  });

  it('is the inverse of workingDaysBetween', () => {
    const starts = ['2019-05-15T09:30:00+02:00', '2019-06-08T15:00:00+02:00', '2019-10-25T18:00:00+02:00', '2026-12-24T08:00:00+01:00'];
    for (const s of starts) {
      for (const n of [0.1, 0.5, 1, 1.5, 2.25, 5, 7.9]) {
        const end = addWorkingDays(at(s), n, metro);
        expect(workingDaysBetween(at(s), end, metro)).toBeCloseTo(n, 6);
      }
    }
    expect(() => addWorkingDays(at('2019-06-03T10:00:00+02:00'), -1, metro)).toThrow(RangeError);
  });

  it('finds the n-th working date after a date', () => {
    expect(nthWorkingDateAfter('2019-06-07', 1, metro)).toBe('2019-06-11');
    expect(nthWorkingDateAfter('2019-06-07', 0, metro)).toBe('2019-06-07');
    expect(nthWorkingDateAfter('2019-12-24', 2, alsace)).toBe('2019-12-30');
  });
});
