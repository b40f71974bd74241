import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from 'survey-core';
import {
  canonicalJson,
  checkSurveyDefinition,
  loadSurveyCatalogue,
  SurveyCatalogueError,
  surveyVersion,
} from '../../../server/surveys/catalogue';
import { main as checkSurveysMain } from '../../../scripts/check-surveys';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SURVEYS = path.join(ROOT, 'surveys');
const BROKEN = path.join(ROOT, 'test', 'fixtures', 'surveys-broken');

function loadErrors(dir: string): string[] {
  try {
    loadSurveyCatalogue(dir);
  } catch (e) {
    if (e instanceof SurveyCatalogueError) return [...e.problems];
    throw e;
  }
  throw new Error(`expected ${dir} to fail`);
}

describe('shipped surveys (golden load)', () => {
  const catalogue = loadSurveyCatalogue(SURVEYS);
  const files = fs.readdirSync(SURVEYS).filter((f) => f.endsWith('.json'));

  it('loads every surveys/*.json', () => {
    expect([...catalogue.keys()].sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
    expect([...catalogue.keys()]).toEqual(expect.arrayContaining(['satisfaction-accueil', 'satisfaction-etrangers', 'point-numerique']));
  });

  it.each(files.map((f) => f.replace(/\.json$/, '')))('%s: entry is complete', (id) => {
    const entry = catalogue.get(id)!;
    expect(entry.id).toBe(id);
    expect(entry.version).toMatch(/^[0-9a-f]{16}$/);
    expect(entry.version).toBe(surveyVersion(JSON.parse(fs.readFileSync(path.join(SURVEYS, `${id}.json`), 'utf8'))));
    expect(entry.title).not.toBe('');
    expect(entry.locales[0]).toBe('fr');
    expect(entry.questionNames.length).toBeGreaterThan(0);
    expect(Object.isFrozen(entry.json)).toBe(true);
    const model = new Model(entry.json);
    expect(model.getAllQuestions().filter((q) => q.getType() !== 'html').map((q) => q.name)).toEqual(entry.questionNames);
  });

  const kiosk = files.map((f) => f.replace(/\.json$/, '')).filter((id) => (catalogue.get(id)!.json as any).qualimetre?.kind === 'kiosk');

  it('the three kiosk surveys are kiosk surveys', () => {
    expect(kiosk).toEqual(expect.arrayContaining(['satisfaction-accueil', 'satisfaction-etrangers', 'point-numerique']));
  });

  it.each(kiosk)('%s: kiosk survey accepts a one-tap answer', (id) => {
    const entry = catalogue.get(id)!;
    expect(entry.title).toMatch(/^Votre avis/);
    expect(entry.locales).toContain('en');
    expect(entry.questionNames[0]).toBe('avis_global');
    expect(entry.questionNames).toContain('commentaire');
    for (const v of ['tres_bien', 'moyen', 'pas_bien']) {
      expect(entry.validator.validate({ avis_global: v })).toEqual({ ok: true, data: { avis_global: v } });
    }
    // survey-core agrees and builds the survey from the frozen definition.
    const model = new Model(entry.json);
    model.data = { avis_global: 'moyen' };
    expect(model.validate(true, false)).toBe(true);
  });

  it('satisfaction-accueil has the 12 items of the autumn-2018 survey, in order', () => {
    expect(catalogue.get('satisfaction-accueil')!.questionNames).toEqual([
      'avis_global', 'courtoisie', 'accessibilite_pmr', 'langage_comprehensible', 'orientation', 'point_numerique',
      'signaletique', 'equipements', 'confort_attente', 'temps_attente', 'confidentialite', 'accueil_telephonique',
      'accueil_global', 'commentaire',
    ]);
  });

  it('satisfaction-etrangers is offered in fr, en, es, ar and more', () => {
    const locales = catalogue.get('satisfaction-etrangers')!.locales;
    expect(locales.slice(0, 4)).toEqual(['fr', 'en', 'es', 'ar']);
    expect(locales.length).toBeGreaterThanOrEqual(5);
  });

  it('check-surveys prints one line per survey and returns 0', () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(checkSurveysMain(SURVEYS, (l) => out.push(l), (l) => err.push(l))).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(files.length);
    expect(out.find((l) => l.startsWith('satisfaction-etrangers'))).toMatch(/version [0-9a-f]{16} +8 questions +locales fr,en,es,ar,/);
  });
});

