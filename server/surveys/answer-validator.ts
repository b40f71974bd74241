/**
 * Server-side validation of kiosk answer sets against a SurveyJS survey definition.
 *
 * `compileValidator(json)` walks the definition once (per survey version) and builds one
 * small checking closure per question, plus one survey-core `ConditionRunner` per visibleIf /
 * requiredIf expression. `validate(answers)` then runs without building a survey-core `Model`.
 *
 * It gives the same valid/invalid verdict as survey-core's `model.validate()` on what
 * survey-core judges (required questions, visibility by visibleIf, number min/max, "other"
 * without its text), and also refuses what survey-core lets through (see stack.md):
 * unknown keys, values of the wrong type, values outside the choices, answers to hidden
 * questions, texts longer than maxLength.
 *
 * Anything in a definition that could change the verdict and is not implemented here
 * (validators, triggers, enableIf, choicesVisibleIf, masks, unsupported element types, …)
 * makes `compileValidator` throw a `SurveyValidatorCompileError`, so an unsupported
 * survey is refused at load time rather than validated wrongly.
 */
import { ConditionRunner, Model, Serializer, settings } from 'survey-core';

export type AnswerErrorCode =
  | 'not_an_object'
  | 'unknown_question'
  | 'wrong_type'
  | 'not_in_choices'
  | 'out_of_range'
  | 'required'
  | 'hidden_question'
  | 'too_long';

export interface AnswerError {
  /** Question name (or `<name>-Comment` for the text of an "other" choice); '' for the whole answer set. */
  question: string;
  code: AnswerErrorCode;
  message: string;
}

export type AnswerValidationResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; errors: AnswerError[] };

export type ChoiceValue = string | number | boolean;

export interface QuestionInfo {
  readonly name: string;
  readonly type: string;
  /** Readable location in the definition, e.g. `pages[1].elements[0] "courtoisie"`. */
  readonly path: string;
  /** Stored values the question accepts (choices incl. enabled special items, rate values, boolean values); null for free input. */
  readonly values: readonly ChoiceValue[] | null;
  readonly isRequired: boolean;
}

export interface AnswerValidator {
  validate(answers: unknown): AnswerValidationResult;
  /** Value-bearing questions, in document order. */
  readonly questions: readonly QuestionInfo[];
  readonly questionNames: readonly string[];
}

export interface DefinitionProblem {
  /** Readable element path, e.g. `pages[0].elements[2] "orientation"` or `(survey)`. */
  readonly path: string;
  /** JSON pointer segments of the offending value, for locating it in the source file. */
  readonly pointer: readonly (string | number)[];
  readonly message: string;
}

export class SurveyValidatorCompileError extends Error {
  readonly problems: readonly DefinitionProblem[];
  constructor(problems: readonly DefinitionProblem[]) {
    super(
      'Survey definition cannot be validated:\n' +
        problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'SurveyValidatorCompileError';
    this.problems = problems;
  }
}

/** Formats a JSON pointer as `pages[1].elements[0]`, followed by ` "name"` when given. */
export function formatPointer(pointer: readonly (string | number)[], name?: string): string {
  let out = '';
  for (const seg of pointer) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  if (!out) out = '(survey)';
  return name ? `${out} "${name}"` : out;
}

// ---------------------------------------------------------------------------------------
// Helpers

type Json = Record<string, unknown>;
type Issue = { code: AnswerErrorCode; message: string };
type Check = (value: unknown) => Issue | null;

const hasOwn = Object.prototype.hasOwnProperty;

function isPlainObject(v: unknown): v is Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  // Realm-independent: a plain object's prototype is null or an Object.prototype (of any realm).
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Same notion of "no answer" as survey-core's required check (blank strings count as empty). */
function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** True when a definition property is set to something other than its neutral default. */
function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function typeNames(types: ReadonlySet<string>): string {
  return [...types].map((t) => (t === 'number' ? 'a number' : t === 'boolean' ? 'a boolean' : 'a string')).join(' or ');
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Properties of an element keyed by their canonical survey-core name (legacy aliases resolved). */
function canonical(className: string, obj: Json): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const key of Object.keys(obj)) {
    const prop = key === 'type' ? null : Serializer.findProperty(className, key);
    out.set(prop ? prop.name : key, obj[key]);
  }
  return out;
}

const OTHER_VALUE = 'other';
const COMMENT_SUFFIX: string = settings.commentSuffix || '-Comment';
const ITEM_SEPARATOR: string = settings.itemValueSeparator || '|';

