/**
 * Signature checklist (CRPA art. L111-2, Services Publics+): on the text of an answer with the
 * quoted history removed, detect each item: first name, surname, function (« qualité »),
 * service, administrative address (postal or e-mail) and telephone number.
 *
 * The signature block is:
 * - what follows the last closing formula (« Cordialement », « Bien cordialement »,
 *   « Salutations distinguées », « Respectueusement », « Bien à vous », …), including the rest of
 *   the formula's own line ("Cordialement, Marie DUPONT");
 * - else what follows a "-- " / "__" signature separator;
 * - else the trailing run of short lines that do not end like a sentence.
 * Items are searched in that block only: a phone number quoted in the body of the answer is the
 * service's contact, not the signature. At most MAX_BLOCK_LINES non-empty lines are read, and
 * lines longer than MAX_LINE_LENGTH (disclaimers) are skipped.
 *
 * Names (one line of the block, usually the first): « Prénom NOM », « NOM Prénom »,
 * « Prénom Nom » (neither word a known service/function/common word), optionally after a title
 * (M., Mme, Madame, Monsieur). « J. DUPONT » or « Mme DUPONT » give the surname only; a lone
 * capitalised word right after the formula gives the first name only.
 *
 * The words (function titles, service heads and acronyms, street types, phone formats) are
 * data tables in signature-rules.ts.
 *
 * Address: postal = (number + street type) with (postcode + town), or a BP/CS box, or a
 * postcode + town + CEDEX; or an administrative e-mail address in *.gouv.fr.
 *
 * Each item is { present, span? } where span offsets index the text given to detectSignature.
 * The product stores which items were present, never the agent's name (domain.md §3).
 */
import { FUNCTION_TITLES, INCLUSIVE_ENDINGS, PHONE_FORMATS, SERVICE_ACRONYMS, SERVICE_HEADS, STREET_TYPES } from './signature-rules';


export type SignatureItemKey = 'firstName' | 'lastName' | 'function' | 'service' | 'address' | 'phone';

/** Every item, in checklist order (the default checklist). */
export const SIGNATURE_ITEMS: readonly SignatureItemKey[] = ['firstName', 'lastName', 'function', 'service', 'address', 'phone'];

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface SignatureItem {
  present: boolean;
  span?: Span;
}

export type SignatureItems = Record<SignatureItemKey, SignatureItem>;

export interface SignatureDetection {
  items: SignatureItems;
  /** The signature block found in the text, or null. */
  block: Span | null;
  /** How the block was found. */
  blockRule: 'closing-formula' | 'separator' | 'trailing-lines' | null;
}

export interface SignatureConformity {
  conforming: boolean;
  missing: SignatureItemKey[];
}

const MAX_BLOCK_LINES = 14;
const MAX_LINE_LENGTH = 160;

