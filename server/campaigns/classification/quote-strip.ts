/**
 * Removes the quoted history from a reply body, keeping the new text and its signature.
 *
 * Two passes:
 * 1. Our own rules, top-down, find the first line that starts the history:
 *    - separators (SEPARATOR_NAMES, a data table): « -----Message d'origine----- » with or
 *      without dashes, "-----Original Message-----",
 *      « ----- Mail original ----- » (Zimbra/Melanie), « -------- Message transféré -------- »,
 *      "---------- Forwarded message ---------";
 *    - header blocks (Outlook/Exchange, Zimbra, Lotus, forwards): a « De : » / "From:" line followed
 *      within 6 lines by at least two other header lines among « Envoyé : », "Sent:", "Date:",
 *      « À : », "To:", « Objet : », "Subject:", "Cc:" (also the one-line form produced when HTML
 *      is flattened); an Outlook underscore line right above is cut too;
 *    - header blocks may also start with « Date : », « Envoyé : » or « À : » (fields in any
 *      order): three header lines or more, a sender among them;
 *    - attributions (Gmail, Thunderbird, Apple Mail, webmails): « Le … a écrit : », "On … wrote:"
 *      (and Am/El/Il/Op/Den… schrieb/escribió/ha scritto/schreef/skrev…), on one line or wrapped
 *      over two or three, containing a digit (date) or '@'; attributions that start with a date
 *      (« 2019-06-03 10:12 GMT+02:00 Nom <adresse> : », « 03/06/2019 … »).
 *    Everything from that line down is dropped, unless nothing but blank lines stands above it
 *    (bottom-posting, inline answers, forwarded answers): then only the marker lines and the
 *    '>' lines are dropped. When new text stands above AND the history below is '>'-quoted, the
 *    unquoted paragraphs written between the quoted lines are kept too (inline answer).
 * 2. email-reply-parser 2.1.0 on what is left: fragments after its first "answer header" fragment
 *    are dropped, quoted ('>') fragments are dropped, signature fragments are KEPT (the library
 *    hides « Cordialement … » blocks, which we need for the signature checklist).
 *    Skipped for texts with lines over 2 000 characters (the library is quadratic on them).
 * Finally every remaining line starting with '>' is removed (inline quoting).
 *
 * Pure: string in, string out.
 */
import EmailReplyParser from 'email-reply-parser';
import { htmlToText } from './html-to-text';

export { htmlToText } from './html-to-text';

export interface QuoteStripResult {
  /** The new text of the reply, signature included, history removed. */
  text: string;
  /** Which rule cut the history (null when nothing was cut). */
  rule: 'separator' | 'header-block' | 'attribution' | 'reply-parser' | 'quoted-lines' | null;
}

/** Names of the history separators (« -----Message d'origine----- » and its variants), as data. */
export const SEPARATOR_NAMES: readonly string[] = [
  "message\\s+d['’]origine", 'd[ée]but\\s+du\\s+message\\s+d[\'’]origine', 'original\\s+message', 'mail\\s+original', 'message\\s+original',
  'courriel\\s+original', 'message\\s+transf[ée]r[ée]', 'forwarded\\s+message', 'message\\s+transmis', 'begin\\s+forwarded\\s+message',
  'reply\\s+message', 'ursp(?:r[üu]|ru)ngliche\\s+nachricht', 'weitergeleitete\\s+nachricht', 'mensaje\\s+original', 'messaggio\\s+originale',
  'mensagem\\s+original', 'oorspronkelijk\\s+bericht',
];
const SEPARATOR_RE = new RegExp(
  `^\\s*(?:[-_=*]{2,}\\s*)?(?:${SEPARATOR_NAMES.join('|')})\\s*:?\\s*(?:[-_=*]{2,}\\s*)?$`,
  'i',
);
const FORWARD_START_RE = /^\s*(?:d[ée]but\s+du\s+message\s+r[ée]exp[ée]di[ée]|begin\s+forwarded\s+message)\s*:\s*$/i;
const HEADER_FROM_RE = /^\s*[>*\s]*(?:de|from|von|exp[ée]diteur)\s*\*?\s*:/i;
const HEADER_DATE_RE = /^\s*[>*\s]*(?:envoy[ée]|sent|date)\s*\*?\s*:/i;
const HEADER_TO_RE = /^\s*[>*\s]*(?:[àa]|to|pour|destinataire|objet|subject|cc|copie\s+[àa])\s*\*?\s*:/i;
const ONE_LINE_HEADER_RE = /^\s*\*?(?:de|from)\s*\*?\s*:.{1,200}?\b(?:envoy[ée]|sent|date)\s*\*?\s*:.{1,200}?(?:\b[àa]|\bto|\bobjet|\bsubject)\s*\*?\s*:/i;
const UNDERSCORES_RE = /^\s*_{5,}\s*$/;
/** How an attribution line starts: « Le … », "On …", "Am …", "El …", or a date (ISO or dd/mm/yyyy). */
const ATTRIBUTION_START_RE = /^\s*>*\s*(?:(?:le|on|am|el|il|op|den|em|w\s+dniu)\s|\d{4}[-/]\d{1,2}[-/]\d{1,2}\b|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b)/i;
/** How it ends: « a écrit : », "wrote:", "schrieb:", "escribió:", "ha scritto:", or ":" after an address. */
const ATTRIBUTION_END_RE = /(?:(?:a\s+)?[ée]crit|wrote|schrieb|escribi[óo]|ha\s+escrito|ha\s+scritto|schreef|skrev|escreveu|pisze|napisa[łl]|kirjoitti)\s*:\s*$/i;
const ATTRIBUTION_ADDRESS_END_RE = /[<(\[]?[^\s<>()]+@[^\s<>()]+[>)\]]?\s*:\s*$/;
const QUOTED_LINE_RE = /^\s*>/;