/** Question-level properties that would change survey-core's verdict and are not implemented. */
const UNSUPPORTED_QUESTION_PROPS = [
  'validators', 'enableIf', 'readOnly', 'valueName', 'defaultValueExpression', 'setValueExpression',
  'setValueIf', 'resetValueIf', 'showCommentArea', 'isUnique',
];
const UNSUPPORTED_SELECT_PROPS = [
  'choicesVisibleIf', 'choicesEnableIf', 'choicesByUrl', 'choicesFromQuestion', 'choiceValuesFromQuestion',
  'choiceTextsFromQuestion', 'minSelectedChoices', 'maxSelectedChoices', 'choicesMin', 'choicesMax',
  'allowCustomChoices', 'hideIfChoicesEmpty', 'valuePropertyName',
];
const UNSUPPORTED_ITEM_PROPS = ['visibleIf', 'enableIf', 'showCommentArea', 'isCommentRequired'];
const UNSUPPORTED_TEXT_PROPS = ['step', 'minValueExpression', 'maxValueExpression', 'maskSettings'];
const UNSUPPORTED_CONTAINER_PROPS = ['isRequired', 'requiredIf', 'enableIf', 'readOnly'];
const UNSUPPORTED_SURVEY_PROPS = ['triggers', 'calculatedValues', 'readOnly'];

const SELECT_TYPES = new Set(['radiogroup', 'dropdown', 'checkbox']);
const VALUE_TYPES = new Set([...SELECT_TYPES, 'rating', 'boolean', 'comment', 'text']);
const IGNORED_NONVALUE_TYPES = new Set(['html', 'image']);

// ---------------------------------------------------------------------------------------
// Compilation

interface CompiledQuestion {
  info: QuestionInfo;
  name: string;
  /** Indexes into the condition table: all must be true for the question to be visible. */
  visibleConds: number[];
  staticHidden: boolean;
  required: boolean;
  requiredIf: number; // -1 when absent
  check: Check;
  /** Key of the "other" text (`<name>-Comment`) when the question has an "other" item. */
  otherCommentKey: string | null;
  isCheckbox: boolean;
}

interface Scope {
  conds: number[];
  hidden: boolean;
}

class Compiler {
  readonly problems: DefinitionProblem[] = [];
  readonly questions: CompiledQuestion[] = [];
  readonly conditions: ConditionRunner[] = [];
  readonly ignoredNames: string[] = [];
  private readonly condIndex = new Map<string, number>();
  private readonly names = new Map<string, string>();
  private maxTextLength = 0;
  maxCommentLength = 0;
  private storeOthersAsComment = true;

  /**
   * Records a problem on the element at `elementPointer` (its path names it); `at` is the exact
   * location of the offending value when it is deeper (a choice, a survey property).
   */
  problem(elementPointer: readonly (string | number)[], name: string | undefined, message: string, at?: readonly (string | number)[]): void {
    this.problems.push({ path: formatPointer(elementPointer, name), pointer: [...(at ?? elementPointer)], message });
  }

  compileSurvey(json: unknown): void {
    if (!isPlainObject(json)) {
      this.problem([], undefined, 'a survey definition must be a JSON object');
      return;
    }
    const props = canonical('survey', json);
    for (const p of UNSUPPORTED_SURVEY_PROPS) {
      if (isSet(props.get(p))) this.problem([], undefined, `"${p}" is not supported by the answer validator`, [p]);
    }
    this.maxTextLength = positiveNumber(props.get('maxTextLength'));
    this.maxCommentLength = positiveNumber(props.get('maxCommentLength'));
    this.storeOthersAsComment = props.get('storeOthersAsComment') !== false;

    const pages = json.pages;
    const rootKey = hasOwn.call(json, 'elements') ? 'elements' : hasOwn.call(json, 'questions') ? 'questions' : null;
    if (Array.isArray(pages)) {
      pages.forEach((page, i) => this.compileContainer(page, ['pages', i], 'page', { conds: [], hidden: false }));
    } else if (pages !== undefined) {
      this.problem([], undefined, '"pages" must be an array', ['pages']);
    }
    if (rootKey) {
      this.compileElements(json[rootKey], [rootKey], { conds: [], hidden: false });
    }
    if (!Array.isArray(pages) && !rootKey) this.problem([], undefined, 'the survey has no pages');
  }

