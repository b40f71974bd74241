/** « Mot de passe oublié », end to end through a real SMTP listener. */
import { simpleParser } from 'mailparser';
import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext } from '../helpers/app';
import { browser, createOrg, createUser, loggedIn } from '../helpers/factories';
import { startSmtp, type SmtpTestServer } from '../helpers/smtp';
import { waitFor } from '../helpers/wait';
import { rows } from '../../server/storage/db';

let t: TestContext;
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ config: { PLATFORM_SMTP_URL: `smtp://${smtp.host}:${smtp.port}`, PUBLIC_URL: 'http://qualimetre.example.test' } });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const linkOf = async (to: string) => {
  const m = await waitFor(`reset e-mail to ${to}`, async () => smtp.received.filter((x) => x.to.includes(to)).at(-1));
  const parsed = await simpleParser(m.raw);
  return /http:\/\/qualimetre\.example\.test(\/mot-de-passe\/[^\s]+)/.exec(parsed.text ?? '')![1];
};

describe('when a user forgets their password', () => {
  it('then the answer is the same for a known and an unknown address, and only the known one gets an e-mail', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'referent');
    const b = await browser(t.app);
    const form = await b.page('/connexion');
    expect(form.text).toContain('/mot-de-passe-oublie');
    await b.page('/mot-de-passe-oublie');
    const known = await b.post('/mot-de-passe-oublie', { email: user.email });
    const unknown = await b.post('/mot-de-passe-oublie', { email: 'personne@test.qualimetre.fr' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const alert = (html: string) => /<div class="fr-alert fr-alert--success[^>]*><p>([^<]+)/.exec(html)?.[1];
    expect(alert(known.text)).toContain('Si un compte existe avec cette adresse');
    expect(alert(known.text)).toBe(alert(unknown.text));
    await linkOf(user.email);
    expect(smtp.received.some((m) => m.to.includes('personne@test.qualimetre.fr'))).toBe(false);
    // Only the hash of the token is stored.
    const [r] = rows<{ token_hash: string }>(await t.deps.db.execute(sql`select token_hash from password_resets pr join users u on u.id = pr.user_id where u.email = ${user.email}`));
    expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('then the link sets a new password once, ends the sessions, and cannot serve again', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const session = await loggedIn(t.app, user);
    const b = await browser(t.app);
    await b.page('/mot-de-passe-oublie');
    await b.post('/mot-de-passe-oublie', { email: user.email });
    const link = await linkOf(user.email);
    const page = await b.page(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain(user.email);
    const short = await b.post(link, { password: 'court', confirm: 'court' });
    expect(short.status).toBe(422);
    const done = await b.post(link, { password: 'un-nouveau-mot-de-passe', confirm: 'un-nouveau-mot-de-passe' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/connexion');
    expect((await session.page('/')).status).toBe(303); // the old session is gone
    await b.page('/connexion');
    expect((await b.post('/connexion', { email: user.email, password: 'un-nouveau-mot-de-passe' })).status).toBe(303);
    const again = await b.page(link);
    expect(again.status).toBe(404);
    expect(again.text).toContain('Ce lien n’est pas valable');
    expect(again.text).not.toContain('reset_invalid');
  });

  it('when the link is older than an hour, then it no longer works', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(t.app);
    await b.page('/mot-de-passe-oublie');
    await b.post('/mot-de-passe-oublie', { email: user.email });
    const link = await linkOf(user.email);
    t.clock.set(new Date(t.clock.now().getTime() + 61 * 60_000));
    expect((await b.page(link)).status).toBe(404);
  });

  it('when one address asks too often, then it is refused with 429, whatever the account', async () => {
    const b = await browser(t.app);
    await b.page('/mot-de-passe-oublie');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await b.post('/mot-de-passe-oublie', { email: `inconnu${i}@test.qualimetre.fr` })).status);
    expect(statuses).toContain(429);
  });
});
