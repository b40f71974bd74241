/**
 * Survey catalogue: loads every `*.json` SurveyJS definition of a directory (normally
 * `surveys/`), checks it, and compiles its answer validator.
 *
 * Checks, all collected before anything is thrown:
 * - JSON syntax (with line and column) and duplicate keys;
 * - SurveyJS structure, from survey-core's own `Serializer` metadata: unknown properties on
 *   the survey, pages, elements and choices; legacy property aliases; unknown element types;
 *   booleans, numbers and enumerated values of the wrong kind; invalid expressions and
 *   expressions that name no question;
 * - duplicate question names and duplicate choice values;
 * - the house rules of README.md ("House rules"), for kiosk surveys (`"qualimetre": { "kind": "kiosk" }`);
 * - whatever the answer validator cannot validate faithfully (see answer-validator.ts).
 *
 * Every problem reads `<dir>/<file>: <element path>: <problem> (line N)`, and all of them
 * are thrown together in one `SurveyCatalogueError`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileValidator, SurveyValidatorCompileError, type AnswerValidator } from './answer-validator';
import { DefinitionChecker, deepFreeze, defaultText, elementPathOf, isPlainObject } from './definition-checker';
import { JsonSyntaxError, parseJsonLocated, pointerKey, type ParsedJson } from './json-located';

export {
  ANONYMITY_NOTICE, COUNTING_QUESTION, MAX_FREE_TEXT_LENGTH, OVERALL_QUESTION, OVERALL_VALUES, QUALIMETRE_KEY, SATISFACTION_SCALE, SURVEY_KINDS, type SurveyKind,
} from './definition-checker';
export interface SurveyCatalogueEntry {
  /** File name without `.json`. */
  readonly id: string;
  /** The definition as loaded (deep-frozen). */
  readonly json: Readonly<Record<string, unknown>>;
  /** First 16 hex characters of the SHA-256 of the canonical JSON (keys sorted) of the definition. */
  readonly version: string;
  /** French (default) title. */
  readonly title: string;
  /** Locales offered on the kiosk, French first. */
  readonly locales: readonly string[];
  /** Names of the questions that carry an answer, in document order. */
  readonly questionNames: readonly string[];
  readonly validator: AnswerValidator;
}

export type SurveyCatalogue = Map<string, SurveyCatalogueEntry>;

export class SurveyCatalogueError extends Error {
  /** One line per problem: `<dir>/<file>: <element path>: <problem>`. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`${problems.length} problem(s) in the survey definitions:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SurveyCatalogueError';
    this.problems = problems;
  }
}

/** The only top-level key allowed besides SurveyJS properties (see README.md). */

/**
 * Loads and checks every `*.json` file of `dir`. Throws one `SurveyCatalogueError` listing
 * every problem of every file; otherwise returns the catalogue keyed by survey id.
 */
export function loadSurveyCatalogue(dir: string): SurveyCatalogue {
  const label = path.basename(path.resolve(dir));
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    throw new SurveyCatalogueError([`${label}: cannot read the directory: ${(err as Error).message}`]);
  }
  if (files.length === 0) throw new SurveyCatalogueError([`${label}: no survey definition (*.json) found`]);
  const catalogue: SurveyCatalogue = new Map();
  const problems: string[] = [];
  for (const file of files) {
    const fileLabel = `${label}/${file}`;
    let source: string;
    try {
      source = fs.readFileSync(path.join(dir, file), 'utf8');
    } catch (err) {
      problems.push(`${fileLabel}: cannot read the file: ${(err as Error).message}`);
      continue;
    }
    const result = checkSurveyDefinition(source, fileLabel);
    problems.push(...result.problems);
    if (result.entry) catalogue.set(result.entry.id, result.entry);
  }
  if (problems.length > 0) throw new SurveyCatalogueError(problems);
  return catalogue;
}

/**
 * Checks one definition (the text of a file). `fileLabel` prefixes every problem and gives
 * the id (its base name without `.json`). `entry` is null when there is any problem.
 */
export function checkSurveyDefinition(
  source: string,
  fileLabel: string,
): { entry: SurveyCatalogueEntry | null; problems: string[] } {
  const id = path.basename(fileLabel).replace(/\.json$/, '');
  let parsed: ParsedJson;
  try {
    parsed = parseJsonLocated(source);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      return { entry: null, problems: [`${fileLabel}: line ${err.line}, column ${err.column}: JSON syntax error: ${err.reason}`] };
    }
    throw err;
  }
  const checker = new DefinitionChecker(parsed.value);
  for (const dup of parsed.duplicateKeys) {
    checker.add(dup.pointer, elementPathOf(parsed.value, dup.pointer), `duplicate key "${dup.key}" (JSON keeps only the last one)`);
  }
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
    checker.add([], '(survey)', `file name "${id}" must be kebab-case ([a-z0-9-]): it is the survey id`);
  }
  checker.run();

  let validator: AnswerValidator | null = null;
  if (isPlainObject(parsed.value)) {
    try {
      validator = compileValidator(parsed.value);
    } catch (err) {
      if (!(err instanceof SurveyValidatorCompileError)) throw err;
      for (const p of err.problems) {
        if (!checker.unknownTypePaths.has(p.path)) checker.add(p.pointer, p.path, p.message);
      }
    }
  }

  const problems = checker.problems.map((p) => {
    const loc = parsed.locations.get(pointerKey(p.pointer));
    return `${fileLabel}: ${p.path}: ${p.message}${loc ? ` (line ${loc.line})` : ''}`;
  });
  if (problems.length > 0 || !validator || !isPlainObject(parsed.value)) return { entry: null, problems };

  const json = deepFreeze(parsed.value);
  const entry: SurveyCatalogueEntry = Object.freeze({
    id,
    json,
    version: surveyVersion(json),
    title: defaultText(json.title) ?? id,
    locales: Object.freeze(checker.locales),
    questionNames: validator.questionNames,
    validator,
  });
  return { entry, problems: [] };
}

/** JSON with object keys sorted at every level: the input of the version hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** First 16 hex characters of the SHA-256 of the canonical JSON of a definition. */
export function surveyVersion(json: unknown): string {
  return createHash('sha256').update(canonicalJson(json), 'utf8').digest('hex').slice(0, 16);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}
