/**
 * JSON parsing that keeps where every value stands (line, column) and reports duplicate keys,
 * so survey problems can name the line of the file.
 */
type Pointer = (string | number)[];
type Json = Record<string, unknown>;
export interface ParsedJson {
  value: unknown;
  /** Line/column of every value, keyed by `pointerKey(pointer)`. */
  locations: Map<string, { line: number; column: number }>;
  duplicateKeys: { pointer: Pointer; key: string }[];
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'JsonSyntaxError';
  }
}

export function pointerKey(pointer: readonly (string | number)[]): string {
  return pointer.join('\u0000');
}

/** A strict JSON parser (RFC 8259) that records where each value starts and finds duplicate keys. */
export function parseJsonLocated(text: string): ParsedJson {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const offset = src === text ? 0 : 1;
  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const locations = new Map<string, { line: number; column: number }>();
  const duplicateKeys: { pointer: Pointer; key: string }[] = [];
  let pos = 0;

  const where = (p: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: p - lineStarts[lo] + 1 + (lo === 0 ? offset : 0) };
  };
  const fail = (reason: string, p = pos): never => {
    const w = where(p);
    throw new JsonSyntaxError(reason, w.line, w.column);
  };
  const describeChar = (p: number): string => (p >= src.length ? 'end of file' : `${JSON.stringify(src[p])}`);
  const ws = (): void => {
    for (;;) {
      const c = src.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else if (c === 47 && (src[pos + 1] === '/' || src[pos + 1] === '*')) fail('comments are not allowed in JSON');
      else break;
    }
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    let chunk = pos;
    for (;;) {
      if (pos >= src.length) fail('unterminated string', start);
      const c = src.charCodeAt(pos);
      if (c === 34) {
        out += src.slice(chunk, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail(c === 10 ? 'unterminated string (line break inside a string)' : 'control character inside a string');
      if (c === 92) {
        out += src.slice(chunk, pos);
        const e = src[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          pos += 2;
        } else if (e === 'u') {
          const hex = src.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          fail(`invalid escape "\\${e ?? ''}"`);
        }
        chunk = pos;
        continue;
      }
      pos++;
    }
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(pos, pos + 400));
    if (!m || m[0] === '' || m[0] === '-') fail(`unexpected ${describeChar(pos)}`);
    pos += m![0].length;
    return Number(m![0]);
  };

  const parseValue = (pointer: Pointer): unknown => {
    ws();
    locations.set(pointerKey(pointer), where(pos));
    const c = src[pos];
    if (c === '{') return parseObject(pointer);
    if (c === '[') return parseArray(pointer);
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, val] of [['true', true], ['false', false], ['null', null]] as const) {
      if (src.startsWith(word, pos)) {
        pos += word.length;
        return val;
      }
    }
    if (c === "'") fail('strings must use double quotes');
    return fail(pos >= src.length ? 'unexpected end of file' : `unexpected ${describeChar(pos)}`);
  };

  const parseObject = (pointer: Pointer): Json => {
    const obj: Json = {};
    const keys = new Set<string>();
    pos++;
    ws();
    if (src[pos] === '}') {
      pos++;
      return obj;
    }
    for (;;) {
      ws();
      if (src[pos] === "'") fail('strings must use double quotes');
      if (src[pos] !== '"') {
        fail(src[pos] === '}' ? 'trailing comma before "}"' : `expected a property name in double quotes, found ${describeChar(pos)}`);
      }
      const key = parseString();
      ws();
      if (src[pos] !== ':') fail(`expected ":" after property name "${key}", found ${describeChar(pos)}`);
      pos++;
      const value = parseValue([...pointer, key]);
      const end = pos;
      if (keys.has(key)) duplicateKeys.push({ pointer: [...pointer, key], key });
      keys.add(key);
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      ws();
      if (src[pos] === ',') {
        pos++;
        continue;
      }
      if (src[pos] === '}') {
        pos++;
        return obj;
      }
      // Report where the comma is missing (end of the value), not where the next token starts.
      fail(`expected "," or "}" after the value of "${key}", found ${describeChar(pos)}`, end);
    }
  };

  const parseArray = (pointer: Pointer): unknown[] => {
    const arr: unknown[] = [];
    pos++;
    ws();
    if (src[pos] === ']') {
      pos++;
      return arr;
    }
    for (;;) {
      ws();
      if (src[pos] === ']') fail('trailing comma before "]"');
      arr.push(parseValue([...pointer, arr.length]));
      const end = pos;
      ws();
      if (src[pos] === ',') {
        pos++;
        continue;
      }
      if (src[pos] === ']') {
        pos++;
        return arr;
      }
      fail(`expected "," or "]" after an array item, found ${describeChar(pos)}`, end);
    }
  };

  ws();
  if (pos >= src.length) fail('the file is empty');
  const value = parseValue([]);
  ws();
  if (pos < src.length) fail(`unexpected ${describeChar(pos)} after the end of the JSON value`);
  return { value, locations, duplicateKeys };
}
