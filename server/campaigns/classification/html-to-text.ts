/**
 * A small, safe HTML-to-text converter for e-mail bodies.
 *
 * - Drops comments, <script>, <style>, <head>, <title>, <noscript>, <template>, <svg>, <xml>.
 * - Line breaks for <br> and block elements (<p>, <div>, <tr>, <li>, headings, tables…);
 *   <hr> becomes a line of underscores (what Outlook writes in its plain-text replies).
 * - <blockquote> content is prefixed with '>' per nesting level, so that quote stripping
 *   treats HTML quotes like plain-text quotes.
 * - Decodes named (common set) and numeric entities; whitespace is collapsed as a browser would
 *   (except inside <pre>); non-breaking spaces become plain spaces.
 *
 * Written as a linear scanner (no backtracking regular expression over the whole input), never
 * evaluates anything, and caps its input at MAX_HTML_LENGTH characters.
 */

export const MAX_HTML_LENGTH = 2_000_000;

const DROP_CONTENT = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg', 'xml', 'object', 'iframe']);
const BLOCK = new Set([
  'p', 'div', 'tr', 'table', 'tbody', 'thead', 'tfoot', 'ul', 'ol', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'address', 'section', 'article', 'header',
  'footer', 'center', 'form', 'fieldset', 'figure', 'main', 'nav', 'aside', 'caption', 'body', 'html',
]);

const ENTITIES: Record<string, string> = {
  nbsp: '\u00a0', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'",
  laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„',
  hellip: '…', ndash: '–', mdash: '—', bull: '•', middot: '·', euro: '€', copy: '©', reg: '®',
  trade: '™', deg: '°', sect: '§', para: '¶', times: '×', divide: '÷', shy: '',
  ensp: ' ', emsp: ' ', thinsp: ' ', zwnj: '', zwj: '', lrm: '', rlm: '',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ',
  ccedil: 'ç', egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í',
  icirc: 'î', iuml: 'ï', ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ',
  ouml: 'ö', oslash: 'ø', oelig: 'œ', ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü',
  yacute: 'ý', yuml: 'ÿ', szlig: 'ß',
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å', AElig: 'Æ',
  Ccedil: 'Ç', Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í',
  Icirc: 'Î', Iuml: 'Ï', Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ',
  Ouml: 'Ö', Oslash: 'Ø', OElig: 'Œ', Ugrave: 'Ù', Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü',
  Yacute: 'Ý', Yuml: 'Ÿ',
};

const QUOTE_OPEN = '\u0001';
const QUOTE_CLOSE = '\u0002';

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 58 || c === 95;
}

interface Tag {
  name: string;
  closing: boolean;
  end: number;
}

/** Parses a tag starting at html[i] === '<'; null when it is not a well-formed tag. */
function readTag(html: string, i: number): Tag | null {
  let j = i + 1;
  let closing = false;
  if (html.charCodeAt(j) === 47 /* / */) {
    closing = true;
    j++;
  }
  if (!isNameStart(html.charCodeAt(j))) return null;
  const nameStart = j;
  while (j < html.length && isNameChar(html.charCodeAt(j))) j++;
  const name = html.slice(nameStart, j).toLowerCase();
  const limit = Math.min(html.length, j + 20_000);
  let quote = 0;
  for (; j < limit; j++) {
    const c = html.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62 /* > */) {
      return { name, closing, end: j + 1 };
    } else if (c === 60 /* < */ && quote === 0) {
      return null;
    }
  }
  return null;
}

const ENTITY_RE = /&(#[0-9]{1,10}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z][a-zA-Z0-9]{1,31});?/y;

function decodeEntityAt(html: string, i: number): { text: string; end: number } | null {
  ENTITY_RE.lastIndex = i;
  const m = ENTITY_RE.exec(html);
  if (!m) return null;
  const body = m[1];
  let text: string | undefined;
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) text = String.fromCodePoint(code);
    else text = '\uFFFD';
  } else {
    text = ENTITIES[body] ?? ENTITIES[body.toLowerCase()];
    if (text === undefined) return null;
  }
  return { text, end: i + m[0].length };
}

