/**
 * The page that shows a survey to visitors, on a kiosk tablet or through a public link:
 * its view model (the config read by public/kiosk/kiosk.js from a JSON block, since the CSP
 * forbids inline scripts), the scripts it loads, and the version that tells a tablet when
 * to reload and its service worker when to refresh its cache.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from '../http/assets';
import { assetUrl } from '../http/versioned-assets';
import type { SurveyCatalogueEntry } from './catalogue';
import { COUNTING_QUESTION, OVERALL_QUESTION, type SurveyKind } from './catalogue';
import { surveyKind } from './surveys.service';
import { kioskLanguage, type KioskLanguage, type KioskStrings } from './languages';

const VIEWS_DIR = path.join(__dirname, '..', '..', 'views');
const CLIENT_FILES = [
  path.join(PUBLIC_DIR, 'kiosk', 'answer-queue.js'),
  path.join(PUBLIC_DIR, 'kiosk', 'kiosk.js'),
  path.join(PUBLIC_DIR, 'kiosk', 'kiosk.css'),
  path.join(PUBLIC_DIR, 'kiosk', 'sw.js'),
  path.join(PUBLIC_DIR, 'css', 'compliance.css'),
  path.join(VIEWS_DIR, 'kiosk', 'kiosque.ejs'),
  path.join(VIEWS_DIR, 'compliance', '_survey-page-info.ejs'),
];

let assetsVersionCache: string | undefined;
/** Hash of the page's own code and of the SurveyJS version: changes when a deploy changes the page. */
export function assetsVersion(): string {
  if (!assetsVersionCache) {
    const h = crypto.createHash('sha256');
    for (const f of CLIENT_FILES) h.update(fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0));
    h.update(String((JSON.parse(fs.readFileSync(require.resolve('survey-core').replace(/survey\.core\.js$/, 'package.json'), 'utf8')) as { version: string }).version));
    assetsVersionCache = h.digest('hex').slice(0, 12);
  }
  return assetsVersionCache;
}

export const OVERALL_ORDER = ['tres_bien', 'moyen', 'pas_bien'] as const;

export interface SurveyPageInput {
  mode: 'kiosk' | 'web';
  /** Namespace of the answer queue on the device (kiosk id, or `web:<link id>`). */
  queueScope: string;
  survey: SurveyCatalogueEntry;
  locales: readonly string[];
  inactivitySeconds: number;
  status: 'active' | 'paused';
  submitUrl: string;
  heartbeatUrl?: string;
  serviceWorker?: { url: string; scope: string };
}

/**
 * The page's own words for the forms that are not satisfaction surveys (French only, like
 * those forms): they replace the kiosk strings of the same key.
 */
const KIND_STRINGS: Record<Exclude<SurveyKind, 'kiosk'>, Partial<KioskStrings>> = {
  counting: {
    anonymous: 'Comptage anonyme des visites',
    thanks: 'Merci, votre visite est comptée.',
    thanksDetail: 'Bonne démarche au point numérique !',
  },
  complaint: {
    anonymous: 'Vos coordonnées sont facultatives',
    thanks: 'Merci, votre message est enregistré.',
    thanksDetail: 'Il est transmis au référent qualité, qui vous répondra si vous avez laissé vos coordonnées.',
    idleText: { one: 'Le formulaire va recommencer dans {s} seconde.', other: 'Le formulaire va recommencer dans {s} secondes.' },
  },
};

export interface SurveyPageModel {
  title: string;
  /** `kiosk` (satisfaction: smileys first), `counting` (one tap per visit), `complaint` (a form). */
  kind: SurveyKind;
  /** Counting forms: the reasons to tap, for the first paint. */
  reasons: { value: string; label: string }[];
  reasonsTitle: string;
  lang: KioskLanguage;
  languages: KioskLanguage[];
  overallLabels: { value: string; label: string }[];
  overallTitle: string;
  scripts: string[];
  styles: string[];
  /** JSON for the `<script type="application/json">` block, with `<` escaped. */
  configJson: string;
  pageVersion: string;
  mode: 'kiosk' | 'web';
}

function defaultText(v: unknown, fallback: string): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).default === 'string') return (v as Record<string, string>).default;
  return fallback;
}

/** French texts of the overall question, for the first paint before the script runs. */
function overallTexts(json: Readonly<Record<string, unknown>>) {
  const pages = (json.pages as { elements?: Record<string, unknown>[] }[] | undefined) ?? [];
  const q = pages[0]?.elements?.find((e) => e.name === OVERALL_QUESTION) ?? {};
  const items = ((q.rateValues ?? q.choices) as { value: string; text?: unknown }[] | undefined) ?? [];
  const label = (value: string) => defaultText(items.find((i) => i.value === value)?.text, value);
  return { title: defaultText(q.title, ''), labels: OVERALL_ORDER.map((value) => ({ value, label: label(value) })) };
}

export function pageVersionOf(input: Pick<SurveyPageInput, 'survey' | 'locales' | 'inactivitySeconds'>): string {
  return crypto
    .createHash('sha256')
    .update([assetsVersion(), input.survey.version, input.locales.join(','), String(input.inactivitySeconds)].join('|'))
    .digest('hex')
    .slice(0, 12);
}