  private compileContainer(node: unknown, pointer: (string | number)[], className: 'page' | 'panel', outer: Scope): void {
    if (!isPlainObject(node)) {
      this.problem(pointer, undefined, `a ${className} must be a JSON object`);
      return;
    }
    const name = typeof node.name === 'string' ? node.name : undefined;
    const props = canonical(className, node);
    for (const p of UNSUPPORTED_CONTAINER_PROPS) {
      if (isSet(props.get(p))) this.problem(pointer, name, `"${p}" on a ${className} is not supported by the answer validator`);
    }
    if (className === 'panel' && name !== undefined) this.claimName(name, pointer);
    const scope: Scope = { conds: [...outer.conds], hidden: outer.hidden || props.get('visible') === false };
    const vis = this.condition(props.get('visibleIf'), [...pointer, 'visibleIf'], name);
    if (vis >= 0) scope.conds.push(vis);
    const elementsKey = hasOwn.call(node, 'elements') ? 'elements' : hasOwn.call(node, 'questions') ? 'questions' : null;
    if (elementsKey) this.compileElements(node[elementsKey], [...pointer, elementsKey], scope);
  }

  private compileElements(list: unknown, pointer: (string | number)[], scope: Scope): void {
    if (!Array.isArray(list)) {
      this.problem(pointer, undefined, 'elements must be an array');
      return;
    }
    list.forEach((el, i) => {
      const p = [...pointer, i];
      if (!isPlainObject(el)) {
        this.problem(p, undefined, 'an element must be a JSON object');
        return;
      }
      const type = el.type;
      const name = typeof el.name === 'string' ? el.name : undefined;
      if (typeof type !== 'string') {
        this.problem(p, name, 'element has no "type"');
      } else if (type === 'panel') {
        this.compileContainer(el, p, 'panel', scope);
      } else if (IGNORED_NONVALUE_TYPES.has(type)) {
        // Display-only: no value, nothing to check.
      } else if (type === 'expression') {
        // Computed by the client: its key is tolerated in answer sets and dropped from the data.
        if (name !== undefined) {
          this.claimName(name, p);
          this.ignoredNames.push(name);
        }
      } else if (VALUE_TYPES.has(type)) {
        this.compileQuestion(el, type, p, scope);
      } else {
        this.problem(p, name, `element type "${type}" is not supported by the answer validator`);
      }
    });
  }

  private claimName(name: string, pointer: (string | number)[]): boolean {
    const first = this.names.get(name);
    if (first !== undefined) {
      this.problem(pointer, name, `duplicate question name "${name}" (first used at ${first})`);
      return false;
    }
    this.names.set(name, formatPointer(pointer));
    return true;
  }

  private condition(expr: unknown, pointer: (string | number)[], name: string | undefined): number {
    if (expr === undefined || expr === null || expr === '') return -1;
    if (typeof expr !== 'string') {
      this.problem(pointer.slice(0, -1), name, `"${pointer[pointer.length - 1]}" must be an expression string`, pointer);
      return -1;
    }
    const known = this.condIndex.get(expr);
    if (known !== undefined) return known;
    const runner = new ConditionRunner(expr);
    if (!runner.canRun()) {
      this.problem(pointer.slice(0, -1), name, `invalid expression in "${pointer[pointer.length - 1]}": ${expr}`, pointer);
      return -1;
    }
    if (runner.isAsync) {
      this.problem(pointer.slice(0, -1), name, `asynchronous expression in "${pointer[pointer.length - 1]}" is not supported`, pointer);
      return -1;
    }
    const idx = this.conditions.length;
    this.conditions.push(runner);
    this.condIndex.set(expr, idx);
    return idx;
  }

