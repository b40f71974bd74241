/**
 * The review of real-mail sampling in Chromium at 1024 px, against a real Dovecot: the run
 * page of a sampled week (a doubtful message linked to the mailbox), the message opened live
 * (sender, subject, text, the candidate reply), the referent's decision, and the run page
 * saying who reviewed it; axe-core finds no serious or critical violation. Screenshots are
 * kept as test artefacts.
 */
import crypto from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, launchBrowser, logIn, screenshot, settled } from '../helpers/browser';
import { destroyDovecot, startDovecot, type Dovecot } from '../helpers/dovecot';
import { createOrg, createUser } from '../helpers/factories';
import { buildMessage, deliver, messageId } from '../helpers/mail-services';
import { listen, type RunningServer } from '../helpers/server';
import * as mailboxService from '../../server/campaigns/mailbox.service';
import { runSampling } from '../../server/sampling/sampling.service';

const SERVICE = { user: 'pref-info@haute-savoie.gouv.fr', password: 'service-secret-1' };
const paris = (s: string) => new Date(`${s.replace(' ', 'T')}:00+02:00`);
const service = { name: 'Préfecture de la Haute-Savoie', address: SERVICE.user };

let t: TestContext;
let dovecot: Dovecot;
let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[];
let runId: string;
let referentName: string;

beforeAll(async () => {
  [t, dovecot] = await Promise.all([createTestContext({ config: { SESSION_TTL_HOURS: '100000' } }), startDovecot({ users: [SERVICE] })]);
  t.clock.set('2019-08-05T08:00:00Z');
  t.deps.encryptionKey = crypto.randomBytes(32);
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  const mailbox = await mailboxService.createMailbox(t.deps, org.id, {
    displayName: 'Accueil général', address: SERVICE.user, smtpHost: '127.0.0.1', smtpPort: 2525, smtpSecurity: 'none', smtpUser: '', smtpPassword: undefined,
    imapHost: dovecot.host, imapPort: dovecot.port, imapTls: false, imapUser: SERVICE.user, imapPassword: SERVICE.password,
    inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: true, plusAddressing: false,
  });
  const a = messageId('courriel.example');
  const jeanne = { name: 'Jeanne Usager', address: 'jeanne@courriel.example' };
  await Promise.all([
    deliver(dovecot, SERVICE, 'INBOX', [
      buildMessage({ from: { address: 'paul@courriel.example' }, to: SERVICE.user, subject: 'Titre de séjour', date: paris('2019-07-08 10:00'), messageId: a, text: 'Question.' }),
      buildMessage({ from: jeanne, to: SERVICE.user, subject: 'Carte grise perdue', date: paris('2019-07-09 11:00'), text: 'Bonjour,\n\nJ’ai perdu ma carte grise : quelle démarche faire ?\n\nJeanne' }),
    ]),
    deliver(dovecot, SERVICE, 'Sent', [
      buildMessage({ from: service, to: { address: 'paul@courriel.example' }, subject: 'RE: Titre de séjour', date: paris('2019-07-09 10:00'), inReplyTo: a, text: 'Réponse.' }),
      buildMessage({ from: service, to: jeanne, subject: 'Votre dossier', date: paris('2019-07-10 16:00'), text: 'Réponse.' }),
    ]),
  ]);
  const user = await createUser(t.deps, org.id, 'referent');
  referentName = user.displayName;
  runId = (await runSampling(t.deps, org.id, { mailboxId: mailbox.id, month: '2019-07-01', rule: { kind: 'week', monday: '2019-07-08' }, userId: user.id })).runId;
  server = await listen(t.app);
  browser = await launchBrowser();
  const context = await isolatedContext(browser, server.url, { viewport: { width: 1024, height: 900 } });
  page = await context.newPage();
  errors = collectErrors(page);
  await logIn(page, server.url, user);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await Promise.all([t?.close(), destroyDovecot(dovecot)]);
});

describe('when the referent reviews the sampled week of 8 July 2019', () => {
  it('then the run page lists both messages without content, links the doubtful one, and passes axe', async () => {
    await page.goto(`${server.url}/indicateurs/echantillonnage`);
    await page.click('table a:has-text("juillet 2019")');
    await page.waitForURL(new RegExp(`/indicateurs/echantillonnage/${runId}$`));
    await expect(page.locator('h1').textContent()).resolves.toBe('Échantillon de juillet 2019 — Accueil général');
    await expect(page.locator('body').textContent()).resolves.toContain('la semaine du 8 au 14 juillet 2019, choisie par le référent');
    await expect(page.locator('table tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('table a:has-text("Ouvrir depuis la boîte")').count()).resolves.toBe(1);
    await expect(page.locator('body').textContent()).resolves.not.toContain('courriel.example');
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sampling-run');
  });

  it('then the doubtful message opens live with its sender, subject, text and the candidate reply, and passes axe', async () => {
    await page.click('table a:has-text("Ouvrir depuis la boîte")');
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await expect(page.locator('dl').textContent()).resolves.toContain('jeanne@courriel.example');
    await expect(page.locator('dl').textContent()).resolves.toContain('Carte grise perdue');
    await expect(page.locator('pre').textContent()).resolves.toContain('J’ai perdu ma carte grise');
    await expect(page.locator('label[for^="reponse-"]').textContent()).resolves.toContain('« Votre dossier »');
    // Wider than the viewport would mean a horizontal scroll at 1024 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sampling-message-live');
  });

  it('then picking the reply and « Réponse trouvée » records the decision, shown on the run page', async () => {
    await page.click('label[for^="reponse-"]');
    await page.click('button:has-text("Réponse trouvée")');
    await page.waitForURL(new RegExp(`/indicateurs/echantillonnage/${runId}$`));
    await expect(page.locator('body').textContent()).resolves.toContain(`Revu par ${referentName} le `);
    await expect(page.locator('body').textContent()).resolves.toContain('2 / 2 (100 %)');
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sampling-run-reviewed');
    expect(errors).toEqual([]);
  });
});