const SURVEY_CORE = path.dirname(require.resolve('survey-core'));
const SURVEY_UI = path.dirname(require.resolve('survey-js-ui'));

/**
 * The page's files, under versioned URLs (content hash): served precompressed and cached for
 * good (server/http/versioned-assets.ts). Registered when this module loads, so a tablet's
 * service worker finds them even before the first page of a new process is rendered.
 */
const PAGE_ASSETS = {
  core: assetUrl(path.join(SURVEY_CORE, 'survey.core.min.js')),
  ui: assetUrl(path.join(SURVEY_UI, 'survey-js-ui.min.js')),
  surveyCss: assetUrl(path.join(SURVEY_CORE, 'survey-core.fontless.min.css')),
  queue: assetUrl(path.join(PUBLIC_DIR, 'kiosk', 'answer-queue.js')),
  kiosk: assetUrl(path.join(PUBLIC_DIR, 'kiosk', 'kiosk.js')),
  kioskCss: assetUrl(path.join(PUBLIC_DIR, 'kiosk', 'kiosk.css')),
  // The legal « Informations » panel and footer (views/compliance/_survey-page-info.ejs): in the
  // offline cache like the rest, so a kiosk without network still shows them styled.
  complianceCss: assetUrl(path.join(PUBLIC_DIR, 'css', 'compliance.css')),
};
const i18nUrl = (name: string) => assetUrl(path.join(SURVEY_CORE, 'i18n', `${name}.min.js`));

/**
 * SurveyJS's own strings are not shown (our footer moves on, the kiosk's words are ours), but
 * the default language's file sets SurveyJS's locale texts for screen readers (« Obligatoire »…):
 * only the first language's file is loaded, not every offered language's.
 */
export function surveyScripts(languages: KioskLanguage[]): string[] {
  const first = languages[0]?.surveyI18n;
  return [PAGE_ASSETS.core, ...(first ? [i18nUrl(first)] : []), PAGE_ASSETS.ui, PAGE_ASSETS.queue, PAGE_ASSETS.kiosk];
}

/** No DSFR stylesheet: kiosk.css carries the few rules and colours the page needs; compliance.css the legal texts'. */
export function surveyStyles(): string[] {
  return [PAGE_ASSETS.surveyCss, PAGE_ASSETS.kioskCss, PAGE_ASSETS.complianceCss];
}

/** The neutral full-screen page of an unknown, revoked or deactivated link (no link, no code). */
export function outOfServicePage(mode: 'kiosk' | 'web') {
  return {
    mode,
    message: mode === 'kiosk' ? 'Cette borne n’est plus en service.' : 'Ce questionnaire n’est plus disponible.',
    stylesheet: PAGE_ASSETS.kioskCss,
  };
}

/** The reasons of a counting form (French texts). */
function countingTexts(json: Readonly<Record<string, unknown>>) {
  const pages = (json.pages as { elements?: Record<string, unknown>[] }[] | undefined) ?? [];
  const q = pages[0]?.elements?.find((e) => e.name === COUNTING_QUESTION) ?? {};
  const items = (q.choices as { value: string; text?: unknown }[] | undefined) ?? [];
  return { title: defaultText(q.title, ''), reasons: items.map((i) => ({ value: String(i.value), label: defaultText(i.text, String(i.value)) })) };
}

export function buildSurveyPage(input: SurveyPageInput): SurveyPageModel {
  const kind = surveyKind(input.survey) ?? 'kiosk';
  const counting = kind === 'counting' ? countingTexts(input.survey.json) : { title: '', reasons: [] };
  const languages = input.locales.map((code) => {
    const l = kioskLanguage(code);
    return kind === 'kiosk' ? l : { ...l, strings: { ...l.strings, ...KIND_STRINGS[kind] } };
  });
  const pageVersion = pageVersionOf(input);
  const overall = overallTexts(input.survey.json);
  const config = {
    mode: input.mode,
    queueScope: input.queueScope,
    survey: { id: input.survey.id, version: input.survey.version, json: input.survey.json },
    kind,
    overallQuestion: kind === 'counting' ? COUNTING_QUESTION : OVERALL_QUESTION,
    locales: languages.map((l) => ({ code: l.code, name: l.name, dir: l.dir, strings: l.strings })),
    inactivitySeconds: input.inactivitySeconds,
    thanksSeconds: 6,
    status: input.status,
    submitUrl: input.submitUrl,
    heartbeatUrl: input.heartbeatUrl ?? null,
    serviceWorker: input.serviceWorker ?? null,
    pageVersion,
  };
  return {
    title: input.survey.title,
    kind,
    reasons: counting.reasons,
    reasonsTitle: counting.title,
    lang: languages[0],
    languages,
    overallLabels: overall.labels,
    overallTitle: overall.title,
    scripts: surveyScripts(languages),
    styles: surveyStyles(),
    configJson: JSON.stringify(config).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029'),
    pageVersion,
    mode: input.mode,
  };
}

/** Exactly what the kiosk page loads, for its service worker to keep on install (nothing more). */
export function precacheList(pagePath: string, model: SurveyPageModel): string[] {
  return [pagePath, ...model.styles, ...model.scripts];
}
