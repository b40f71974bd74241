/**
 * The checks of one survey definition: SurveyJS structure from survey-core's Serializer
 * metadata, names, choices, expressions, translations, and the house rules of kiosk surveys
 * (README.md). Used by catalogue.ts, which collects the problems of every file.
 */
import { ConditionRunner, Serializer } from 'survey-core';
import { formatPointer, type ChoiceValue, type DefinitionProblem } from './answer-validator';

export const QUALIMETRE_KEY = 'qualimetre';
export const OVERALL_QUESTION = 'avis_global';
export const OVERALL_VALUES: readonly string[] = ['tres_bien', 'moyen', 'pas_bien'];
export const SATISFACTION_SCALE: readonly string[] = ['tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis'];
export const ANONYMITY_NOTICE = 'Votre réponse est anonyme. Merci de ne pas écrire de données personnelles.';
export const MAX_FREE_TEXT_LENGTH = 500;
/**
 * Kinds of visitor forms: `kiosk` (a satisfaction survey, the house rules below), `counting`
 * (one tap per visit with its reason: the point numérique's counter), `complaint` (the hall's
 * suggestion / complaint form, stored in the complaints register, never in `responses`).
 */
export const SURVEY_KINDS = ['kiosk', 'counting', 'complaint'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
/** The one question of a counting form. */
export const COUNTING_QUESTION = 'motif';
/** Free text of a complaint form: long enough for a letter. */
export const MAX_COMPLAINT_TEXT_LENGTH = 2000;
type Json = Record<string, unknown>;
type Pointer = (string | number)[];

interface Problem {
  pointer: readonly (string | number)[];
  path: string;
  message: string;
}

interface LocalizedValue {
  value: unknown;
  pointer: Pointer;
  path: string;
  prop: string;
}

interface QuestionRef {
  name: string;
  type: string;
  json: Json;
  pointer: Pointer;
  path: string;
  values: ChoiceValue[] | null;
}

const LOCALE_RE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
const NAME_RE = /^[a-z][a-z0-9_]*$/;
const CONTAINER_TYPES = new Set(['panel']);
const NONVALUE_TYPES = new Set(['html', 'image', 'expression']);
/** Base classes that survey-core can instantiate but that are not element types. */
const ABSTRACT_TYPES = new Set(['question', 'textbase', 'nonvalue', 'selectbase', 'checkboxbase', 'matrixbase', 'matrixdropdownbase']);

let elementTypesCache: Set<string> | null = null;
/** Question types survey-core knows (custom types registered in Serializer included). */
function elementTypes(): Set<string> {
  if (!elementTypesCache) {
    elementTypesCache = new Set(
      Serializer.getChildrenClasses('question', true)
        .map((c) => c.name)
        .filter((n) => !ABSTRACT_TYPES.has(n)),
    );
  }
  return elementTypesCache;
}

export class DefinitionChecker {
  readonly problems: Problem[] = [];
  readonly unknownTypePaths = new Set<string>();
  locales: string[] = ['fr'];
  private readonly seen = new Set<string>();
  private readonly names = new Map<string, string>();
  private readonly questions: QuestionRef[] = [];
  private readonly localized: LocalizedValue[] = [];
  private readonly expressions: { expr: string; pointer: Pointer; path: string; prop: string }[] = [];
  private declaredLocales: string[] | null = null;
  /** The qualimetre block's kind (SURVEY_KINDS); null for other surveys (e.g. the phone grid). */
  private kind: string | null = null;

  constructor(private readonly root: unknown) {}

  add(pointer: readonly (string | number)[], pathText: string, message: string): void {
    const key = `${pathText}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push({ pointer, path: pathText, message });
  }

  run(): void {
    const root = this.root;
    if (!isPlainObject(root)) {
      this.add([], '(survey)', 'a survey definition must be a JSON object');
      return;
    }
    this.checkQualimetre(root);
    this.checkProps(root, 'survey', [], '(survey)', new Set([QUALIMETRE_KEY, 'pages']));
    for (const key of ['elements', 'questions']) {
      if (hasOwn(root, key)) this.add([key], '(survey)', `put questions in "pages", not in a top-level "${key}"`);
    }
    if (typeof root.title === 'undefined') this.add([], '(survey)', 'the survey needs a "title"');
    if (root.showQuestionNumbers !== 'off') this.add(['showQuestionNumbers'], '(survey)', '"showQuestionNumbers" must be "off"');
    if (hasOwn(root, 'cookieName')) this.add(['cookieName'], '(survey)', '"cookieName" is forbidden: kiosk answers must stay anonymous (no cookie tying two visitors together)');
    if (hasOwn(root, 'locale') && root.locale !== 'fr') this.add(['locale'], '(survey)', '"locale" must be "fr" (French is the default language) or absent');

    const pages = root.pages;
    if (!Array.isArray(pages) || pages.length === 0) {
      this.add(['pages'], '(survey)', '"pages" must be a non-empty array');
    } else {
      const pageNames = new Map<string, string>();
      pages.forEach((page, i) => this.checkPage(page, i, pageNames));
    }
    this.checkExpressions();
    this.finishLocales();
    this.checkTranslations();
    if (this.kind === 'kiosk') this.checkKioskRules(Array.isArray(pages) ? pages : []);
    if (this.kind === 'counting') this.checkCountingRules(Array.isArray(pages) ? pages : []);
    if (this.kind === 'complaint') this.checkComplaintRules();
  }

  // --- qualimetre block -----------------------------------------------------------------

  private checkQualimetre(root: Json): void {
    if (!hasOwn(root, QUALIMETRE_KEY)) return;
    const q = root[QUALIMETRE_KEY];
    const at = (k?: string): Pointer => (k ? [QUALIMETRE_KEY, k] : [QUALIMETRE_KEY]);
    if (!isPlainObject(q)) {
      this.add(at(), QUALIMETRE_KEY, 'must be an object { "kind": "kiosk", "locales": [...] }');
      return;
    }
    for (const k of Object.keys(q)) {
      if (k !== 'kind' && k !== 'locales') this.add(at(k), QUALIMETRE_KEY, `unknown property "${k}" (allowed: kind, locales)`);
    }
    if (typeof q.kind !== 'string' || !(SURVEY_KINDS as readonly string[]).includes(q.kind)) {
      this.add(at('kind'), QUALIMETRE_KEY, `"kind" must be one of ${SURVEY_KINDS.map((k) => `"${k}"`).join(', ')}`);
    } else this.kind = q.kind;
    const locales = q.locales;
    if (!Array.isArray(locales) || locales.length === 0 || !locales.every((l) => typeof l === 'string')) {
      this.add(at('locales'), QUALIMETRE_KEY, '"locales" must be a non-empty array of locale codes');
      return;
    }
    const list = locales as string[];
    for (const l of list) if (!LOCALE_RE.test(l)) this.add(at('locales'), QUALIMETRE_KEY, `"${l}" is not a locale code`);
    if (new Set(list).size !== list.length) this.add(at('locales'), QUALIMETRE_KEY, '"locales" lists a locale twice');
    if (!list.includes('fr')) this.add(at('locales'), QUALIMETRE_KEY, '"locales" must include "fr"');
    this.declaredLocales = list;
  }

  // --- structure --------------------------------------------------------------------------

  private checkPage(page: unknown, index: number, pageNames: Map<string, string>): void {
    const pointer: Pointer = ['pages', index];
    if (!isPlainObject(page)) {
      this.add(pointer, formatPointer(pointer), 'a page must be a JSON object');
      return;
    }
    const name = typeof page.name === 'string' ? page.name : undefined;
    const pathText = formatPointer(pointer, name);
    if (name === undefined || name === '') this.add(pointer, pathText, 'a page needs a "name"');
    else if (pageNames.has(name)) this.add(pointer, pathText, `duplicate page name "${name}" (first used at ${pageNames.get(name)})`);
    else pageNames.set(name, formatPointer(pointer));
    this.checkProps(page, 'page', pointer, pathText, new Set(['elements']));
    this.checkElements(page, pointer, pathText);
  }

  private checkElements(container: Json, pointer: Pointer, containerPath: string): void {
    const key = hasOwn(container, 'elements') ? 'elements' : hasOwn(container, 'questions') ? 'questions' : null;
    if (key === null) {
      this.add(pointer, containerPath, 'has no "elements"');
      return;
    }
    const list = container[key];
    if (!Array.isArray(list)) {
      this.add([...pointer, key], containerPath, `"${key}" must be an array`);
      return;
    }
    list.forEach((el, i) => this.checkElement(el, [...pointer, key, i]));
  }

  private checkElement(el: unknown, pointer: Pointer): void {
    if (!isPlainObject(el)) {
      this.add(pointer, formatPointer(pointer), 'an element must be a JSON object');
      return;
    }
    const name = typeof el.name === 'string' ? el.name : undefined;
    const pathText = formatPointer(pointer, name);
    const type = el.type;
    if (typeof type !== 'string' || type === '') {
      this.add(pointer, pathText, 'element has no "type"');
      this.unknownTypePaths.add(pathText);
      return;
    }
    if (!CONTAINER_TYPES.has(type) && !elementTypes().has(type)) {
      this.add([...pointer, 'type'], pathText, `unknown element type "${type}"`);
      this.unknownTypePaths.add(pathText);
      return;
    }
    if (name === undefined || name === '') {
      this.add(pointer, pathText, `element of type "${type}" needs a "name"`);
    } else {
      const first = this.names.get(name);
      if (first !== undefined) this.add(pointer, pathText, `duplicate question name "${name}" (first used at ${first})`);
      else this.names.set(name, formatPointer(pointer));
      if (!NAME_RE.test(name)) this.add(pointer, pathText, `name "${name}" must be snake_case ([a-z][a-z0-9_]*): it is the key of stored answers`);
    }
    this.checkProps(el, type, pointer, pathText, new Set(['type', 'elements']));
    if (CONTAINER_TYPES.has(type)) {
      this.checkElements(el, pointer, pathText);
      return;
    }
    if (!NONVALUE_TYPES.has(type) && name) {
      if (el.title === undefined) this.add(pointer, pathText, 'a question needs a "title" (otherwise its name is shown to visitors)');
      this.questions.push({ name, type, json: el, pointer, path: pathText, values: this.valuesOf(el, type) });
    }
  }

  /** Checks every property of `obj` against the survey-core class `className`. */
  private checkProps(obj: Json, className: string, pointer: Pointer, pathText: string, structural: Set<string>): void {
    for (const key of Object.keys(obj)) {
      if (key === QUALIMETRE_KEY && className === 'survey') continue;
      if (key === 'type' && structural.has('type')) continue;
      const value = obj[key];
      const at: Pointer = [...pointer, key];
      const prop = Serializer.findProperty(className, key);
      if (!prop) {
        const hint = suggest(className, key);
        this.add(at, pathText, `unknown property "${key}" for ${className}${hint ? ` (did you mean "${hint}"?)` : ''}`);
        continue;
      }
      if (prop.name !== key) {
        this.add(at, pathText, `"${key}" is a legacy alias: write "${prop.name}"`);
      }
      if (prop.isSerializable === false) {
        this.add(at, pathText, `"${key}" is not a serializable property of ${className}`);
        continue;
      }
      if (structural.has(prop.name)) continue;
      this.checkValue(prop, value, at, pathText);
    }
  }

  private checkValue(
    prop: ReturnType<typeof Serializer.findProperty>,
    value: unknown,
    at: Pointer,
    pathText: string,
  ): void {
    const key = String(at[at.length - 1]);
    if (prop.isLocalizable) {
      this.checkLocalizable(value, at, pathText, key);
      return;
    }
    const type = prop.type;
    if (type === 'condition' || type === 'expression') {
      if (typeof value !== 'string') this.add(at, pathText, `"${key}" must be an expression string`);
      else if (value.trim() !== '') this.expressions.push({ expr: value, pointer: at.slice(0, -1) as Pointer, path: pathText, prop: key });
      return;
    }
    if ((type === 'boolean' || type === 'switch') && typeof value !== 'boolean') {
      this.add(at, pathText, `"${key}" must be true or false`);
      return;
    }
    if (type === 'number' && typeof value !== 'number') {
      this.add(at, pathText, `"${key}" must be a number`);
      return;
    }
    const choices = staticChoices(prop);
    if (choices && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && !choices.includes(value)) {
      this.add(at, pathText, `"${key}" must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
      return;
    }
    if (prop.className && prop.isArray && key !== 'pages' && key !== 'elements') {
      if (prop.className === 'itemvalue' || Serializer.isDescendantOf(prop.className, 'itemvalue')) {
        this.checkItems(value, prop.className, at, pathText, key);
      } else if (Array.isArray(value) && Serializer.findClass(prop.className)) {
        value.forEach((item, i) => {
          if (isPlainObject(item)) this.checkProps(item, prop.className, [...at, i], `${pathText}: ${key}[${i}]`, new Set());
        });
      }
      return;
    }
    if (prop.className && !prop.isArray && isPlainObject(value) && Serializer.findClass(prop.className)) {
      this.checkProps(value, prop.className, at, `${pathText}: ${key}`, new Set());
    }
  }

  /** choices / rateValues and other item-value arrays. */
  private checkItems(list: unknown, itemClass: string, at: Pointer, pathText: string, key: string): void {
    if (!Array.isArray(list)) {
      this.add(at, pathText, `"${key}" must be an array`);
      return;
    }
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      const itemAt: Pointer = [...at, i];
      let value: unknown;
      if (isPlainObject(item)) {
        this.checkProps(item, itemClass, itemAt, `${pathText}: ${key}[${i}]`, new Set());
        value = item.value;
        if (value === undefined) this.add(itemAt, pathText, `${key}[${i}] has no "value"`);
      } else {
        value = item;
      }
      if (value === undefined) return;
      if (!(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
        this.add(itemAt, pathText, `${key}[${i}]: a choice value must be a string, number or boolean`);
        return;
      }
      if (!isPlainObject(item) || item.text === undefined) {
        this.add(itemAt, pathText, `${key}[${i}] (${JSON.stringify(value)}) needs a "text" label: write { "value": …, "text": … }`);
      }
      // survey-core compares choice values loosely (case-insensitive, "1" == 1).
      const norm = String(value).toLowerCase();
      const first = seen.get(norm);
      if (first !== undefined) this.add(itemAt, pathText, `${key}[${i}]: duplicate choice value ${JSON.stringify(value)} (same as ${key}[${first}])`);
      else seen.set(norm, i);
    });
  }

  private checkLocalizable(value: unknown, at: Pointer, pathText: string, prop: string): void {
    if (typeof value === 'string') {
      this.localized.push({ value, pointer: at, path: pathText, prop });
      return;
    }
    if (!isPlainObject(value)) {
      this.add(at, pathText, `"${prop}" must be a string or { "default": …, "<locale>": … }`);
      return;
    }
    for (const loc of Object.keys(value)) {
      if (loc !== 'default' && !LOCALE_RE.test(loc)) this.add(at, pathText, `"${prop}": "${loc}" is not a locale code`);
      if (typeof value[loc] !== 'string') this.add(at, pathText, `"${prop}": the "${loc}" text must be a string`);
    }
    if (hasOwn(value, 'fr')) this.add(at, pathText, `"${prop}": put the French text under "default", not "fr"`);
    this.localized.push({ value, pointer: at, path: pathText, prop });
  }

  private valuesOf(el: Json, type: string): ChoiceValue[] | null {
    const list = type === 'rating' ? el.rateValues : el.choices;
    if (!Array.isArray(list)) return null;
    const out: ChoiceValue[] = [];
    for (const item of list) {
      const v = isPlainObject(item) ? item.value : item;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(v);
    }
    return out;
  }

  // --- expressions, translations ------------------------------------------------------

  private checkExpressions(): void {
    for (const e of this.expressions) {
      const runner = new ConditionRunner(e.expr);
      if (!runner.canRun()) {
        this.add(e.pointer, e.path, `invalid expression in "${e.prop}": ${e.expr}`);
        continue;
      }
      for (const variable of runner.getVariables()) {
        const base = variable.split(/[.[]/)[0].replace(/-Comment$/, '');
        if (!this.names.has(base)) this.add(e.pointer, e.path, `"${e.prop}" refers to {${variable}}, which is not a question of this survey`);
      }
    }
  }

  private finishLocales(): void {
    if (this.declaredLocales) {
      this.locales = ['fr', ...this.declaredLocales.filter((l) => l !== 'fr')];
      return;
    }
    // Without a qualimetre block: the locales every string is translated into.
    let common: string[] | null = null;
    for (const s of this.localized) {
      const locs = typeof s.value === 'string' ? [] : Object.keys(s.value as Json).filter((l) => l !== 'default');
      common = common === null ? locs : common.filter((l) => locs.includes(l));
    }
    this.locales = ['fr', ...(common ?? [])];
  }

  private checkTranslations(): void {
    const declared = this.declaredLocales;
    for (const s of this.localized) {
      const texts: Json = typeof s.value === 'string' ? { default: s.value } : (s.value as Json);
      if (!nonBlank(texts.default)) {
        this.add(s.pointer, s.path, `"${s.prop}" has no French text ("default")`);
      }
      if (!declared) continue;
      for (const loc of this.locales) {
        if (loc === 'fr') continue;
        if (!nonBlank(texts[loc])) this.add(s.pointer, s.path, `"${s.prop}" is not translated into "${loc}" (listed in qualimetre.locales)`);
      }
      for (const loc of Object.keys(texts)) {
        if (loc !== 'default' && loc !== 'fr' && !this.locales.includes(loc)) {
          this.add(s.pointer, s.path, `"${s.prop}" has a "${loc}" text but "${loc}" is not listed in qualimetre.locales`);
        }
      }
    }
  }

  // --- house rules ---------------------------------------------------------------------

  /** A counting form: one page, one required radiogroup `motif`, nothing else (a tap is a visit). */
  private checkCountingRules(pages: unknown[]): void {
    const q = this.questions[0];
    if (pages.length !== 1 || this.questions.length !== 1 || !q || q.name !== COUNTING_QUESTION) {
      this.add(['pages'], '(survey)', `a counting form holds one page with exactly one question, "${COUNTING_QUESTION}"`);
      return;
    }
    if (q.type !== 'radiogroup') this.add(q.pointer, q.path, `"${COUNTING_QUESTION}" must be a radiogroup`);
    if (q.json.isRequired !== true) this.add(q.pointer, q.path, `"${COUNTING_QUESTION}" must be required`);
    if (q.json.visibleIf !== undefined || q.json.visible === false) this.add(q.pointer, q.path, `"${COUNTING_QUESTION}" must always be visible`);
    if (!q.values || q.values.length < 2) this.add(q.pointer, q.path, `"${COUNTING_QUESTION}" needs at least two reasons`);
  }

  /**
   * A complaint form: contact details are never required (only the message may be), free text
   * is bounded. The anonymity notice does not apply: contact details are asked for, and kept
   * only for the retention period of the complaints register.
   */
  private checkComplaintRules(): void {
    for (const q of this.questions) {
      const required = q.json.isRequired === true || q.json.requiredIf !== undefined;
      if (required && q.name.startsWith('contact_')) this.add(q.pointer, q.path, 'contact details must never be required');
      const isFreeText = q.type === 'comment' || (q.type === 'text' && (q.json.inputType === undefined || q.json.inputType === 'text' || q.json.inputType === 'email' || q.json.inputType === 'tel'));
      const max = q.json.maxLength;
      if (isFreeText && (typeof max !== 'number' || max < 1 || max > MAX_COMPLAINT_TEXT_LENGTH)) {
        this.add(q.pointer, q.path, `free text must set "maxLength" between 1 and ${MAX_COMPLAINT_TEXT_LENGTH}`);
      }
    }
  }

  private checkKioskRules(pages: unknown[]): void {
    const first = pages[0];
    const firstElements = isPlainObject(first) && Array.isArray(first.elements) ? first.elements : null;
    const overall = this.questions.find((q) => q.name === OVERALL_QUESTION);
    if (!firstElements || firstElements.length !== 1 || !overall || overall.pointer.length !== 4 || overall.pointer[1] !== 0) {
      this.add(['pages', 0], formatPointer(['pages', 0]), `the first page of a kiosk survey must hold exactly one question, "${OVERALL_QUESTION}"`);
    }
    if (isPlainObject(first) && (first.visibleIf !== undefined || first.visible === false)) {
      this.add(['pages', 0], formatPointer(['pages', 0]), 'the first page must always be visible');
    }
    if (overall) {
      const j = overall.json;
      if (overall.type !== 'rating' && overall.type !== 'radiogroup') {
        this.add(overall.pointer, overall.path, `"${OVERALL_QUESTION}" must be a rating (smileys) or radiogroup question`);
      }
      if (j.isRequired !== true) this.add(overall.pointer, overall.path, `"${OVERALL_QUESTION}" must be required`);
      if (j.visibleIf !== undefined || j.visible === false) this.add(overall.pointer, overall.path, `"${OVERALL_QUESTION}" must always be visible`);
      const values = overall.values ?? [];
      if (values.length !== OVERALL_VALUES.length || !OVERALL_VALUES.every((v) => values.includes(v))) {
        this.add(overall.pointer, overall.path, `"${OVERALL_QUESTION}" must offer exactly the values ${OVERALL_VALUES.map((v) => `"${v}"`).join(', ')}`);
      }
    }
    for (const q of this.questions) {
      if (q.name === OVERALL_QUESTION) continue;
      if (q.json.isRequired === true || q.json.requiredIf !== undefined) {
        this.add(q.pointer, q.path, `only "${OVERALL_QUESTION}" may be required in a kiosk survey: visitors must be able to stop after one tap`);
      }
      const values = q.values;
      if (values && values.some((v) => typeof v === 'string' && SATISFACTION_SCALE.includes(v))) {
        const same = values.length === SATISFACTION_SCALE.length && values.every((v, i) => v === SATISFACTION_SCALE[i]);
        if (!same) {
          this.add(q.pointer, q.path, `a satisfaction question must use exactly the scale ${SATISFACTION_SCALE.map((v) => `"${v}"`).join(', ')}, in this order`);
        }
      }
      const isFreeText = q.type === 'comment' || (q.type === 'text' && (q.json.inputType === undefined || q.json.inputType === 'text'));
      if (isFreeText) {
        const max = q.json.maxLength;
        if (typeof max !== 'number' || max < 1 || max > MAX_FREE_TEXT_LENGTH) {
          this.add(q.pointer, q.path, `free text must set "maxLength" between 1 and ${MAX_FREE_TEXT_LENGTH}`);
        }
        const desc = defaultText(q.json.description);
        if (!desc || !desc.includes(ANONYMITY_NOTICE)) {
          this.add(q.pointer, q.path, `free text must carry the description « ${ANONYMITY_NOTICE} »`);
        }
      }
    }
  }
}