function hasDateOrAddress(s: string): boolean {
  return /\d/.test(s) || s.includes('@');
}

type HeaderKind = 'from' | 'date' | 'to';
function headerKind(line: string): HeaderKind | null {
  if (HEADER_FROM_RE.test(line)) return 'from';
  if (HEADER_DATE_RE.test(line)) return 'date';
  if (HEADER_TO_RE.test(line)) return 'to';
  return null;
}

/**
 * An Outlook/Exchange/Zimbra header block starting at line i, its fields in any order
 * (« Date : », « De : », « Envoyé : », « À : »…): at least three header lines, a sender among
 * them, and a date or two recipient/subject lines. A wrapped recipient list may add one line.
 */
function headerBlockAt(lines: string[], i: number): number {
  if (!headerKind(lines[i])) return 0;
  const kinds: HeaderKind[] = [];
  let last = i;
  let loose = 0;
  for (let j = i; j < lines.length && j <= i + 9; j++) {
    const k = headerKind(lines[j]);
    if (k) {
      kinds.push(k);
      last = j;
      continue;
    }
    if (lines[j].trim() === '' || ++loose > 1) break;
  }
  const from = kinds.includes('from');
  const dates = kinds.filter((k) => k === 'date').length;
  const tos = kinds.filter((k) => k === 'to').length;
  if (from && kinds.length >= 3 && (dates >= 1 || tos >= 2)) return last - i + 1;
  // The historical rule: a sender line, then two others within a few lines (blank lines allowed).
  if (HEADER_FROM_RE.test(lines[i])) {
    let d = 0;
    let t = 0;
    let end = i;
    for (let j = i + 1; j < lines.length && j <= i + 7; j++) {
      const k = headerKind(lines[j]);
      if (k === 'date') { d++; end = j; } else if (k === 'to') { t++; end = j; }
    }
    if ((d >= 1 && d + t >= 2) || t >= 2) return end - i + 1;
  }
  return 0;
}

/** The history marker starting at line `i` and how many lines it spans, or null. */
function markerAt(lines: string[], i: number): { kind: 'separator' | 'header-block' | 'attribution'; span: number } | null {
  const line = lines[i];
  if (SEPARATOR_RE.test(line) || FORWARD_START_RE.test(line)) return { kind: 'separator', span: 1 };
  if (ONE_LINE_HEADER_RE.test(line)) return { kind: 'header-block', span: 1 };
  const block = headerBlockAt(lines, i);
  if (block) return { kind: 'header-block', span: block };
  if (ATTRIBUTION_START_RE.test(line)) {
    // On one line, or wrapped over two or three (Gmail wraps long French attributions).
    let joined = '';
    for (let n = 1; n <= 3 && i + n - 1 < lines.length; n++) {
      const cur = lines[i + n - 1];
      if (n > 1 && (cur.trim() === '' || /[.!?]\s*$/.test(lines[i + n - 2]))) break;
      joined = n === 1 ? cur.trim() : `${joined} ${cur.trim()}`;
      if (joined.length > 400) break;
      const ends = ATTRIBUTION_END_RE.test(joined) || (ATTRIBUTION_ADDRESS_END_RE.test(joined) && /\d{1,2}[:h]\d{2}/.test(joined));
      if (ends && hasDateOrAddress(joined)) return { kind: 'attribution', span: n };
      // Older Gmail: « 2013/11/13 Name <address> » with no verb, right above the quoted lines.
      if (/^\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}\b/.test(joined) && /<[^<>\s]+@[^<>\s]+>\s*:?\s*$/.test(joined)) {
        const next = lines.slice(i + n).find((l) => l.trim() !== '');
        if (next !== undefined && QUOTED_LINE_RE.test(next)) return { kind: 'attribution', span: n };
      }
    }
  }
  return null;
}