  private compileQuestion(el: Json, type: string, pointer: (string | number)[], scope: Scope): void {
    const name = typeof el.name === 'string' && el.name !== '' ? el.name : undefined;
    if (name === undefined) {
      this.problem(pointer, undefined, `question of type "${type}" has no "name"`);
      return;
    }
    const before = this.problems.length;
    this.claimName(name, pointer);
    const props = canonical(type, el);
    for (const p of UNSUPPORTED_QUESTION_PROPS) {
      if (isSet(props.get(p))) this.problem(pointer, name, `"${p}" is not supported by the answer validator`);
    }
    const conds = [...scope.conds];
    const vis = this.condition(props.get('visibleIf'), [...pointer, 'visibleIf'], name);
    if (vis >= 0) conds.push(vis);
    const requiredIf = this.condition(props.get('requiredIf'), [...pointer, 'requiredIf'], name);
    const required = props.get('isRequired') === true;

    let check: Check | null = null;
    let values: ChoiceValue[] | null = null;
    let otherCommentKey: string | null = null;
    if (SELECT_TYPES.has(type)) {
      for (const p of UNSUPPORTED_SELECT_PROPS) {
        if (isSet(props.get(p))) this.problem(pointer, name, `"${p}" is not supported by the answer validator`);
      }
      const choices = this.items(props.get('choices'), [...pointer, 'choices'], name);
      const specials: ChoiceValue[] = [];
      if (props.get('showNoneItem') === true) specials.push(settings.noneItemValue);
      if (props.get('showRefuseItem') === true) specials.push(settings.refuseItemValue);
      if (props.get('showDontKnowItem') === true) specials.push(settings.dontKnowItemValue);
      if (props.get('showOtherItem') === true) {
        const qStore = props.get('storeOthersAsComment');
        const store = qStore === true || qStore === 'true' ? true : qStore === false || qStore === 'false' ? false : this.storeOthersAsComment;
        if (!store) this.problem(pointer, name, '"other" stored in the value (storeOthersAsComment: false) is not supported');
        specials.push(OTHER_VALUE);
        otherCommentKey = name + COMMENT_SUFFIX;
      }
      values = [...choices.values, ...specials];
      const exclusive = new Set<ChoiceValue>([...choices.exclusive]);
      for (const s of specials) if (s !== OTHER_VALUE) exclusive.add(s);
      check = type === 'checkbox' ? multiChoiceCheck(values, exclusive) : singleChoiceCheck(values, 'not_in_choices');
    } else if (type === 'rating') {
      const rateValues = props.get('rateValues');
      if (Array.isArray(rateValues) && rateValues.length > 0) {
        values = this.items(rateValues, [...pointer, 'rateValues'], name).values;
      } else {
        values = generatedRateValues(el);
      }
      check = singleChoiceCheck(values, 'out_of_range');
    } else if (type === 'boolean') {
      const vt = props.has('valueTrue') ? props.get('valueTrue') : true;
      const vf = props.has('valueFalse') ? props.get('valueFalse') : false;
      if (!isChoiceValue(vt) || !isChoiceValue(vf)) {
        this.problem(pointer, name, 'valueTrue / valueFalse must be strings, numbers or booleans');
      } else {
        values = [vt, vf];
        check = singleChoiceCheck(values, 'not_in_choices');
      }
    } else if (type === 'comment') {
      check = textCheck(this.maxLengthOf(props));
    } else if (type === 'text') {
      for (const p of UNSUPPORTED_TEXT_PROPS) {
        if (isSet(props.get(p))) this.problem(pointer, name, `"${p}" is not supported by the answer validator`);
      }
      const maskType = props.get('maskType');
      if (maskType !== undefined && maskType !== 'none') this.problem(pointer, name, `"maskType" is not supported by the answer validator`);
      const inputType = props.get('inputType') ?? 'text';
      if (inputType === 'text') {
        check = textCheck(this.maxLengthOf(props));
      } else if (inputType === 'number') {
        const min = optionalNumber(props.get('min'));
        const max = optionalNumber(props.get('max'));
        if (Number.isNaN(min) || Number.isNaN(max)) this.problem(pointer, name, '"min" / "max" must be numbers');
        else check = numberCheck(min, max);
      } else {
        this.problem(pointer, name, `text inputType "${String(inputType)}" is not supported by the answer validator`);
      }
    }
    if (this.problems.length > before || check === null) return;
    this.questions.push({
      info: Object.freeze({ name, type, path: formatPointer(pointer, name), values: values ? Object.freeze(values) : null, isRequired: required }),
      name,
      visibleConds: conds,
      staticHidden: scope.hidden || props.get('visible') === false,
      required,
      requiredIf,
      check,
      otherCommentKey,
      isCheckbox: type === 'checkbox',
    });
  }

  private maxLengthOf(props: Map<string, unknown>): number {
    const own = positiveNumber(props.get('maxLength'));
    return own > 0 ? own : this.maxTextLength;
  }