function staticChoices(prop: ReturnType<typeof Serializer.findProperty>): (string | number | boolean)[] | null {
  // Choices computed at run time (e.g. "locale": the locales loaded in this process) are not checked.
  if (typeof (prop as unknown as { choicesfunc?: unknown }).choicesfunc === 'function') return null;
  let choices: unknown;
  try {
    choices = prop.choices;
  } catch {
    return null;
  }
  if (!Array.isArray(choices) || choices.length === 0) return null;
  if (!choices.every((c) => typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean')) return null;
  return choices as (string | number | boolean)[];
}

/** Closest property name of the class, for "did you mean" hints. */
function suggest(className: string, key: string): string | null {
  let best: string | null = null;
  let bestDist = 3;
  for (const p of Serializer.getProperties(className)) {
    const d = editDistance(key.toLowerCase(), p.name.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = p.name;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

export function defaultText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isPlainObject(v) && typeof v.default === 'string') return v.default;
  return undefined;
}

function nonBlank(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '';
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function isPlainObject(v: unknown): v is Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  // Realm-independent: a plain object's prototype is null or an Object.prototype (of any realm).
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Readable path of the element enclosing a pointer, e.g. `pages[1].elements[0] "courtoisie"`. */
export function elementPathOf(root: unknown, pointer: readonly (string | number)[]): string {
  let node: unknown = root;
  let best = '(survey)';
  const walked: (string | number)[] = [];
  for (const seg of pointer) {
    if (!isPlainObject(node) && !Array.isArray(node)) break;
    node = (node as Record<string | number, unknown>)[seg];
    walked.push(seg);
    const isElement = typeof seg === 'number' && ['pages', 'elements', 'questions'].includes(String(walked[walked.length - 2]));
    if (isElement && isPlainObject(node)) best = formatPointer(walked, typeof node.name === 'string' ? node.name : undefined);
  }
  return best;
}
