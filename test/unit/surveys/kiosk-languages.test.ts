/**
 * The kiosk's words are data (server/surveys/kiosk-languages.json), checked when the server
 * starts: a broken file stops it with the reason instead of showing a blank button.
 */
import fs from 'node:fs';
import path from 'node:path';
import { kioskLanguage, parseKioskLanguages } from '../../../server/surveys/languages';

const FILE = path.join(__dirname, '../../../server/surveys/kiosk-languages.json');
const good = () => JSON.parse(fs.readFileSync(FILE, 'utf8'));

describe('kiosk languages file', () => {
  it('when the shipped file is read, then every language with strings has every string, and the plural idle text has its « other » form', () => {
    const langs = parseKioskLanguages(good());
    for (const [code, l] of Object.entries(langs)) {
      if (!l.strings) continue;
      expect([code, typeof l.strings.idleText.other]).toEqual([code, 'string']);
      expect(l.strings.progress).toContain('{n}');
    }
    expect(kioskLanguage('ar').dir).toBe('rtl');
    expect(kioskLanguage('fr').strings.idleText).toEqual({ one: 'Le questionnaire va recommencer dans {s} seconde.', other: 'Le questionnaire va recommencer dans {s} secondes.' });
    // A language without strings of its own speaks English on the kiosk's screens.
    expect(kioskLanguage('ru').strings.next).toBe('Next');
  });

  it.each([
    ['a string is missing', (d: any) => { delete d.fr.strings.next; }],
    ['the idle text has no « other » form', (d: any) => { d.fr.strings.idleText = { one: '1 seconde' }; }],
    ['a plural form is not a CLDR category', (d: any) => { d.fr.strings.idleText.plural = 'x'; }],
    ['the progress has no {n}', (d: any) => { d.fr.strings.progress = 'Étape'; }],
    ['a direction is neither ltr nor rtl', (d: any) => { d.ar.dir = 'ttb'; }],
    ['English (the fallback) has no strings', (d: any) => { delete d.en.strings; }],
    ['an unknown key slipped in', (d: any) => { d.fr.strings.nxet = 'Suivant'; }],
  ])('when %s, then the file is refused', (_case, spoil) => {
    const d = good();
    spoil(d);
    expect(() => parseKioskLanguages(d)).toThrow();
  });
});
