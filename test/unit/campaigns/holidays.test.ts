import Holidays from 'date-holidays';
import {
  ABOLITION_DAYS,
  HOLIDAY_ZONES,
  holidaySet,
  holidaysOf,
  isHoliday,
  type HolidayZone,
} from '../../../server/campaigns/calendar/holidays';

const NATIONAL_2019 = [
  '2019-01-01', '2019-04-22', '2019-05-01', '2019-05-08', '2019-05-30', '2019-06-10',
  '2019-07-14', '2019-08-15', '2019-11-01', '2019-11-11', '2019-12-25',
];

describe('holiday zones', () => {
  it('lists the eight zones with French labels', () => {
    expect(HOLIDAY_ZONES.map((z) => z.zone)).toEqual([
      'metropole', 'alsace-moselle', 'guadeloupe', 'martinique', 'guyane', 'reunion', 'mayotte', 'saint-martin',
    ]);
    expect(HOLIDAY_ZONES.find((z) => z.zone === 'reunion')?.label).toBe('La Réunion');
    for (const z of HOLIDAY_ZONES) expect(z.label.length).toBeGreaterThan(3);
  });
});

describe('holidaysOf', () => {
  it('gives the 11 national holidays of 2019 (public only, no observances)', () => {
    expect(holidaysOf(2019, { zone: 'metropole', whitMondayWorked: false }).map((h) => h.date)).toEqual(NATIONAL_2019);
  });

  it('removes Whit Monday when it is the worked solidarity day', () => {
    const dates = holidaysOf(2019, { zone: 'metropole', whitMondayWorked: true }).map((h) => h.date);
    expect(dates).not.toContain('2019-06-10');
    expect(dates).toHaveLength(10);
  });

  it('adds Good Friday and 26 December in Alsace-Moselle', () => {
    const dates = holidaysOf(2019, { zone: 'alsace-moselle', whitMondayWorked: false }).map((h) => h.date);
    expect(dates).toEqual([...NATIONAL_2019, '2019-04-19', '2019-12-26'].sort());
    expect(holidaySet(2027, { zone: 'alsace-moselle', whitMondayWorked: false }).has('2027-03-26')).toBe(true);
  });

  it.each<[HolidayZone, string]>([
    ['mayotte', '04-27'],
    ['martinique', '05-22'],
    ['guadeloupe', '05-27'],
    ['saint-martin', '05-28'],
    ['guyane', '06-10'],
    ['reunion', '12-20'],
  ])('%s: national list + abolition of slavery on %s', (zone, mmdd) => {
    for (const year of [2019, 2026, 2027]) {
      const list = holidaysOf(year, { zone, whitMondayWorked: false });
      expect(list.map((h) => h.date)).toContain(`${year}-${mmdd}`);
      expect(list.some((h) => h.date === `${year}-${mmdd}` && /esclavage/.test(h.name))).toBe(true);
      // national list + 1, no Good Friday (domain.md §6)
      expect(list).toHaveLength(12);
    }
  });

  it('keeps Guyane 10 June 2019 when Whit Monday (same date) is worked', () => {
    expect(isHoliday('2019-06-10', { zone: 'guyane', whitMondayWorked: true })).toBe(true);
    expect(isHoliday('2019-06-10', { zone: 'metropole', whitMondayWorked: true })).toBe(false);
  });

  it('agrees with date-holidays overseas data on abolition days, except Saint-Martin (28 May, not 27)', () => {
    const codes: Record<string, HolidayZone> = { GP: 'guadeloupe', MQ: 'martinique', GF: 'guyane', RE: 'reunion', YT: 'mayotte' };
    for (const [code, zone] of Object.entries(codes)) {
      const lib = new Holidays(code);
      for (const year of [2019, 2026, 2027]) {
        const abolition = lib.getHolidays(year).find((h) => h.type === 'public' && /esclavage/i.test(h.name));
        const [m, d] = ABOLITION_DAYS[zone]!;
        expect(abolition?.date.slice(5, 10)).toBe(`${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      }
    }
    const mf = new Holidays('MF').getHolidays(2019).find((h) => /esclavage/i.test(h.name));
    expect(mf?.date.slice(0, 10)).toBe('2019-05-27');
    expect(isHoliday('2019-05-28', { zone: 'saint-martin', whitMondayWorked: false })).toBe(true);
    expect(isHoliday('2019-05-27', { zone: 'saint-martin', whitMondayWorked: false })).toBe(false);
  });

  it('does not make Good Friday a holiday in Guadeloupe or Martinique (date-holidays does)', () => {
    expect(new Holidays('GP').isHoliday(new Date(2019, 3, 19, 12))).toBeTruthy();
    expect(isHoliday('2019-04-19', { zone: 'guadeloupe', whitMondayWorked: false })).toBe(false);
    expect(isHoliday('2019-04-19', { zone: 'martinique', whitMondayWorked: false })).toBe(false);
  });
});

describe('isHoliday', () => {
  const metro = { zone: 'metropole' as const, whitMondayWorked: false };

  it.each([
    ['2026-01-01', true], ['2026-04-06', true], ['2026-05-14', true], ['2026-05-25', true],
    ['2026-07-14', true], ['2026-11-11', true], ['2026-12-25', true], ['2026-04-03', false],
    ['2027-03-29', true], ['2027-05-06', true], ['2027-05-17', true], ['2027-11-01', true],
    ['2027-12-26', false], ['2026-11-02', false],
  ])('%s → %s (metropole)', (date, expected) => {
    expect(isHoliday(date, metro)).toBe(expected);
  });

  it('accepts extra closed days', () => {
    expect(isHoliday('2019-12-24', { ...metro, extraHolidays: ['2019-12-24'] })).toBe(true);
    expect(isHoliday('2019-12-24', metro)).toBe(false);
  });

  it('rejects malformed dates', () => {
    expect(() => isHoliday('2019-6-1', metro)).toThrow(RangeError);
    expect(() => holidaysOf(1800, metro)).toThrow(RangeError);
  });

  it('caches one set per zone, year and Whit Monday setting', () => {
    expect(holidaySet(2019, metro)).toBe(holidaySet(2019, { zone: 'metropole', whitMondayWorked: false }));
    expect(holidaySet(2019, metro)).not.toBe(holidaySet(2019, { zone: 'metropole', whitMondayWorked: true }));
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) isHoliday(i % 2 ? '2019-06-10' : '2027-03-29', metro);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
