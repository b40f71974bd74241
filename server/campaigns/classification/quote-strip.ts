/**
 * Removes the quoted history from a reply body, keeping the new text and its signature.
 *
 * Two passes:
 * 1. Our own rules, top-down, find the first line that starts the history:
 *    - separators: « -----Message d'origine----- », "-----Original Message-----",
 *      « ----- Mail original ----- » (Zimbra/Melanie), « -------- Message transféré -------- »,
 *      "---------- Forwarded message ---------";
 *    - header blocks (Outlook/Exchange, Zimbra, Lotus, forwards): a « De : » / "From:" line followed
 *      within 6 lines by at least two other header lines among « Envoyé : », "Sent:", "Date:",
 *      « À : », "To:", « Objet : », "Subject:", "Cc:" (also the one-line form produced when HTML
 *      is flattened); an Outlook underscore line right above is cut too;
 *    - attributions (Gmail, Thunderbird, Apple Mail, webmails): « Le … a écrit : », "On … wrote:",
 *      on one line or wrapped over two, containing a digit (date) or '@'.
 *    Everything from that line down is dropped, unless nothing but blank lines stands above it
 *    (bottom-posting, inline answers, forwarded answers): then only the marker lines and the
 *    '>' lines are dropped.
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

const SEPARATOR_RE =
  /^\s*[-_=*]{2,}\s*(?:message\s+d['’]origine|original\s+message|mail\s+original|message\s+original|courriel\s+original|message\s+transf[ée]r[ée]|forwarded\s+message|message\s+transmis|begin\s+forwarded\s+message)\s*:?\s*[-_=*]{2,}\s*$/i;
const FORWARD_START_RE = /^\s*(?:d[ée]but\s+du\s+message\s+r[ée]exp[ée]di[ée]|begin\s+forwarded\s+message)\s*:\s*$/i;
const HEADER_FROM_RE = /^\s*[>*\s]*(?:de|from|von|exp[ée]diteur)\s*\*?\s*:/i;
const HEADER_DATE_RE = /^\s*[>*\s]*(?:envoy[ée]|sent|date)\s*\*?\s*:/i;
const HEADER_TO_RE = /^\s*[>*\s]*(?:[àa]|to|pour|destinataire|objet|subject|cc|copie\s+[àa])\s*\*?\s*:/i;
const ONE_LINE_HEADER_RE = /^\s*\*?(?:de|from)\s*\*?\s*:.{1,200}?\b(?:envoy[ée]|sent|date)\s*\*?\s*:.{1,200}?(?:\b[àa]|\bto|\bobjet|\bsubject)\s*\*?\s*:/i;
const UNDERSCORES_RE = /^\s*_{5,}\s*$/;
const ATTRIBUTION_ONE_RE = /^\s*>*\s*(?:le|on)\s.{3,250}?(?:a\s+[ée]crit|wrote|[ée]crit)\s*:\s*$/i;
const ATTRIBUTION_START_RE = /^\s*>*\s*(?:le|on)\s/i;
const ATTRIBUTION_END_RE = /(?:a\s+[ée]crit|wrote)\s*:\s*$/i;
const QUOTED_LINE_RE = /^\s*>/;

function hasDateOrAddress(s: string): boolean {
  return /\d/.test(s) || s.includes('@');
}

/** The history marker starting at line `i` and how many lines it spans, or null. */
function markerAt(lines: string[], i: number): { kind: 'separator' | 'header-block' | 'attribution'; span: number } | null {
  const line = lines[i];
  if (SEPARATOR_RE.test(line) || FORWARD_START_RE.test(line)) return { kind: 'separator', span: 1 };
  if (ONE_LINE_HEADER_RE.test(line)) return { kind: 'header-block', span: 1 };
  if (HEADER_FROM_RE.test(line)) {
    let dates = 0;
    let tos = 0;
    let last = i;
    for (let j = i + 1; j < lines.length && j <= i + 7; j++) {
      if (HEADER_DATE_RE.test(lines[j])) {
        dates++;
        last = j;
      } else if (HEADER_TO_RE.test(lines[j])) {
        tos++;
        last = j;
      }
    }
    if ((dates >= 1 && dates + tos >= 2) || tos >= 2) return { kind: 'header-block', span: last - i + 1 };
  }
  if (ATTRIBUTION_ONE_RE.test(line) && hasDateOrAddress(line) && line.length <= 300) {
    return { kind: 'attribution', span: 1 };
  }
  if (ATTRIBUTION_START_RE.test(line) && i + 1 < lines.length) {
    const next = lines[i + 1];
    const two = `${line.trimEnd()} ${next.trim()}`;
    if (
      ATTRIBUTION_END_RE.test(two) &&
      /(?:[ée]crit|wrote)\s*:\s*$/i.test(next) &&
      two.length <= 350 &&
      hasDateOrAddress(two) &&
      !/[.!?]\s*$/.test(line)
    ) {
      return { kind: 'attribution', span: 2 };
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
      lines = above;
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
