/**
 * The survey catalogue as the rest of the app sees it: the current entry of a survey, its
 * versions recorded in survey_versions (inserted at boot and on first use), and the answer
 * validator of any recorded version, so a tablet running an older cached page can still
 * send answers given against the version it showed.
 */
import path from 'node:path';
import type { Deps } from '../deps';
import { compileValidator, type AnswerValidator } from './answer-validator';
import { loadSurveyCatalogue, SURVEY_KINDS, type SurveyCatalogue, type SurveyCatalogueEntry, type SurveyKind } from './catalogue';
import * as versions from './survey-versions.store';

export const SURVEYS_DIR = path.join(__dirname, '..', '..', 'surveys');

type Ctx = Pick<Deps, 'db' | 'surveys'>;

let defaultCatalogue: SurveyCatalogue | undefined;

/** The catalogue given in deps (loaded at boot), or `surveys/` loaded once on first use (CLI, tests). */
export function catalogue(ctx: Pick<Deps, 'surveys'>): SurveyCatalogue {
  if (ctx.surveys) return ctx.surveys;
  defaultCatalogue ??= loadSurveyCatalogue(SURVEYS_DIR);
  return defaultCatalogue;
}

export function getSurvey(ctx: Pick<Deps, 'surveys'>, surveyId: string): SurveyCatalogueEntry | undefined {
  return catalogue(ctx).get(surveyId);
}

/**
 * Satisfaction surveys for visitors (kiosks, public links, satisfaction results): those marked
 * `"qualimetre": { "kind": "kiosk" }`. The catalogue also holds other grids (e.g. mystery calls).
 */
export function isVisitorSurvey(entry: SurveyCatalogueEntry): boolean {
  return surveyKind(entry) === 'kiosk';
}

/** The kind of a visitor form (`qualimetre.kind`), or null for other grids. */
export function surveyKind(entry: SurveyCatalogueEntry): SurveyKind | null {
  const kind = (entry.json as { qualimetre?: { kind?: unknown } }).qualimetre?.kind;
  return typeof kind === 'string' && (SURVEY_KINDS as readonly string[]).includes(kind) ? (kind as SurveyKind) : null;
}

/**
 * What a kiosk may run: a satisfaction survey, the point numérique's counter or the complaint
 * form; a public link: a satisfaction survey or the complaint form (a counter on a website
 * would count nothing real).
 */
export function kioskFormOf(ctx: Pick<Deps, 'surveys'>, surveyId: string, channel: 'kiosk' | 'web'): SurveyCatalogueEntry | undefined {
  const entry = getSurvey(ctx, surveyId);
  const kind = entry ? surveyKind(entry) : null;
  if (!kind || (channel === 'web' && kind === 'counting')) return undefined;
  return entry;
}

/** Forms a kiosk (or a public link) may run, satisfaction surveys first, then by French title. */
export function listKioskForms(ctx: Pick<Deps, 'surveys'>, channel: 'kiosk' | 'web'): SurveyCatalogueEntry[] {
  const order = (e: SurveyCatalogueEntry) => SURVEY_KINDS.indexOf(surveyKind(e)!);
  return [...catalogue(ctx).values()].filter((e) => kioskFormOf(ctx, e.id, channel))
    .sort((a, b) => order(a) - order(b) || a.title.localeCompare(b.title, 'fr'));
}

/** The visitor survey of this id, or undefined. */
export function getVisitorSurvey(ctx: Pick<Deps, 'surveys'>, surveyId: string): SurveyCatalogueEntry | undefined {
  const entry = getSurvey(ctx, surveyId);
  return entry && isVisitorSurvey(entry) ? entry : undefined;
}

/** Visitor surveys, by French title. */
export function listSurveys(ctx: Pick<Deps, 'surveys'>): SurveyCatalogueEntry[] {
  return [...catalogue(ctx).values()].filter(isVisitorSurvey).sort((a, b) => a.title.localeCompare(b.title, 'fr'));
}

// Versions already known to be recorded, per database (tests run several databases in one process).
const recorded = new WeakMap<object, Set<string>>();

/** Records the current version of a survey in survey_versions, once per process and database. */
export async function ensureCurrentVersion(ctx: Ctx, entry: SurveyCatalogueEntry): Promise<void> {
  let set = recorded.get(ctx.db);
  if (!set) recorded.set(ctx.db, (set = new Set()));
  const key = `${entry.id}@${entry.version}`;
  if (set.has(key)) return;
  await versions.insertVersionIfMissing(ctx.db, entry.id, entry.version, entry.json);
  set.add(key);
}

/** At boot: record the current version of every survey of the catalogue. */
export async function recordCatalogueVersions(ctx: Ctx): Promise<void> {
  for (const entry of catalogue(ctx).values()) await ensureCurrentVersion(ctx, entry);
}

// Compiled validators of older versions, bounded: there are few versions and each is small.
const olderValidators = new Map<string, AnswerValidator | null>();
const MAX_OLDER_VALIDATORS = 50;

/**
 * The validator for answers given against `version` of `surveyId`: the catalogue's for the
 * current version, else one compiled from the definition recorded in survey_versions;
 * undefined when the survey or the version is unknown (or the old definition no longer compiles).
 */
export async function validatorFor(ctx: Ctx, surveyId: string, version: string): Promise<AnswerValidator | undefined> {
  const entry = getSurvey(ctx, surveyId);
  if (!entry) return undefined;
  if (entry.version === version) return entry.validator;
  const key = `${surveyId}@${version}`;
  if (olderValidators.has(key)) return olderValidators.get(key) ?? undefined;
  const definition = await versions.getDefinition(ctx.db, surveyId, version);
  if (definition === undefined) return undefined; // not cached: the version may be recorded later
  let validator: AnswerValidator | null;
  try {
    validator = compileValidator(definition);
  } catch {
    validator = null;
  }
  if (olderValidators.size >= MAX_OLDER_VALIDATORS) olderValidators.delete(olderValidators.keys().next().value!);
  olderValidators.set(key, validator);
  return validator ?? undefined;
}

/** French titles of the questions of a definition, by name (pages and panels walked). */
export function questionTitles(json: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const el of elements) {
      if (!el || typeof el !== 'object') continue;
      const e = el as Record<string, unknown>;
      if (typeof e.name === 'string') {
        const t = e.title;
        const title = typeof t === 'string' ? t : t && typeof t === 'object' && typeof (t as Record<string, unknown>).default === 'string' ? (t as Record<string, string>).default : e.name;
        out.set(e.name, title);
      }
      walk(e.elements);
    }
  };
  const pages = (json as { pages?: unknown })?.pages;
  if (Array.isArray(pages)) for (const p of pages) walk((p as { elements?: unknown })?.elements);
  return out;
}
