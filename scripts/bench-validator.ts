/**
 * `npx tsx scripts/bench-validator.ts [answer sets per survey]`: time our compiled validator
 * against survey-core (one Model reused per survey: `model.data = x; model.validate(true, false)`)
 * on the same answer sets, and print ms per answer set and the ratio.
 */
import * as path from 'node:path';
import { Model } from 'survey-core';
import { loadSurveyCatalogue, type SurveyCatalogueEntry } from '../server/surveys/catalogue';
// Seeded, so that every run times the same answer sets.
import { seededRandom as mulberry32 } from '../server/random';


/** Answer sets like a kiosk sends: mostly valid (some stop after the first tap), a few broken. */
function answerSets(entry: SurveyCatalogueEntry, n: number, rnd: () => number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const questions = entry.validator.questions;
  for (let i = 0; i < n; i++) {
    const a: Record<string, unknown> = {};
    const depth = rnd() < 0.3 ? 1 : questions.length;
    for (const q of questions.slice(0, depth)) {
      if (q.name !== 'avis_global' && rnd() < 0.3) continue;
      if (q.values && q.values.length > 0) a[q.name] = q.values[Math.floor(rnd() * q.values.length)];
      else a[q.name] = 'Merci pour votre accueil.'.slice(0, 5 + Math.floor(rnd() * 20));
    }
    // Hidden question answered when the logic hides it: refused by us, ignored by survey-core.
    if (a.a_rendez_vous !== 'oui') delete a.prise_rendez_vous;
    if (rnd() < 0.1) a.inconnu = 1;
    if (rnd() < 0.05) delete a.avis_global;
    out.push(a);
  }
  return out;
}

function time(fn: () => void, minMs = 500): number {
  let reps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    reps++;
    elapsed = performance.now() - start;
  }
  return elapsed / reps;
}

export function main(perSurvey = 2000): void {
  const catalogue = loadSurveyCatalogue(path.resolve(__dirname, '..', 'surveys'));
  const rows: string[] = [];
  let oursTotal = 0;
  let coreTotal = 0;
  let count = 0;
  for (const entry of catalogue.values()) {
    const sets = answerSets(entry, perSurvey, mulberry32(42));
    const copies = sets.map((s) => structuredClone(s));
    const model = new Model(entry.json);
    let disagreements = 0;
    // Warm up both, and count verdict differences: expected only where survey-core lets
    // things through (we refuse, it accepts), never the other way round.
    for (let i = 0; i < sets.length; i++) {
      model.data = structuredClone(sets[i]);
      const core = model.validate(true, false);
      const ours = entry.validator.validate(sets[i]).ok;
      if (core !== ours) disagreements++;
      if (ours && !core) throw new Error(`${entry.id}: we accept what survey-core refuses: ${JSON.stringify(sets[i])}`);
    }
    const ours = time(() => {
      for (const s of sets) entry.validator.validate(s);
    }) / sets.length;
    const core = time(() => {
      for (const s of copies) {
        model.data = s;
        model.validate(true, false);
      }
    }, 2000) / sets.length;
    oursTotal += ours * sets.length;
    coreTotal += core * sets.length;
    count += sets.length;
    rows.push(
      `${entry.id.padEnd(24)} ours ${ours.toFixed(4)} ms   survey-core ${core.toFixed(3)} ms   ratio ${(core / ours).toFixed(0)}×   ` +
        `(${sets.length} answer sets, ${disagreements} verdicts differ: survey-core lets them through)`,
    );
  }
  for (const r of rows) console.log(r);
  console.log(
    `${'all'.padEnd(24)} ours ${(oursTotal / count).toFixed(4)} ms   survey-core ${(coreTotal / count).toFixed(3)} ms   ratio ${(coreTotal / oursTotal).toFixed(0)}×   per answer set`,
  );
}

if (require.main === module) {
  main(process.argv[2] ? Number(process.argv[2]) : undefined);
}
