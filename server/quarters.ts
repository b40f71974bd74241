/**
 * Calendar quarters (pure), shared by the Programme Transparence and the town-hall checks:
 * « 2019-T3 » is July–September 2019. Days are ISO dates (Europe/Paris calendar days).
 */
export interface Quarter {
  /** « 2019-T3 ». */
  id: string;
  year: number;
  /** 1–4. */
  q: number;
  /** First and last day, ISO. */
  from: string;
  to: string;
}

const QUARTER_RE = /^(\d{4})-T([1-4])$/;

export function isQuarterId(s: string): boolean {
  return QUARTER_RE.test(s);
}

export function quarter(year: number, q: number): Quarter {
  const firstMonth = (q - 1) * 3 + 1;
  const lastDay = new Date(Date.UTC(year, firstMonth + 2, 0)).getUTCDate();
  return {
    id: `${year}-T${q}`, year, q,
    from: `${year}-${String(firstMonth).padStart(2, '0')}-01`,
    to: `${year}-${String(firstMonth + 2).padStart(2, '0')}-${lastDay}`,
  };
}

export function parseQuarter(id: string): Quarter | null {
  const m = QUARTER_RE.exec(id);
  return m ? quarter(Number(m[1]), Number(m[2])) : null;
}

/** The quarter holding an ISO day. */
export function quarterOfDay(day: string): Quarter {
  return quarter(Number(day.slice(0, 4)), Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1);
}

export function addQuarters(qr: Quarter, n: number): Quarter {
  const i = qr.year * 4 + (qr.q - 1) + n;
  return quarter(Math.floor(i / 4), (i % 4) + 1);
}

const ORDINAL = ['1er', '2e', '3e', '4e'];
/** « 3e trimestre 2019 ». */
export function quarterLabel(qr: Quarter): string {
  return `${ORDINAL[qr.q - 1]} trimestre ${qr.year}`;
}

/** « 1er trimestre 2019 », « 2019-T1 », « T1 2019 », « 2019 T1 », « 1/2019 » → quarter; anything else null. */
export function parseQuarterText(s: string): Quarter | null {
  const t = s.trim().toUpperCase().replace(/\s+/g, ' ');
  let m = /^(\d{4})[- ]?T([1-4])$/.exec(t);
  if (m) return quarter(Number(m[1]), Number(m[2]));
  m = /^T([1-4])[- /]?(\d{4})$/.exec(t);
  if (m) return quarter(Number(m[2]), Number(m[1]));
  m = /^([1-4])(?:ER|E)? TRIMESTRE (\d{4})$/.exec(t);
  if (m) return quarter(Number(m[2]), Number(m[1]));
  return null;
}

/** Quarters whose last day falls within [from, to] (ISO days), oldest first. */
export function quartersEndingIn(from: string, to: string): Quarter[] {
  const out: Quarter[] = [];
  for (let qr = quarterOfDay(from); qr.from <= to; qr = addQuarters(qr, 1)) if (qr.to >= from && qr.to <= to) out.push(qr);
  return out;
}

/** Quarters overlapping [from, to], oldest first. */
export function quartersOverlapping(from: string, to: string): Quarter[] {
  const out: Quarter[] = [];
  for (let qr = quarterOfDay(from); qr.from <= to; qr = addQuarters(qr, 1)) out.push(qr);
  return out;
}

/** The Paris calendar day of an instant. */
export function parisDay(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}
