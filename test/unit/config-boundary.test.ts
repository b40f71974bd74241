/**
 * The configuration boundary: only server/config.ts reads process.env, so every setting is
 * validated and documented in one place.
 */
import fs from 'node:fs';
import path from 'node:path';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

it('when the server and scripts are scanned, then only server/config.ts reads process.env', () => {
  const root = path.resolve(__dirname, '..', '..');
  const offenders = [...files(path.join(root, 'server')), ...(fs.existsSync(path.join(root, 'scripts')) ? files(path.join(root, 'scripts')) : [])]
    .filter((f) => !f.endsWith(path.join('server', 'config.ts')))
    .filter((f) => /process\.env\b/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(root, f));
  expect(offenders).toEqual([]);
});
