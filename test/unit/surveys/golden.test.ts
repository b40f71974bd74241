/**
 * Golden list of question names and choice values (test/fixtures/survey-golden.json).
 *
 * Stored answer sets refer to questions by name and to choices by value. Renaming or
 * removing either, or changing the shape of an answer (single choice, several choices,
 * yes/no, free text), orphans answers already collected. Adding is fine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSurveyCatalogue } from '../../../server/surveys/catalogue';

type GoldenQuestion = { type: string; values: (string | number | boolean)[] };
type Golden = { surveys: Record<string, Record<string, GoldenQuestion>> };

const ROOT = path.resolve(__dirname, '..', '..', '..');
const GOLDEN_FILE = 'test/fixtures/survey-golden.json';
const golden = JSON.parse(fs.readFileSync(path.join(ROOT, GOLDEN_FILE), 'utf8')) as Golden;
const catalogue = loadSurveyCatalogue(path.join(ROOT, 'surveys'));

const WHY =
  `Stored answer sets refer to questions by name and to choices by value: renaming or removing one ` +
  `orphans every answer already collected. If this change is really intended (with a plan for the ` +
  `stored answers), update ${GOLDEN_FILE} deliberately in the same commit and say why in its message.`;

/** The shape of a stored answer: what a report must be able to read back. */
function answerShape(type: string): string {
  switch (type) {
    case 'radiogroup':
    case 'dropdown':
    case 'rating':
      return 'one choice';
    case 'checkbox':
      return 'several choices';
    case 'boolean':
      return 'yes/no';
    case 'comment':
    case 'text':
      return 'free text';
    default:
      return type;
  }
}

function problemsFor(surveyId: string): string[] {
  const entry = catalogue.get(surveyId);
  if (!entry) return [`survey "${surveyId}" is in ${GOLDEN_FILE} but surveys/${surveyId}.json is gone (renamed or removed).`];
  const problems: string[] = [];
  const current = new Map(entry.validator.questions.map((q) => [q.name, q]));
  for (const [name, expected] of Object.entries(golden.surveys[surveyId])) {
    const q = current.get(name);
    if (!q) {
      problems.push(`question "${name}" of survey "${surveyId}" was renamed or removed.`);
      continue;
    }
    if (answerShape(q.type) !== answerShape(expected.type)) {
      problems.push(`question "${name}" of survey "${surveyId}" changed from ${expected.type} (${answerShape(expected.type)}) to ${q.type} (${answerShape(q.type)}).`);
    }
    const values = q.values ?? [];
    for (const v of expected.values) {
      if (!values.includes(v)) problems.push(`choice ${JSON.stringify(v)} of question "${name}" in survey "${surveyId}" was renamed or removed.`);
    }
  }
  return problems;
}

describe('golden survey questions (test/fixtures/survey-golden.json)', () => {
  it.each(Object.keys(golden.surveys))('%s keeps every committed question and choice', (surveyId) => {
    const problems = problemsFor(surveyId);
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n\n${WHY}`);
  });

  it('lists the shipped surveys the golden file does not protect yet', () => {
    // Adding a survey is fine; it is protected once its entry is added here, deliberately,
    // when its question names are final. Until then, say so on every run.
    const missing = [...catalogue.keys()].filter((id) => !golden.surveys[id]);
    if (missing.length > 0) {
      const snippet = missing.map((id) => {
        const qs = Object.fromEntries(catalogue.get(id)!.validator.questions.map((q) => [q.name, { type: q.type, values: q.values ?? [] }]));
        return `"${id}": ${JSON.stringify(qs)}`;
      });
      process.stderr.write(
        `\nNote: survey(s) ${missing.join(', ')} are not in ${GOLDEN_FILE}, so renaming their questions or choices ` +
          `is not caught. Once they are in use, add under "surveys":\n${snippet.join(',\n')}\n\n`,
      );
    }
    expect(Object.keys(golden.surveys)).toEqual(expect.arrayContaining(['satisfaction-accueil', 'satisfaction-etrangers', 'point-numerique']));
  });

  it('detects a renamed question and a removed choice, and explains why it matters', () => {
    // Simulate an edit of the golden reference rather than of a shipped survey.
    const saved = golden.surveys['satisfaction-accueil'];
    golden.surveys['satisfaction-accueil'] = {
      ...saved,
      courtoisie_agents: { type: 'radiogroup', values: ['satisfait'] },
      temps_attente: { type: 'radiogroup', values: ['tres_satisfait', 'ne_sait_pas'] },
      commentaire: { type: 'checkbox', values: [] },
    };
    try {
      const problems = problemsFor('satisfaction-accueil');
      expect(problems).toHaveLength(3);
      expect(problems).toEqual(expect.arrayContaining([
        'question "courtoisie_agents" of survey "satisfaction-accueil" was renamed or removed.',
        'choice "ne_sait_pas" of question "temps_attente" in survey "satisfaction-accueil" was renamed or removed.',
        'question "commentaire" of survey "satisfaction-accueil" changed from checkbox (several choices) to comment (free text).',
      ]));
    } finally {
      golden.surveys['satisfaction-accueil'] = saved;
    }
  });
});