  private items(list: unknown, pointer: (string | number)[], name: string): { values: ChoiceValue[]; exclusive: ChoiceValue[] } {
    const values: ChoiceValue[] = [];
    const exclusive: ChoiceValue[] = [];
    const element = pointer.slice(0, -1);
    const key = String(pointer[pointer.length - 1]);
    if (list === undefined) return { values, exclusive };
    if (!Array.isArray(list)) {
      this.problem(element, name, `"${key}" must be an array`, pointer);
      return { values, exclusive };
    }
    list.forEach((item, i) => {
      let value: unknown;
      if (typeof item === 'string') {
        const sep = item.indexOf(ITEM_SEPARATOR);
        value = sep >= 0 ? item.slice(0, sep) : item;
      } else if (isPlainObject(item)) {
        value = item.value;
        for (const p of UNSUPPORTED_ITEM_PROPS) {
          if (isSet(item[p])) this.problem(element, name, `${key}[${i}]: "${p}" on a choice is not supported by the answer validator`, [...pointer, i]);
        }
        if (item.isExclusive === true && isChoiceValue(value)) exclusive.push(value);
      } else {
        value = item;
      }
      if (!isChoiceValue(value)) {
        this.problem(element, name, `${key}[${i}]: choice has no usable "value" (string, number or boolean expected)`, [...pointer, i]);
      } else {
        values.push(value);
      }
    });
    return { values, exclusive };
  }
}

function isChoiceValue(v: unknown): v is ChoiceValue {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
}

function positiveNumber(v: unknown): number {
  return typeof v === 'number' && v > 0 ? v : 0;
}

/** `min`/`max` of a number input: undefined when absent, NaN when unusable. */
function optionalNumber(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

/** Rate values generated from rateMin/rateMax/rateStep/rateCount, computed by survey-core itself. */
function generatedRateValues(el: Json): ChoiceValue[] {
  const q: Json = { type: 'rating', name: 'q' };
  for (const k of ['rateMin', 'rateMax', 'rateStep', 'rateCount']) if (el[k] !== undefined) q[k] = el[k];
  const model = new Model({ elements: [q] });
  const question = model.getQuestionByName('q') as unknown as { visibleRateValues: { value: ChoiceValue }[] };
  return question.visibleRateValues.map((item) => item.value);
}

function singleChoiceCheck(values: readonly ChoiceValue[], missCode: 'not_in_choices' | 'out_of_range'): Check {
  const allowed = new Set<unknown>(values);
  const types = new Set<string>(values.map((v) => typeof v));
  const expected = typeNames(types);
  const list = values.map(show).join(', ');
  return (v) => {
    if (!types.has(typeof v)) return { code: 'wrong_type', message: `expected ${expected}, got ${describe(v)}` };
    if (!allowed.has(v)) {
      return { code: missCode, message: `${show(v)} is not ${missCode === 'out_of_range' ? 'on the scale' : 'one of the choices'} (${list})` };
    }
    return null;
  };
}

function multiChoiceCheck(values: readonly ChoiceValue[], exclusive: ReadonlySet<ChoiceValue>): Check {
  const allowed = new Set<unknown>(values);
  const types = new Set<string>(values.map((v) => typeof v));
  const expected = typeNames(types);
  const list = values.map(show).join(', ');
  return (v) => {
    if (!Array.isArray(v)) return { code: 'wrong_type', message: `expected an array of choices, got ${describe(v)}` };
    const seen = new Set<unknown>();
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (!types.has(typeof item)) return { code: 'wrong_type', message: `item ${i}: expected ${expected}, got ${describe(item)}` };
      if (!allowed.has(item)) return { code: 'not_in_choices', message: `item ${i}: ${show(item)} is not one of the choices (${list})` };
      if (seen.has(item)) return { code: 'not_in_choices', message: `item ${i}: ${show(item)} is selected twice` };
      seen.add(item);
      if (exclusive.has(item as ChoiceValue) && v.length > 1) {
        return { code: 'not_in_choices', message: `${show(item)} cannot be combined with other choices` };
      }
    }
    return null;
  };
}

function textCheck(maxLength: number): Check {
  return (v) => {
    if (typeof v !== 'string') return { code: 'wrong_type', message: `expected a string, got ${describe(v)}` };
    if (maxLength > 0 && v.length > maxLength) {
      return { code: 'too_long', message: `text has ${v.length} characters, the maximum is ${maxLength}` };
    }
    return null;
  };
}

function numberCheck(min: number | undefined, max: number | undefined): Check {
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return { code: 'wrong_type', message: `expected a number, got ${describe(v)}` };
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      return { code: 'out_of_range', message: `${v} is outside [${min ?? '-∞'}, ${max ?? '+∞'}]` };
    }
    return null;
  };
}