const CLOSING_RE =
  /(?:^|[\s,.;])((?:(?:bien|tr[èe]s|tr[èe]s\s+bien)\s+)?cordialement|(?:sinc[èe]res|meilleures|respectueuses|distingu[ée]es)\s+salutations|salutations(?:\s+(?:distingu[ée]es|respectueuses|cordiales))?|respectueusement|bien\s+[àa]\s+vous|(?:l['’]expression\s+de\s+)?(?:mes|nos)\s+(?:sentiments|salutations)[^\n]{0,60}|(?:ma|notre)\s+(?:haute\s+|parfaite\s+|meilleure\s+)?consid[ée]ration(?:\s+distingu[ée]e)?|bonne\s+(?:journ[ée]e|soir[ée]e|fin\s+de\s+journ[ée]e|continuation)|best\s+regards|kind\s+regards|regards)\s*[.,!]*/giu;
const SEPARATOR_LINE_RE = /^(?:--\s?|_{2,}|-{2,4})$/;

const TITLE_RE = /^(?:M\.|Mr\.?|Mme\.?|Mlle\.?|Madame|Monsieur|Mademoiselle|Dr\.?|Me)\s+/u;
const UPPER = 'A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ';
const LOWER = 'a-zàâäçéèêëîïôöùûüÿæœ';
const FIRST = `[${UPPER}][${LOWER}]+(?:-[${UPPER}][${LOWER}]+)*`;
const PARTICLE = `(?:(?:[dD]e|[dD]u|[dD]es|[dD]['’]|[lL]e|[lL]a|van|von|di|da|del)\\s*)`;
const LAST_CAPS = `${PARTICLE}?[${UPPER}][${UPPER}'’-]*[${UPPER}](?:\\s+${PARTICLE}?[${UPPER}][${UPPER}'’-]*[${UPPER}])*`;
const LAST_TITLE = `${PARTICLE}{0,2}[${UPPER}][${LOWER}'’]+(?:-[${UPPER}][${LOWER}]+)*`;
const FIRST_LAST_CAPS_RE = new RegExp(`^(${FIRST})\\s+(${LAST_CAPS})$`, 'u');
const LAST_CAPS_FIRST_RE = new RegExp(`^(${LAST_CAPS})\\s+(${FIRST})$`, 'u');
const FIRST_LAST_TITLE_RE = new RegExp(`^(${FIRST})\\s+(${LAST_TITLE})$`, 'u');
const INITIAL_LAST_RE = new RegExp(`^[${UPPER}]\\.(?:\\s*-?[${UPPER}]\\.)?\\s*(${LAST_CAPS}|${LAST_TITLE})$`, 'u');
const LAST_ONLY_AFTER_TITLE_RE = new RegExp(`^(${LAST_CAPS}|${LAST_TITLE})$`, 'u');
const LONE_FIRST_RE = new RegExp(`^(${FIRST})$`, 'u');

/** Words that start capitalised lines of a signature without being names. */
const NOT_NAME_WORDS = new Set(
  [
    'bureau', 'service', 'services', 'direction', 'préfecture', 'prefecture', 'sous-préfecture', 'pôle', 'pole',
    'mission', 'cellule', 'secrétariat', 'secretariat', 'accueil', 'standard', 'cabinet', 'guichet', 'centre',
    'département', 'departement', 'division', 'unité', 'section', 'plateforme', 'antenne', 'plateau', 'madame',
    'monsieur', 'cordialement', 'bien', 'bonne', 'merci', 'salutations', 'pour', 'par', 'le', 'la', 'les', 'chef',
    'cheffe', 'agent', 'agente', 'adjoint', 'adjointe', 'gestionnaire', 'secrétaire', 'directeur', 'directrice',
    'référent', 'référente', 'chargé', 'chargée', 'responsable', 'attaché', 'attachée', 'tél', 'tel', 'téléphone',
    'telephone', 'fax', 'télécopie', 'courriel', 'mail', 'email', 'e-mail', 'site', 'adresse', 'horaires',
    'ouverture', 'place', 'rue', 'avenue', 'boulevard', 'allée', 'chemin', 'route', 'quai', 'cedex', 'france',
    'ministère', 'ministere', 'république', 'liberté', 'égalité', 'fraternité', 'préfet', 'préfète', 'sous-préfet',
    'état', 'etat', 'mairie', 'ville', 'conseil', 'pièce', 'pièces', 'envoyé', 'de', 'du', 'des', 'au', 'aux',
    'en', 'et', 'ou', 'votre', 'vos', 'notre', 'nos', 'je', 'nous', 'vous', 'il', 'elle', 'ce', 'cette',
    'instructeur', 'instructrice', 'rédacteur', 'rédactrice', 'assistant', 'assistante', 'conseiller',
    'conseillère', 'délégué', 'déléguée', 'ps', 'nb', 'haute-savoie', 'savoie', 'isère', 'annecy', 'grenoble',
    'chambéry', 'lyon', 'paris', 'immigration', 'citoyenneté', 'réglementation', 'titres', 'élections',
  ].map((w) => w.toLowerCase()),
);

/** A function line: a title (signature-rules.ts), then the end of the line, a space, an elided
 * article (« d' », « l' ») or punctuation: never the middle of another word. */
const FUNCTION_RE = new RegExp(
  `^(?:(?:le|la|l['’]|un|une)\\s*)?(?:${FUNCTION_TITLES.join('|')})${INCLUSIVE_ENDINGS}(?=$|[\\s'’(),.:;/-]|\\s*[-–])`,
  'iu',
);
const DELEGATION_RE = /^(?:pour\s+l[ea]\s+pr[ée]f[eè]te?|p\/o\b|p\.o\.|par\s+d[ée]l[ée]gation|pour\s+(?:le|la)\s+(?:sous-pr[ée]f[eè]te?|directeur|directrice|chef))/iu;
const SERVICE_RE = new RegExp(
  `(?<![\\p{L}-])(?:${SERVICE_HEADS.join('|')})\\s+(?:(?:de\\s+la|de\\s+l['’]|des|du|de|d['’]|[àa]\\s+la|au|aux|en|pour\\s+les?)\\s*)?[\\p{L}0-9]`,
  'iu',
);
/** A service named by its head alone (« Point numérique », « Cabinet ») or by its acronym (« BSE »). */
const SERVICE_ALONE_RE = new RegExp(`^(?:${SERVICE_HEADS.join('|')})$`, 'iu');
const SERVICE_ACRONYM_RE = new RegExp(`^(?:${SERVICE_ACRONYMS.join('|')})$`, 'u');
const STREET_RE = new RegExp(`(?<![\\d])\\d{1,4}\\s*(?:bis|ter|b)?\\s*,?\\s*(?:${STREET_TYPES.join('|')})(?![\\p{L}])[^\\n,]*`, 'giu');
const POSTCODE_TOWN_RE = new RegExp(
  `(?<![\\d])(?:\\d{5}|(?:2A|2B)\\d{3}|\\d{2}\\s\\d{3})\\s+[${UPPER}][\\p{L}'’ -]*[\\p{L}](?:\\s+cedex(?:\\s*\\d{1,2})?)?`,
  'giu',
);
const CEDEX_RE = /\bcedex\b/i;
const BOX_RE = /(?<![\p{L}])(?:B\.?\s?P\.?|C\.?\s?S\.?|bo[iî]te\s+postale|TSA)\s*(?:n°\s*)?\d{1,6}\b/giu;
const ADMIN_EMAIL_RE = /[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)*gouv\.fr\b/gi;
const PHONE_RE = new RegExp(PHONE_FORMATS.join('|'), 'g');

interface Line {
  start: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    lines.push({ start, text: text.slice(start, end).replace(/\r$/, '') });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

function span(text: string, start: number, end: number): Span {
  return { start, end, text: text.slice(start, end) };
}

function absent(): SignatureItem {
  return { present: false };
}

/** Finds the signature block (see the module comment). */
export function findSignatureBlock(text: string): { block: Span | null; rule: SignatureDetection['blockRule'] } {
  const lines = splitLines(text);
  // 1. Last closing formula, on a short line.
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    if (l.text.length > 220) continue;
    CLOSING_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    let last: RegExpExecArray | null = null;
    while ((m = CLOSING_RE.exec(l.text))) last = m;
    if (!last) continue;
    // The formula must end its sentence: only a name/punctuation may follow on the same line.
    const rest = l.text.slice(last.index + last[0].length);
    if (rest.length > 100 || rest.trim().split(/\s+/).length > 10) continue;
    const start = l.start + last.index + last[0].length;
    if (start >= text.length) return { block: null, rule: 'closing-formula' };
    return { block: span(text, start, text.length), rule: 'closing-formula' };
  }
  // 2. Separator.
  for (let i = lines.length - 1; i >= 0; i--) {
    if (SEPARATOR_LINE_RE.test(lines[i].text.trim()) && i + 1 < lines.length) {
      const start = lines[i + 1].start;
      return { block: span(text, start, text.length), rule: 'separator' };
    }
  }
  // 3. Trailing run of short lines that do not end like sentences.
  let first = -1;
  let blanks = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i].text.trim();
    if (t === '') {
      if (first >= 0 && ++blanks > 1) break;
      continue;
    }
    if (t.length > 90 || /[.?!:;]$/.test(t) && !/\b(?:cedex|bis|ter)\.?$|\.(?:fr|com|org)$/i.test(t)) break;
    first = i;
    blanks = 0;
  }
  if (first < 0) return { block: null, rule: null };
  // A one-line "block" that is the whole text is no signature.
  if (first === 0) return { block: null, rule: null };
  return { block: span(text, lines[first].start, text.length), rule: 'trailing-lines' };
}

interface Segment {
  start: number;
  text: string;
}

/** Splits a line into segments on " - ", " – ", " | ", " / ", ", " and tabs. */
function segmentsOf(line: Line): Segment[] {
  const segs: Segment[] = [];
  const re = /\s+[-–—|\/]\s+|\s*[|\t]\s*|,\s+/g;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line.text))) {
    segs.push({ start: line.start + pos, text: line.text.slice(pos, m.index) });
    pos = m.index + m[0].length;
  }
  segs.push({ start: line.start + pos, text: line.text.slice(pos) });
  return segs
    .map((s) => {
      const lead = s.text.length - s.text.trimStart().length;
      return { start: s.start + lead, text: s.text.trim() };
    })
    .filter((s) => s.text !== '');
}

