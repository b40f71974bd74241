/**
 * Languages of the kiosk page: each language's own name (shown on its button), its writing
 * direction, the SurveyJS translation file of its navigation buttons, and the few strings
 * of the kiosk's own screens (all in kiosk-languages.json). Question texts come from the
 * survey definition itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const pluralText = z
  .object({ zero: z.string(), one: z.string(), two: z.string(), few: z.string(), many: z.string(), other: z.string() })
  .partial()
  .required({ other: true })
  .strict();

const stringsSchema = z.object({
  language: z.string(),
  anonymous: z.string(),
  finishPrompt: z.string(),
  finish: z.string(),
  continue: z.string(),
  submit: z.string(),
  next: z.string(),
  previous: z.string(),
  /** `{n}` and `{total}`: read by screen readers beside the visible « 2 / 4 ». */
  progress: z.string().includes('{n}').includes('{total}'),
  thanks: z.string(),
  thanksDetail: z.string(),
  idleTitle: z.string(),
  /** One text per plural category of the language (Intl.PluralRules); `{s}` is the seconds left. */
  idleText: pluralText,
  idleContinue: z.string(),
  paused: z.string(),
  disabled: z.string(),
}).strict();

const languageSchema = z.object({
  name: z.string().min(1),
  dir: z.enum(['ltr', 'rtl']),
  /** File under /vendor/survey-core/i18n/ (without .min.js). */
  surveyI18n: z.string().regex(/^[a-z-]+$/).optional(),
  strings: stringsSchema.optional(),
}).strict();

export type KioskStrings = z.output<typeof stringsSchema>;
type Language = z.output<typeof languageSchema>;

/** The kiosk's words are data (kiosk-languages.json), checked when this module loads. */
export function parseKioskLanguages(raw: unknown): Record<string, Language> {
  const entries = Object.entries(raw as Record<string, unknown>).filter(([k]) => k !== '$comment');
  const parsed = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/), languageSchema).parse(Object.fromEntries(entries));
  if (!parsed.en?.strings) throw new Error('kiosk-languages.json: English strings are required (the fallback)');
  return parsed;
}

const LANGUAGES = parseKioskLanguages(JSON.parse(fs.readFileSync(path.join(__dirname, 'kiosk-languages.json'), 'utf8')));

export interface KioskLanguage {
  code: string;
  name: string;
  dir: 'ltr' | 'rtl';
  surveyI18n: string | null;
  strings: KioskStrings;
}

export function kioskLanguage(code: string): KioskLanguage {
  const l = LANGUAGES[code] ?? LANGUAGES[code.split('-')[0]];
  return {
    code,
    name: l?.name ?? code,
    dir: l?.dir ?? 'ltr',
    surveyI18n: l?.surveyI18n ?? null,
    strings: l?.strings ?? LANGUAGES.en.strings!,
  };
}

/** Label of a locale list in French, for management pages: « Français, English, العربية ». */
export function languageNames(codes: readonly string[]): string {
  return codes.map((c) => kioskLanguage(c).name).join(', ');
}
