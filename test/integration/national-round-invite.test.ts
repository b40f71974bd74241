/**
 * A national phone round invites each participating organisation's referents by e-mail through
 * the platform's SMTP (a real smtp-server here): active referents only, one message each, with
 * the round's dates and link; a second pass of the job runner sends nothing more.
 */
import { simpleParser } from 'mailparser';
import { sql } from 'drizzle-orm';
import { JobRunner } from '../../server/jobs/runner';
import { jobs } from '../../server/jobs/registry';
import { rows } from '../../server/storage/db';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createUser, loggedIn } from '../helpers/factories';
import { startSmtp, type SmtpTestServer } from '../helpers/smtp';

let t: TestContext;
let smtp: SmtpTestServer;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ config: { PLATFORM_SMTP_URL: `smtp://${smtp.host}:${smtp.port}`, PUBLIC_URL: 'http://qualimetre.example.test/' } });
  t.clock.set('2019-10-15T08:00:00Z');
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

it('when the national team creates a round, then every active referent of each participant gets one invitation with the dates and the link, and nobody else', async () => {
  const orgs = [await createOrg(t.deps, 'Préfecture A'), await createOrg(t.deps, 'Préfecture B'), await createOrg(t.deps, 'Préfecture C')];
  const referents = [await createUser(t.deps, orgs[0].id, 'referent'), await createUser(t.deps, orgs[1].id, 'referent'), await createUser(t.deps, orgs[1].id, 'referent'), await createUser(t.deps, orgs[2].id, 'referent')];
  const viewer = await createUser(t.deps, orgs[0].id, 'viewer');
  const inactive = await createUser(t.deps, orgs[2].id, 'referent');
  await t.deps.db.execute(sql`update users set active = false where id = ${inactive.id}`);
  const outsider = await createUser(t.deps, (await createOrg(t.deps, 'Préfecture hors tournée')).id, 'referent');

  const national = await loggedIn(t.app, await createUser(t.deps, null, 'national'));
  await national.page('/national/tournees');
  const res = await national.post('/national/tournees', { name: 'Tournée d’automne', startsOn: '2019-11-04', endsOn: '2019-11-29', organisations: orgs.map((o) => o.code).join(' '), seed: '7', voisins: 'eviter' });
  expect(res.status).toBe(303);
  const roundId = /([0-9a-f-]{36})$/.exec(res.headers.location!)![1];
  // Creating the round sent nothing yet: the invitations are jobs (one per organisation).
  expect(smtp.received).toHaveLength(0);
  expect(Number(rows<{ n: number | string }>(await t.deps.db.execute(sql`select count(*) as n from jobs where name = 'national.round-invite'`))[0].n)).toBe(3);

  await new JobRunner(t.deps, jobs).drain();
  expect(smtp.received.flatMap((m) => m.to).sort()).toEqual(referents.map((r) => r.email).sort());
  for (const addr of [viewer.email, inactive.email, outsider.email]) expect(smtp.received.flatMap((m) => m.to)).not.toContain(addr);
  const mail = await simpleParser(smtp.received[0].raw);
  expect(mail.subject).toBe('Tournée nationale d’appels mystères : « Tournée d’automne »');
  expect(mail.text).toContain('du 4 novembre 2019 au 29 novembre 2019');
  expect(mail.text).toContain(`http://qualimetre.example.test/enquetes-telephoniques/${roundId}`);

  await new JobRunner(t.deps, jobs).drain();
  expect(smtp.received).toHaveLength(referents.length);
});