/** Converts an HTML body to plain text (see the module comment). Never throws on bad input. */
export function htmlToText(html: string): string {
  if (typeof html !== 'string' || html.length === 0) return '';
  const src = html.length > MAX_HTML_LENGTH ? html.slice(0, MAX_HTML_LENGTH) : html;
  const out: string[] = [];
  let pre = 0;
  let i = 0;
  const n = src.length;

  const lastEndsWithBreak = (): boolean => out.length === 0 || out[out.length - 1].endsWith('\n');
  const pushText = (t: string): void => {
    if (!t) return;
    if (pre > 0) {
      out.push(t);
      return;
    }
    const collapsed = t.replace(/[ \t\r\n\f]+/g, ' ');
    // Whitespace between block elements is not rendered.
    if (collapsed === ' ' && lastEndsWithBreak()) return;
    out.push(collapsed);
  };
  const pushBreak = (b: string): void => {
    if (pre === 0 && out.length && out[out.length - 1] === ' ') out.pop();
    out.push(b);
  };
  /** Starts a new line unless already at the start of one. */
  const ensureLineStart = (): void => {
    if (pre === 0 && out.length && out[out.length - 1] === ' ') out.pop();
    if (!lastEndsWithBreak()) out.push('\n');
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 60 /* < */) {
      if (src.startsWith('<!--', i)) {
        const j = src.indexOf('-->', i + 4);
        i = j < 0 ? n : j + 3;
        continue;
      }
      const next = src.charCodeAt(i + 1);
      if (next === 33 /* ! */ || next === 63 /* ? */) {
        const j = src.indexOf('>', i + 2);
        i = j < 0 ? n : j + 1;
        continue;
      }
      const tag = readTag(src, i);
      if (!tag) {
        out.push('<');
        i++;
        continue;
      }
      i = tag.end;
      const name = tag.name;
      if (!tag.closing && DROP_CONTENT.has(name)) {
        const close = new RegExp(`</${name}\\s*>`, 'ig');
        close.lastIndex = i;
        const m = close.exec(src);
        i = m ? m.index + m[0].length : n;
        continue;
      }
      if (name === 'br') pushBreak('\n');
      else if (name === 'hr') {
        ensureLineStart();
        out.push('________________________________\n');
      } else if (name === 'blockquote') {
        ensureLineStart();
        out.push(tag.closing ? `${QUOTE_CLOSE}\n` : `${QUOTE_OPEN}\n`);
      } else if (name === 'li') {
        ensureLineStart();
        if (!tag.closing) out.push('- ');
      }
      else if (name === 'td' || name === 'th') out.push(tag.closing ? ' ' : '');
      else if (BLOCK.has(name)) {
        // Adjacent block boundaries make one line break, as in a browser.
        if (!lastEndsWithBreak() || (out.length && out[out.length - 1] === ' ')) pushBreak('\n');
        if (name === 'pre') pre = Math.max(0, pre + (tag.closing ? -1 : 1));
      }
      continue;
    }
    if (c === 38 /* & */) {
      const e = decodeEntityAt(src, i);
      if (e) {
        out.push(e.text);
        i = e.end;
      } else {
        out.push('&');
        i++;
      }
      continue;
    }
    let j = i + 1;
    while (j < n) {
      const d = src.charCodeAt(j);
      if (d === 60 || d === 38) break;
      j++;
    }
    pushText(src.slice(i, j));
    i = j;
  }

  // Lines: trim, apply blockquote depth, squeeze blank lines.
  const lines = out.join('').replace(/\u00a0/g, ' ').split('\n');
  const result: string[] = [];
  let depth = 0;
  let blank = 0;
  for (const raw of lines) {
    let line = raw;
    if (line.includes(QUOTE_OPEN) || line.includes(QUOTE_CLOSE)) {
      for (const ch of line) {
        if (ch === QUOTE_OPEN) depth++;
        else if (ch === QUOTE_CLOSE) depth = Math.max(0, depth - 1);
      }
      line = line.replace(/[\u0001\u0002]/g, '');
      if (line.trim() === '') continue;
    }
    line = line.replace(/[ \t]+$/g, '').replace(/^[ \t]+/g, '');
    if (line === '') {
      blank++;
      if (blank > 1) continue;
      result.push(depth > 0 ? '>'.repeat(depth) : '');
      continue;
    }
    blank = 0;
    result.push(depth > 0 ? `${'> '.repeat(depth)}${line}` : line);
  }
  while (result.length && result[0].replace(/>/g, '').trim() === '') result.shift();
  while (result.length && result[result.length - 1].replace(/>/g, '').trim() === '') result.pop();
  return result.join('\n');
}
