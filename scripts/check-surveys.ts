/**
 * `npm run check-surveys [-- <dir>]`: loads the survey catalogue (default `surveys/`) and
 * prints one line per survey, or every problem found, exiting 1.
 */
import * as path from 'node:path';
import { loadSurveyCatalogue, SurveyCatalogueError } from '../server/surveys/catalogue';

export const DEFAULT_SURVEYS_DIR = path.resolve(__dirname, '..', 'surveys');

/** Returns the process exit code: 0 when every survey loads, 1 otherwise. */
export function main(
  dir: string = DEFAULT_SURVEYS_DIR,
  out: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  err: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): number {
  try {
    const catalogue = loadSurveyCatalogue(dir);
    for (const s of catalogue.values()) {
      out(`${s.id}  version ${s.version}  ${s.questionNames.length} questions  locales ${s.locales.join(',')}`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof SurveyCatalogueError)) throw e;
    err(`${e.problems.length} problem(s) in ${dir}:`);
    for (const p of e.problems) err(`  ${p}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_SURVEYS_DIR);
}