// ---------------------------------------------------------------------------------------
// Runtime

const UNEVALUATED = 0;
const TRUE = 1;
const FALSE = 2;

/**
 * Compiles a validator for one survey definition. Throws `SurveyValidatorCompileError`
 * listing every construct it cannot validate faithfully.
 */
export function compileValidator(json: unknown): AnswerValidator {
  const compiler = new Compiler();
  compiler.compileSurvey(json);
  if (compiler.problems.length > 0) throw new SurveyValidatorCompileError(compiler.problems);

  const questions = compiler.questions;
  const maxCommentLength = compiler.maxCommentLength;
  const conditions = compiler.conditions;
  const known = new Set<string>(compiler.ignoredNames);
  for (const q of questions) {
    known.add(q.name);
    if (q.otherCommentKey) known.add(q.otherCommentKey);
  }

  function validate(answers: unknown): AnswerValidationResult {
    if (!isPlainObject(answers)) {
      return { ok: false, errors: [{ question: '', code: 'not_an_object', message: `answers must be a JSON object, got ${describe(answers)}` }] };
    }
    const errors: AnswerError[] = [];
    const data: Record<string, unknown> = {};
    const state = new Uint8Array(conditions.length);
    const holds = (idx: number): boolean => {
      let s = state[idx];
      if (s === UNEVALUATED) {
        s = conditions[idx].runValues(answers) ? TRUE : FALSE;
        state[idx] = s;
      }
      return s === TRUE;
    };

    for (const key of Object.keys(answers)) {
      if (!known.has(key)) errors.push({ question: key, code: 'unknown_question', message: `"${key}" is not a question of this survey` });
    }

    for (const q of questions) {
      const value = hasOwn.call(answers, q.name) ? answers[q.name] : undefined;
      let visible = !q.staticHidden;
      for (let i = 0; visible && i < q.visibleConds.length; i++) visible = holds(q.visibleConds[i]);
      let accepted = false;
      let refused = false;
      if (isEmptyValue(value)) {
        if (visible && (q.required || (q.requiredIf >= 0 && holds(q.requiredIf)))) {
          errors.push({ question: q.name, code: 'required', message: `"${q.name}" is required` });
        }
      } else if (!visible) {
        errors.push({ question: q.name, code: 'hidden_question', message: `"${q.name}" is hidden by the survey's logic for these answers and must not be answered` });
        refused = true;
      } else {
        const issue = q.check(value);
        if (issue) {
          errors.push({ question: q.name, code: issue.code, message: `"${q.name}": ${issue.message}` });
          refused = true;
        } else {
          data[q.name] = Array.isArray(value) ? value.slice() : value;
          accepted = true;
        }
      }
      if (q.otherCommentKey && !refused) checkOtherText(q, q.otherCommentKey, answers, value, accepted, errors, data, maxCommentLength);
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, data };
  }

  const infos = Object.freeze(questions.map((q) => q.info));
  return Object.freeze({
    validate,
    questions: infos,
    questionNames: Object.freeze(infos.map((q) => q.name)),
  });
}

/**
 * The text typed for an "other" choice: required when "other" is selected, refused otherwise.
 * Only called when the question's own value was not refused (one error per question is enough).
 */
function checkOtherText(
  q: CompiledQuestion,
  key: string,
  answers: Json,
  value: unknown,
  accepted: boolean,
  errors: AnswerError[],
  data: Record<string, unknown>,
  maxLength: number,
): void {
  const text = hasOwn.call(answers, key) ? answers[key] : undefined;
  const otherSelected = accepted && (q.isCheckbox ? (value as unknown[]).includes(OTHER_VALUE) : value === OTHER_VALUE);
  if (otherSelected) {
    if (isEmptyValue(text)) errors.push({ question: key, code: 'required', message: `"${q.name}": the text of the "other" choice is required` });
    else if (typeof text !== 'string') errors.push({ question: key, code: 'wrong_type', message: `"${key}": expected a string, got ${describe(text)}` });
    else if (maxLength > 0 && text.length > maxLength) {
      errors.push({ question: key, code: 'too_long', message: `"${key}": text has ${text.length} characters, the maximum is ${maxLength}` });
    } else data[key] = text;
  } else if (!isEmptyValue(text)) {
    errors.push({ question: key, code: 'hidden_question', message: `"${key}" is given but the "other" choice of "${q.name}" is not selected` });
  }
}