function isNameWord(w: string): boolean {
  return !NOT_NAME_WORDS.has(w.toLowerCase());
}

interface NameHit {
  first?: Span;
  last?: Span;
}

function nameIn(text: string, seg: Segment, firstLineOfBlock: boolean): NameHit | null {
  let t = seg.text.replace(/[.,;:]+$/, '');
  let offset = seg.start;
  let titled = false;
  const title = TITLE_RE.exec(t);
  if (title) {
    titled = true;
    offset += title[0].length;
    t = t.slice(title[0].length);
  }
  const words = t.split(/\s+/);
  if (words.length > 5) return null;
  const PARTICLES = /^(?:de|du|des|le|la|van|von|di|da|del)$/i;
  const checked = words.filter((w) => !PARTICLES.test(w)).map((w) => w.replace(/^d['’]/i, ''));
  if (checked.some((w) => !isNameWord(w))) return null;
  let m = FIRST_LAST_CAPS_RE.exec(t);
  if (m) {
    const lastStart = offset + t.indexOf(m[2], m[1].length);
    return { first: span(text, offset, offset + m[1].length), last: span(text, lastStart, lastStart + m[2].length) };
  }
  m = LAST_CAPS_FIRST_RE.exec(t);
  if (m) {
    const firstStart = offset + t.lastIndexOf(m[2]);
    return { last: span(text, offset, offset + m[1].length), first: span(text, firstStart, firstStart + m[2].length) };
  }
  m = FIRST_LAST_TITLE_RE.exec(t);
  if (m) {
    const lastStart = offset + t.indexOf(m[2], m[1].length);
    return { first: span(text, offset, offset + m[1].length), last: span(text, lastStart, lastStart + m[2].length) };
  }
  m = INITIAL_LAST_RE.exec(t);
  if (m) {
    const lastStart = offset + t.lastIndexOf(m[1]);
    return { last: span(text, lastStart, lastStart + m[1].length) };
  }
  if (titled) {
    m = LAST_ONLY_AFTER_TITLE_RE.exec(t);
    if (m) return { last: span(text, offset, offset + m[1].length) };
  }
  if (firstLineOfBlock) {
    m = LONE_FIRST_RE.exec(t);
    if (m && t.length >= 3) return { first: span(text, offset, offset + m[1].length) };
  }
  return null;
}

/** Detects the checklist items in the text of an answer (quotes already removed). */
export function detectSignature(answer: string): SignatureDetection {
  const text = typeof answer === 'string' ? answer.replace(/\r\n?/g, '\n') : '';
  const items: SignatureItems = {
    firstName: absent(),
    lastName: absent(),
    function: absent(),
    service: absent(),
    address: absent(),
    phone: absent(),
  };
  const { block, rule } = findSignatureBlock(text);
  if (!block) return { items, block: null, blockRule: rule };

  const lines = splitLines(block.text)
    .map((l) => ({ start: l.start + block.start, text: l.text }))
    .filter((l) => l.text.trim() !== '' && l.text.length <= MAX_LINE_LENGTH)
    .slice(0, MAX_BLOCK_LINES);

  // Names: first line of the block carrying one.
  for (let li = 0; li < lines.length && !(items.firstName.present || items.lastName.present); li++) {
    if (DELEGATION_RE.test(lines[li].text.trim())) continue;
    const segs = segmentsOf(lines[li]);
    for (const seg of segs) {
      const hit = nameIn(text, seg, li === 0 && segs.length === 1);
      if (hit) {
        if (hit.first) items.firstName = { present: true, span: hit.first };
        if (hit.last) items.lastName = { present: true, span: hit.last };
        break;
      }
    }
  }

  // Function and service: a service named on its own line is preferred to one inside the function.
  let serviceInFunction: Span | undefined;
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (DELEGATION_RE.test(trimmed)) continue;
    for (const seg of segmentsOf(line)) {
      const isFunction = FUNCTION_RE.test(seg.text);
      if (isFunction && !items.function.present) {
        items.function = { present: true, span: span(text, seg.start, seg.start + seg.text.length) };
      }
      if (!items.service.present) {
        const bare = seg.text.replace(/[.,;:]+$/, '');
        const s = SERVICE_RE.exec(seg.text) ?? SERVICE_ALONE_RE.exec(bare) ?? SERVICE_ACRONYM_RE.exec(bare);
        if (s) {
          const found = span(text, seg.start + s.index, seg.start + seg.text.length);
          if (!isFunction) items.service = { present: true, span: found };
          else serviceInFunction ??= found;
        }
      }
    }
    if (!items.phone.present) {
      PHONE_RE.lastIndex = 0;
      const p = PHONE_RE.exec(line.text);
      if (p) items.phone = { present: true, span: span(text, line.start + p.index, line.start + p.index + p[0].length) };
    }
  }

  if (!items.service.present && serviceInFunction) items.service = { present: true, span: serviceInFunction };

  // Address: postal components, else an administrative e-mail address.
  const blockText = lines.map((l) => l.text).join('\n');
  const offsetOf = (pos: number): number => {
    let acc = 0;
    for (const l of lines) {
      if (pos <= acc + l.text.length) return l.start + (pos - acc);
      acc += l.text.length + 1;
    }
    return text.length;
  };
  const find = (re: RegExp): RegExpExecArray[] => {
    re.lastIndex = 0;
    const found: RegExpExecArray[] = [];
    let m: RegExpExecArray | null;
    while ((m = re.exec(blockText))) {
      if (m[0].length === 0) re.lastIndex++;
      else found.push(m);
    }
    return found;
  };
  const phoneRanges = find(PHONE_RE).map((m) => [m.index, m.index + m[0].length] as const);
  const notInPhone = (m: RegExpExecArray): boolean => !phoneRanges.some(([a, b]) => m.index < b && m.index + m[0].length > a);
  const streets = find(STREET_RE).filter(notInPhone);
  const postcodes = find(POSTCODE_TOWN_RE).filter(notInPhone);
  const boxes = find(BOX_RE);
  const emails = find(ADMIN_EMAIL_RE);
  const postal: RegExpExecArray[] = [];
  if (streets.length && postcodes.length) postal.push(streets[0], postcodes[0]);
  if (boxes.length) postal.push(boxes[0], ...(postcodes.length ? [postcodes[0]] : []));
  if (postcodes.some((p) => CEDEX_RE.test(p[0]))) postal.push(postcodes.find((p) => CEDEX_RE.test(p[0]))!);
  if (postal.length) {
    const a = Math.min(...postal.map((m) => m.index));
    const b = Math.max(...postal.map((m) => m.index + m[0].length));
    items.address = { present: true, span: span(text, offsetOf(a), offsetOf(b)) };
  } else if (emails.length) {
    const e = emails[0];
    items.address = { present: true, span: span(text, offsetOf(e.index), offsetOf(e.index + e[0].length)) };
  }

  return { items, block, blockRule: rule };
}

/**
 * Conformity of a signature: conforming iff every item of the checklist is present.
 * The checklist is configurable per campaign; the default is all six items.
 */
export function signatureConformity(
  items: SignatureItems,
  checklist: readonly SignatureItemKey[] = SIGNATURE_ITEMS,
): SignatureConformity {
  const missing = checklist.filter((k) => !items[k]?.present);
  return { conforming: missing.length === 0, missing };
}
