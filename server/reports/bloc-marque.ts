/**
 * The State's bloc-marque (Marianne, « PRÉFET DE … », devise) on printed documents: the hall
 * poster and the bilan's cover. The institution's name is built from the organisation's name
 * as the DSFR header writes it (« Préfet<br>de la Haute-Savoie »); the artwork is the DSFR's
 * own `.fr-logo` rules, taken from the installed DSFR stylesheet (the Marianne and the devise
 * are data URIs there), never redrawn.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The bloc-marque's lines (the DSFR uppercases them): ['Préfet', 'de la Haute-Savoie']. */
export function blocMarqueLines(orgName: string): string[] {
  const name = orgName.trim().replace(/\s+/g, ' ').replace(/'/g, '’');
  // « Préfecture de la Haute-Savoie » → « Préfet de la Haute-Savoie »; « Préfecture de police »,
  // « Préfecture de la région … » alike. The line breaks after the institution, as the DSFR does.
  const m = /^pr[ée]fecture\s+(.+)$/i.exec(name);
  if (m) return ['Préfet', m[1]];
  const words = name.split(' ');
  if (words.length <= 2) return [name];
  // Another body: its name on two balanced lines.
  const half = Math.ceil(words.length / 2);
  return [words.slice(0, half).join(' '), words.slice(half).join(' ')];
}

const WANTED = new Set(['.fr-logo', '.fr-logo:before', '.fr-logo:after', '.fr-logo--lg', '.fr-logo--lg:before', '.fr-logo--lg:after']);
let cached: string | undefined;

/** The DSFR's bloc-marque rules only (a few kB instead of the whole 728 kB stylesheet). */
export function blocMarqueCss(): string {
  if (cached) return cached;
  const file = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist', 'dsfr.min.css');
  const css = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  const seen = new Set<string>();
  // Top-level rules come before the theme media queries that override them: keep the first.
  for (const m of css.matchAll(/([^{}]*)\{([^{}]*)\}/g)) {
    const selector = m[1].trim();
    if (!WANTED.has(selector) || seen.has(selector)) continue;
    seen.add(selector);
    out.push(`${selector}{${m[2].replace(/var\(--text-black-white-grey\)/g, '#000')}}`);
  }
  if (seen.size < WANTED.size) throw new Error(`DSFR bloc-marque rules not found (${[...WANTED].filter((s) => !seen.has(s)).join(', ')})`);
  cached = `/* DSFR bloc-marque (${path.basename(file)}) */\n${out.join('\n')}\n`;
  return cached;
}
