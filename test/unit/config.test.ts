import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../server/config';

describe('parseConfig', () => {
  it('when nothing is set, then the embedded default with the demo is chosen', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ dbKind: 'pglite', demo: true, PORT: 3000, ROLES: ['web', 'worker'], MIN_CELL_SIZE: 5 });
    expect(path.isAbsolute(c.dataDir)).toBe(true);
  });

  it('when DATABASE_URL is set, then PostgreSQL is used and the demo is off unless asked', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://u@h/db' })).toMatchObject({ dbKind: 'postgres', demo: false });
    expect(parseConfig({ DATABASE_URL: 'postgres://u@h/db', QUALIMETRE_DEMO: '1' }).demo).toBe(true);
    expect(parseConfig({ QUALIMETRE_DEMO: '0' }).demo).toBe(false);
  });

  it.each([
    ['web', ['web']],
    ['worker', ['worker']],
    [' web , worker ', ['web', 'worker']],
    ['worker,,web', ['worker', 'web']],
  ])('when ROLES is %j, then the process takes the roles %j', (roles, expected) => {
    expect(parseConfig({ ROLES: roles }).ROLES).toEqual(expected);
  });

  it.each([',', 'Web', 'web;worker', 'national'])('when ROLES is %j, then the start is refused', (roles) => {
    expect(() => parseConfig({ ROLES: roles })).toThrow(/ROLES/);
  });

  it('when several values are wrong, then every problem is listed at once', () => {
    try {
      parseConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', ROLES: 'web,cook', ENCRYPTION_KEY: 'short' });
      throw new Error('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const k of ['PORT', 'DATABASE_URL', 'ROLES', 'ENCRYPTION_KEY']) expect(problems).toContain(k);
    }
  });

  it('when a secret is given as a *_FILE, then it is read from the file; both forms at once is an error', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qm-cfg-')), 'secret');
    fs.writeFileSync(f, `${'s'.repeat(40)}\n`);
    expect(parseConfig({ SESSION_SECRET_FILE: f }).SESSION_SECRET).toBe('s'.repeat(40));
    expect(() => parseConfig({ SESSION_SECRET_FILE: f, SESSION_SECRET: 'x'.repeat(40) })).toThrow(/both set/);
    expect(() => parseConfig({ SESSION_SECRET_FILE: '/nonexistent/secret' })).toThrow(/cannot read/);
  });

  it('when in production on PostgreSQL without SESSION_SECRET, then it refuses to start', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db' })).toThrow(/SESSION_SECRET/);
  });

  it('when PUBLIC_URL is https, then cookies are Secure', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://qualimetre.example.gouv.fr' }).secureCookies).toBe(true);
    expect(parseConfig({}).secureCookies).toBe(false);
  });
});