function trimBlankEdges(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

/**
 * The new text written between the quoted lines of a '>'-quoted history (inline answer), or
 * nothing when the history is not '>'-quoted or holds no unquoted paragraph.
 */
function inlineAnswer(rest: string[]): string[] {
  const first = rest.findIndex((l) => l.trim() !== '');
  if (first < 0 || !QUOTED_LINE_RE.test(rest[first])) return [];
  const kept: string[] = [];
  let prevQuoted = false;
  for (let j = first; j < rest.length; j++) {
    // A lowercase line glued under a quoted line is the quote re-wrapped by a client, not new text.
    if (QUOTED_LINE_RE.test(rest[j]) || (prevQuoted && /^\s*[a-zà-ÿ]/.test(rest[j]))) {
      if (kept.length && kept[kept.length - 1].trim() !== '') kept.push('');
      prevQuoted = true;
      continue;
    }
    prevQuoted = false;
    if (markerAt(rest, j)) break;
    kept.push(rest[j]);
  }
  if (!kept.some((l) => l.trim() !== '')) return [];
  // One blank line between kept paragraphs, as written.
  return ['', ...kept].filter((l, k, all) => l.trim() !== '' || k === 0 || all[k - 1].trim() !== '');
}

let parser: EmailReplyParser | undefined;

/**
 * email-reply-parser's header regular expressions are quadratic on very long lines (a 20 000
 * character line takes seconds): the second pass is skipped beyond these sizes.
 */
const PARSER_MAX_LINE = 2_000;
const PARSER_MAX_TEXT = 300_000;

function replyParserPass(text: string): string | null {
  if (text.length > PARSER_MAX_TEXT || text.split('\n').some((l) => l.length > PARSER_MAX_LINE)) return null;
  parser ??= new EmailReplyParser();
  let fragments;
  try {
    fragments = parser.read(text).getFragments();
  } catch {
    return null;
  }
  const kept: string[] = [];
  let changed = false;
  for (const f of fragments) {
    if (f.isAnswer() && !f.isEmpty()) {
      changed = true;
      break;
    }
    if (f.isQuoted() && !f.isEmpty()) {
      changed = true;
      continue;
    }
    kept.push(f.getContent());
  }
  if (!changed) return null;
  return kept.join('\n');
}

/** Strips the quoted history of a plain-text reply body (see the module comment). */
export function stripQuotes(body: string): QuoteStripResult {
  if (typeof body !== 'string' || body.trim() === '') return { text: '', rule: null };
  let lines = body.replace(/\r\n?/g, '\n').split('\n');
  let rule: QuoteStripResult['rule'] = null;

  // Pass 1: own rules.
  for (let i = 0; i < lines.length; i++) {
    const m = markerAt(lines, i);
    if (!m) continue;
    let cut = i;
    // An Outlook underscore line (possibly followed by blank lines) belongs to the header block.
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    if (k >= 0 && (UNDERSCORES_RE.test(lines[k]) || SEPARATOR_RE.test(lines[k]))) cut = k;
    const above = lines.slice(0, cut);
    if (above.some((l) => l.trim() !== '' && !QUOTED_LINE_RE.test(l))) {
      // Inline answer below an attribution: the history is '>'-quoted and new paragraphs sit
      // between quoted lines. Keep every unquoted line up to the next marker.
      const inline = inlineAnswer(lines.slice(i + m.span));
      lines = inline.length ? [...trimBlankEdges(above), ...inline] : above;
      rule = m.kind;
      break;
    }
    // Nothing above: bottom-posting / inline answer / forward. Drop the marker lines only.
    lines = [...above, ...lines.slice(i + m.span)];
    rule = m.kind;
    i = cut - 1;
  }

  // Pass 2: email-reply-parser on what is left.
  const joined = lines.join('\n');
  const viaParser = replyParserPass(joined);
  if (viaParser !== null && viaParser.trim() !== '') {
    lines = viaParser.split('\n');
    rule ??= 'reply-parser';
  }

  // Finally drop inline quoted lines.
  const unquoted = lines.filter((l) => !QUOTED_LINE_RE.test(l));
  if (unquoted.length !== lines.length) rule ??= 'quoted-lines';
  const text = trimBlankEdges(unquoted.map((l) => l.replace(/[ \t]+$/, ''))).join('\n');
  return { text, rule };
}

/** The new text of a reply from its text and/or HTML body: text/plain preferred, else HTML converted. */
export function replyBody(body: { text?: string | null; html?: string | null }): string {
  if (typeof body.text === 'string' && body.text.trim() !== '') return body.text;
  if (typeof body.html === 'string' && body.html.trim() !== '') return htmlToText(body.html);
  return '';
}

/** Convenience: replyBody then stripQuotes. */
export function stripReply(body: { text?: string | null; html?: string | null }): QuoteStripResult {
  return stripQuotes(replyBody(body));
}
