/** Header access shared by the classifiers (pure). */

/**
 * Headers of a message: lowercase names → raw (unfolded, undecoded) values. A Map with the same
 * shape is accepted too.
 */
export type HeaderBag =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | ReadonlyMap<string, string | readonly string[]>;

/** Every value of a header (case-insensitive name), trimmed. */
export function headerValues(headers: HeaderBag | undefined | null, name: string): string[] {
  if (!headers) return [];
  const key = name.toLowerCase();
  let v: string | readonly string[] | undefined;
  if (headers instanceof Map) {
    v = headers.get(key) as string | readonly string[] | undefined;
  } else {
    const rec = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
    v = rec[key];
    if (v === undefined) {
      for (const k of Object.keys(rec)) {
        if (k.toLowerCase() === key) {
          v = rec[k];
          break;
        }
      }
    }
  }
  if (v === undefined || v === null) return [];
  const list = typeof v === 'string' ? [v] : Array.from(v);
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.trim());
}

/** First value of a header, or null. */
export function headerValue(headers: HeaderBag | undefined | null, name: string): string | null {
  const v = headerValues(headers, name);
  return v.length ? v[0] : null;
}

/** Main value of a structured header such as Content-Type, lowercased ('multipart/report'). */
export function mainValue(raw: string | null): string {
  if (!raw) return '';
  return raw.split(';')[0].trim().toLowerCase();
}

/** A parameter of a structured header (`report-type` of Content-Type), lowercased, or null. */
export function headerParam(raw: string | null, param: string): string | null {
  if (!raw) return null;
  const re = new RegExp(`(?:^|;)\\s*${param.replace(/[-]/g, '\\-')}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
  const m = re.exec(raw);
  if (!m) return null;
  return (m[1] ?? m[2] ?? '').trim().toLowerCase();
}
