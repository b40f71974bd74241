/**
 * French public holidays (jours fériés) per zone, for working-day computations.
 *
 * Sources and rules (see domain.md §6):
 * - National list (Code du travail L3133-1) comes from date-holidays (country 'FR'), keeping only
 *   entries of type 'public' (the library also returns observances such as Mother's Day).
 * - Alsace-Moselle is date-holidays' state 'FR-57' (identical to 67 and 68): adds Good Friday
 *   and 26 December.
 * - Overseas zones = the national list + the abolition-of-slavery day, taken from our own table
 *   (ABOLITION_DAYS) rather than from date-holidays' own GP/MQ/GF/RE/YT/MF data, because that data
 *   (checked on 3.37.0) also marks Good Friday as public in Guadeloupe and Martinique, which no
 *   national text makes a public holiday, and puts Saint-Martin's day on 27 May where the current
 *   decree says 28 May. A prefecture that closes on another local day can list it in
 *   `extraHolidays`.
 * - Whit Monday (lundi de Pentecôte) may be the worked « journée de solidarité »: when
 *   `whitMondayWorked` is true it is removed, unless the same date is also another holiday
 *   (e.g. Guyane's 10 June 2019).
 *
 * Holiday data of date-holidays is CC BY-SA 3.0 (credit it on the about page).
 * Pure module: no clock reading, no I/O. Computing one year costs a few milliseconds, so each
 * (zone, year, whitMondayWorked) set is computed once and cached.
 */
import Holidays from 'date-holidays';

export type HolidayZone =
  | 'metropole'
  | 'alsace-moselle'
  | 'guadeloupe'
  | 'martinique'
  | 'guyane'
  | 'reunion'
  | 'mayotte'
  | 'saint-martin';

/** Every zone with its French label, in display order. */
export const HOLIDAY_ZONES: ReadonlyArray<{ readonly zone: HolidayZone; readonly label: string }> = [
  { zone: 'metropole', label: 'France métropolitaine' },
  { zone: 'alsace-moselle', label: 'Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)' },
  { zone: 'guadeloupe', label: 'Guadeloupe' },
  { zone: 'martinique', label: 'Martinique' },
  { zone: 'guyane', label: 'Guyane' },
  { zone: 'reunion', label: 'La Réunion' },
  { zone: 'mayotte', label: 'Mayotte' },
  { zone: 'saint-martin', label: 'Saint-Martin' },
];

export interface HolidayOptions {
  zone: HolidayZone;
  /** true when Whit Monday is the worked « journée de solidarité » (then it is a working day). */
  whitMondayWorked: boolean;
  /** Additional closed dates (ISO 'YYYY-MM-DD'), e.g. a local custom. Optional. */
  extraHolidays?: readonly string[];
}

export interface Holiday {
  /** ISO calendar date 'YYYY-MM-DD' (Paris civil date). */
  date: string;
  /** French name. */
  name: string;
}

/** Abolition-of-slavery day per overseas zone: [month, day] (domain.md §6). */
export const ABOLITION_DAYS: Readonly<Partial<Record<HolidayZone, readonly [number, number]>>> = {
  mayotte: [4, 27],
  martinique: [5, 22],
  guadeloupe: [5, 27],
  'saint-martin': [5, 28],
  guyane: [6, 10],
  reunion: [12, 20],
};

const WHIT_MONDAY_RULE = 'easter 50';
const GOOD_FRIDAY_RULE = 'easter -2';

let frNational: Holidays | undefined;
let frAlsaceMoselle: Holidays | undefined;

function libraryFor(zone: HolidayZone): Holidays {
  if (zone === 'alsace-moselle') {
    frAlsaceMoselle ??= new Holidays('FR', '57', { languages: ['fr'] });
    return frAlsaceMoselle;
  }
  frNational ??= new Holidays('FR', { languages: ['fr'] });
  return frNational;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 2999) {
    throw new RangeError(`unsupported year: ${year}`);
  }
}

const listCache = new Map<string, readonly Holiday[]>();
const setCache = new Map<string, ReadonlySet<string>>();

/**
 * The public holidays of one year in a zone, sorted by date (a date may appear twice when two
 * holidays fall on it). `extraHolidays` is not included: see isHoliday.
 */
export function holidaysOf(year: number, opts: HolidayOptions): readonly Holiday[] {
  assertYear(year);
  const key = `${opts.zone}|${year}|${opts.whitMondayWorked ? 1 : 0}`;
  const cached = listCache.get(key);
  if (cached) return cached;

  const list: Holiday[] = [];
  for (const h of libraryFor(opts.zone).getHolidays(year)) {
    if (h.type !== 'public') continue;
    if (opts.whitMondayWorked && h.rule === WHIT_MONDAY_RULE) continue;
    // Good Friday is public only in Alsace-Moselle; the 'FR' data has none, guard anyway.
    if (opts.zone !== 'alsace-moselle' && h.rule === GOOD_FRIDAY_RULE) continue;
    list.push({ date: h.date.slice(0, 10), name: h.name });
  }
  const abolition = ABOLITION_DAYS[opts.zone];
  if (abolition) {
    list.push({
      date: `${year}-${pad2(abolition[0])}-${pad2(abolition[1])}`,
      name: 'Abolition de l’esclavage',
    });
  }
  list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const frozen = Object.freeze(list);
  listCache.set(key, frozen);
  return frozen;
}

/** The set of holiday ISO dates of one year in a zone (cached). */
export function holidaySet(year: number, opts: HolidayOptions): ReadonlySet<string> {
  const key = `${opts.zone}|${year}|${opts.whitMondayWorked ? 1 : 0}`;
  let set = setCache.get(key);
  if (!set) {
    set = new Set(holidaysOf(year, opts).map((h) => h.date));
    setCache.set(key, set);
  }
  return set;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is this ISO calendar date ('YYYY-MM-DD') a public holiday (or an extra closed day) in the zone? */
export function isHoliday(isoDate: string, opts: HolidayOptions): boolean {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`not an ISO date: ${isoDate}`);
  if (opts.extraHolidays && opts.extraHolidays.includes(isoDate)) return true;
  return holidaySet(Number(m[1]), opts).has(isoDate);
}
