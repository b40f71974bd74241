/** CLI commands, run in process with the same deps as the server. */
import request from 'supertest';
import { runCommand } from '../../server/cli/commands';
import { createTestContext, type TestContext } from '../helpers/app';
import { loggedIn } from '../helpers/factories';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const code = () => String(100 + Math.floor(Math.random() * 900));

it('when --help is given, then every command is listed', async () => {
  const r = await runCommand(t.deps, ['--help']);
  expect(r.code).toBe(0);
  for (const c of ['org:create', 'user:create', 'token:create']) expect(r.stdout).toContain(c);
});

it('when an administrator, an organisation and a token are created, then the token works on the API and the admin can log in', async () => {
  const admin = await runCommand(t.deps, ['user:create', '--email', 'chef@test.qualimetre.fr', '--name', 'Chef', '--role', 'admin']);
  expect(admin.code).toBe(0);
  const password = /Password \(shown once\): (\S+)/.exec(admin.stdout)![1];
  expect((await loggedIn(t.app, { email: 'chef@test.qualimetre.fr', password })).csrf).toBeTruthy();

  const c = code();
  expect((await runCommand(t.deps, ['org:create', '--code', c, '--name', 'Préfecture du test'])).code).toBe(0);
  const tok = await runCommand(t.deps, ['token:create', '--org', c, '--role', 'viewer']);
  expect(tok.code).toBe(0);
  expect(tok.stdout).toMatch(/^qm_[\w-]+\n$/);
  const res = await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${tok.stdout.trim()}`);
  expect(res.body).toMatchObject({ code: c, role: 'viewer' });
});

it('when a password is given on stdin, then it is used and not printed', async () => {
  const c = code();
  await runCommand(t.deps, ['org:create', '--code', c, '--name', 'Préfecture stdin']);
  const r = await runCommand(t.deps, ['user:create', '--email', 'ref@stdin.test', '--role', 'referent', '--org', c, '--password-stdin'], 'un-mot-de-passe-long\n');
  expect(r.code).toBe(0);
  expect(r.stdout).not.toContain('Password');
  await loggedIn(t.app, { email: 'ref@stdin.test', password: 'un-mot-de-passe-long' });
});

it.each([
  [['nope'], 2, /Unknown command/],
  [['token:create'], 2, /--org <code> is required/],
  [['token:create', '--org', '000'], 2, /No organisation with code 000/],
  [['org:create', '--code', 'x', '--name', 'y'], 2, /--code/],
  [['user:create', '--email', 'a@b.fr', '--role', 'boss'], 2, /--role must be one of/],
  [['org:list', '--bogus'], 2, /Unknown option/],
])('when the command line is %j, then exit %i with a clear message', async (argv, exit, message) => {
  const r = await runCommand(t.deps, argv as string[]);
  expect(r.code).toBe(exit);
  expect(r.stderr).toMatch(message);
});