describe('version', () => {
  it('ignores key order and whitespace but not content', () => {
    const a = { title: 'T', pages: [{ name: 'p', elements: [{ type: 'text', name: 'x' }] }] };
    const b = { pages: [{ elements: [{ name: 'x', type: 'text' }], name: 'p' }], title: 'T' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(surveyVersion(a)).toBe(surveyVersion(b));
    expect(surveyVersion({ ...a, title: 'T2' })).not.toBe(surveyVersion(a));
  });
});

describe('broken fixtures (test/fixtures/surveys-broken)', () => {
  const problems = loadErrors(BROKEN);

  it('reports every broken file in one error', () => {
    for (const f of ['bad-syntax.json', 'unknown-property.json', 'duplicate-name.json', 'unknown-type.json']) {
      expect(problems.some((p) => p.startsWith(`surveys-broken/${f}: `))).toBe(true);
    }
  });

  it('bad JSON syntax: names the file, line and column', () => {
    expect(problems).toContain(
      'surveys-broken/bad-syntax.json: line 32, column 29: JSON syntax error: expected "," or "}" after the value of "name", found "\\""',
    );
  });

  it('unknown property: names the element and suggests the right one', () => {
    expect(problems).toContain(
      'surveys-broken/unknown-property.json: pages[1].elements[1] "orientation": unknown property "titel" for radiogroup (did you mean "title"?) (line 86)',
    );
  });

  it('duplicate question name: names both places', () => {
    expect(problems).toContain(
      'surveys-broken/duplicate-name.json: pages[1].elements[1] "courtoisie": duplicate question name "courtoisie" (first used at pages[1].elements[0]) (line 61)',
    );
  });

  it('unknown element type: names the element, once', () => {
    const lines = problems.filter((p) => p.startsWith('surveys-broken/unknown-type.json'));
    expect(lines).toEqual(['surveys-broken/unknown-type.json: pages[1].elements[1] "orientation": unknown element type "smiley" (line 62)']);
  });

  it('the error message lists every problem', () => {
    try {
      loadSurveyCatalogue(BROKEN);
    } catch (e) {
      for (const p of problems) expect((e as Error).message).toContain(p);
    }
  });

  it('check-surveys prints the problems and returns 1', () => {
    const err: string[] = [];
    expect(checkSurveysMain(BROKEN, () => undefined, (l) => err.push(l))).toBe(1);
    expect(err.join('\n')).toContain('unknown element type "smiley"');
  });
});

describe('directory problems', () => {
  it('missing or empty directory', () => {
    expect(loadErrors(path.join(ROOT, 'no-such-dir'))[0]).toMatch(/^no-such-dir: cannot read the directory/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-surveys-'));
    try {
      expect(loadErrors(empty)).toEqual([`${path.basename(empty)}: no survey definition (*.json) found`]);
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});

// A valid kiosk definition, mutated one rule at a time.
function base(): Record<string, any> {
  const scale = ['tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis'].map((v) => ({
    value: v,
    text: { default: v.replace(/_/g, ' '), en: `${v} (en)` },
  }));
  return {
    title: { default: 'Titre', en: 'Title' },
    showQuestionNumbers: 'off',
    pages: [
      {
        name: 'page_avis',
        elements: [
          {
            type: 'rating', name: 'avis_global', title: { default: 'Avis', en: 'Opinion' }, isRequired: true,
            rateValues: ['pas_bien', 'moyen', 'tres_bien'].map((v) => ({ value: v, text: { default: v, en: v } })),
          },
        ],
      },
      {
        name: 'page_details',
        elements: [
          { type: 'radiogroup', name: 'courtoisie', title: { default: 'Courtoisie', en: 'Courtesy' }, choices: scale },
          {
            type: 'comment', name: 'commentaire', title: { default: 'Commentaire', en: 'Comment' }, maxLength: 500,
            description: {
              default: 'Votre réponse est anonyme. Merci de ne pas écrire de données personnelles.',
              en: 'Your answer is anonymous. Please do not write any personal information.',
            },
          },
        ],
      },
    ],
    qualimetre: { kind: 'kiosk', locales: ['fr', 'en'] },
  };
}

function check(def: unknown): string[] {
  return checkSurveyDefinition(typeof def === 'string' ? def : JSON.stringify(def, null, 2), 'surveys/test-survey.json').problems;
}

const details = (d: Record<string, any>) => d.pages[1].elements as Record<string, any>[];

describe('definition checks', () => {
  it('the base definition is valid', () => {
    const result = checkSurveyDefinition(JSON.stringify(base()), 'surveys/test-survey.json');
    expect(result.problems).toEqual([]);
    expect(result.entry!.locales).toEqual(['fr', 'en']);
    expect(result.entry!.title).toBe('Titre');
  });

  const cases: [string, (d: Record<string, any>) => void, string][] = [
    ['unknown top-level key', (d) => { d.qualimetr = {}; }, '(survey): unknown property "qualimetr" for survey'],
    ['unknown page property', (d) => { d.pages[1].visibleWhen = 'x'; }, 'pages[1] "page_details": unknown property "visibleWhen" for page'],
    ['unknown choice property', (d) => { details(d)[0].choices[1].label = 'x'; }, 'pages[1].elements[0] "courtoisie": choices[1]: unknown property "label" for choiceitem'],
    ['legacy alias', (d) => { details(d)[0].hasNone = false; }, '"hasNone" is a legacy alias: write "showNoneItem"'],
    ['boolean of the wrong kind', (d) => { details(d)[0].isRequired = 'false'; }, '"isRequired" must be true or false'],
    ['enumerated value', (d) => { details(d)[0].colCount = 7; }, '"colCount" must be one of 0, 1, 2, 3, 4, 5'],
    ['showQuestionNumbers', (d) => { d.showQuestionNumbers = 'on'; }, '"showQuestionNumbers" must be "off"'],
    ['title', (d) => { delete d.title; }, 'the survey needs a "title"'],
    ['cookieName', (d) => { d.cookieName = 'done'; }, '"cookieName" is forbidden'],
    ['duplicate choice value (survey-core compares case-insensitively)', (d) => { details(d)[0].choices[1].value = 'TRES_SATISFAIT'; }, 'choices[1]: duplicate choice value "TRES_SATISFAIT" (same as choices[0])'],
    ['choice without text', (d) => { details(d)[0].choices[4] = 'sans_avis'; }, 'choices[4] ("sans_avis") needs a "text" label'],
    ['question without title', (d) => { delete details(d)[0].title; }, 'a question needs a "title"'],
    ['snake_case names', (d) => { details(d)[0].name = 'Courtoisie-Agents'; }, 'name "Courtoisie-Agents" must be snake_case'],
    ['missing translation', (d) => { delete details(d)[0].choices[2].text.en; }, 'pages[1].elements[0] "courtoisie": choices[2]: "text" is not translated into "en" (listed in qualimetre.locales)'],
    ['plain string when a translation is due', (d) => { details(d)[0].title = 'Courtoisie'; }, '"title" is not translated into "en"'],
    ['locale listed but absent everywhere', (d) => { d.qualimetre.locales.push('ar'); }, '(survey): "title" is not translated into "ar"'],
    ['translation of an unlisted locale', (d) => { d.title.de = 'Titel'; }, '"title" has a "de" text but "de" is not listed in qualimetre.locales'],
    ['French under "fr"', (d) => { d.title.fr = 'Titre'; }, 'put the French text under "default", not "fr"'],
    ['qualimetre kind', (d) => { d.qualimetre.kind = 'web'; }, 'qualimetre: "kind" must be one of "kiosk", "counting", "complaint"'],
    ['qualimetre extra key', (d) => { d.qualimetre.site = 'annecy'; }, 'qualimetre: unknown property "site"'],
    ['qualimetre without fr', (d) => { d.qualimetre.locales = ['en']; }, '"locales" must include "fr"'],
    ['avis_global optional', (d) => { delete d.pages[0].elements[0].isRequired; }, '"avis_global" must be required'],
    ['avis_global values', (d) => { d.pages[0].elements[0].rateValues[1].value = 'bien'; }, '"avis_global" must offer exactly the values "tres_bien", "moyen", "pas_bien"'],
    ['avis_global not alone on the first page', (d) => { d.pages[0].elements.push(details(d).shift()); }, 'the first page of a kiosk survey must hold exactly one question, "avis_global"'],
    ['another required question', (d) => { details(d)[0].isRequired = true; }, 'only "avis_global" may be required in a kiosk survey'],
    ['incomplete satisfaction scale', (d) => { details(d)[0].choices.pop(); }, 'a satisfaction question must use exactly the scale'],
    ['free text without a cap', (d) => { delete details(d)[1].maxLength; }, 'free text must set "maxLength" between 1 and 500'],
    ['free text without the anonymity notice', (d) => { details(d)[1].description.default = 'Merci'; }, 'free text must carry the description « Votre réponse est anonyme.'],
    ['invalid expression', (d) => { details(d)[0].visibleIf = "{avis_global} = = 'moyen'"; }, `pages[1].elements[0] "courtoisie": invalid expression in "visibleIf": {avis_global} = = 'moyen'`],
    ['expression naming no question', (d) => { details(d)[0].visibleIf = "{avis} = 'moyen'"; }, '"visibleIf" refers to {avis}, which is not a question of this survey'],
    ['type the validator cannot check', (d) => { details(d).push({ type: 'matrix', name: 'grille', title: 'Grille', columns: ['a'], rows: ['b'] }); }, 'pages[1].elements[2] "grille": element type "matrix" is not supported by the answer validator'],
    ['property the validator cannot check', (d) => { details(d)[1].validators = [{ type: 'text', maxLength: 10 }]; }, 'pages[1].elements[1] "commentaire": "validators" is not supported by the answer validator'],
    ['page without name', (d) => { delete d.pages[1].name; }, 'pages[1]: a page needs a "name"'],
  ];

  it.each(cases)('%s', (_label, mutate, expected) => {
    const d = base();
    mutate(d);
    const problems = check(d);
    expect(problems.join('\n')).toContain(expected);
    for (const p of problems) expect(p).toMatch(/^surveys\/test-survey\.json: /);
  });

  it('kiosk rules apply only to kiosk surveys (qualimetre.kind = "kiosk")', () => {
    // An evaluators' grid: several required questions, no avis_global, plain French strings.
    const grid = {
      title: 'Grille', showQuestionNumbers: 'off',
      pages: [{ name: 'p', elements: [
        { type: 'radiogroup', name: 'decroche', title: 'Décroché ?', isRequired: true, choices: [{ value: 'oui', text: 'Oui' }, { value: 'non', text: 'Non' }] },
        { type: 'text', name: 'attente_secondes', title: 'Attente (s)', isRequired: true, inputType: 'number', min: 0, max: 3600, visibleIf: "{decroche} = 'oui'" },
        { type: 'comment', name: 'commentaire', title: 'Commentaire' },
      ] }],
    };
    const result = checkSurveyDefinition(JSON.stringify(grid), 'surveys/grille.json');
    expect(result.problems).toEqual([]);
    expect(result.entry!.locales).toEqual(['fr']);
    const asKiosk = check({ ...grid, qualimetre: { kind: 'kiosk', locales: ['fr'] } }).join('\n');
    expect(asKiosk).toContain('the first page of a kiosk survey must hold exactly one question, "avis_global"');
    expect(asKiosk).toContain('only "avis_global" may be required');
    expect(asKiosk).toContain('free text must set "maxLength"');
  });

  it('duplicate JSON keys', () => {
    const text = JSON.stringify(base(), null, 2).replace('"showQuestionNumbers": "off"', '"showQuestionNumbers": "off",\n  "title": "Autre"');
    expect(check(text)).toContain('surveys/test-survey.json: (survey): duplicate key "title" (JSON keeps only the last one) (line 7)');
  });

  it.each([
    ['', 'line 1, column 1: JSON syntax error: the file is empty'],
    ['{"title": "x",}', 'line 1, column 15: JSON syntax error: trailing comma before "}"'],
    ['{\n  // note\n  "title": "x"\n}', 'line 2, column 3: JSON syntax error: comments are not allowed in JSON'],
    ["{'title': 1}", 'line 1, column 2: JSON syntax error: strings must use double quotes'],
    ['{"title": "x"} {}', 'line 1, column 16: JSON syntax error: unexpected "{" after the end of the JSON value'],
    ['{"pages": [1, 2,]}', 'line 1, column 17: JSON syntax error: trailing comma before "]"'],
    ['{"title": "a\nb"}', 'line 1, column 13: JSON syntax error: unterminated string (line break inside a string)'],
  ])('syntax error %j', (text, expected) => {
    expect(check(text)).toEqual([`surveys/test-survey.json: ${expected}`]);
  });

  it('parses exactly like JSON.parse (escapes, numbers, BOM)', () => {
    const d = base();
    d.description = { default: 'a\u00e9\\"\u2028 \ud83d\ude00 \n\t/', en: 'x' };
    details(d)[1].maxLength = 5e2;
    const text = '\ufeff' + JSON.stringify(d, null, 1).replace('"off"', '"\\u006fff"');
    const result = checkSurveyDefinition(text, 'surveys/test-survey.json');
    expect(result.problems).toEqual([]);
    expect(result.entry!.json).toEqual(JSON.parse(text.slice(1)));
  });

  it('reports problems of several files together', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-surveys-'));
    try {
      const a = base();
      a.pages[0].elements[0].isRequired = false;
      fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(a));
      fs.writeFileSync(path.join(dir, 'b.json'), '{');
      fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify(base()));
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
      const problems = loadErrors(dir);
      const label = path.basename(dir);
      expect(problems).toEqual([
        `${label}/a.json: pages[0].elements[0] "avis_global": "avis_global" must be required (line 1)`,
        `${label}/b.json: line 1, column 2: JSON syntax error: expected a property name in double quotes, found end of file`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});
