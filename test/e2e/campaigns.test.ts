/**
 * The mystery e-mail pages in Chromium, as a referent sees them: the mystery mailboxes (a form
 * sent with a mistake comes back with the reason and without the password typed), the list of
 * campaigns, the creation form, a campaign and its (still empty) follow-up. Each page renders
 * with the DSFR, without a script error, and with no serious or critical axe violation.
 * Sending and tracking themselves are tested against Dovecot in test/integration/campaigns.
 */
import crypto from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import * as campaigns from '../../server/campaigns/campaign.service';
import { campaignSchema } from '../../server/campaigns/campaign.schemas';
import * as mailboxes from '../../server/campaigns/mailbox.service';
import { mailboxSchema } from '../../server/campaigns/mailbox.schemas';
import type { TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, logIn, screenshot, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createService, createUser } from '../helpers/factories';
import type { RunningServer } from '../helpers/server';

let app: BrowserApp;
let t: TestContext;
let server: RunningServer;
let browser: Browser;
let page: Page;
let campaignId: string;
let errors: string[];

beforeAll(async () => {
  ({ t, server, browser } = app = await startBrowserApp());
  t.clock.set('2019-05-10T08:00:00Z');
  // Mailbox passwords are sealed with the instance's key (ENCRYPTION_KEY in production).
  t.deps.encryptionKey = crypto.randomBytes(32);
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  const service = await createService(t.deps, org.id, 'Bureau du séjour');
  const referent = await createUser(t.deps, org.id, 'referent');
  const mailbox = await mailboxes.createMailbox(t.deps, org.id, mailboxSchema.parse({
    displayName: 'Camille Martin', address: 'camille.martin74@orange.example',
    smtpHost: 'smtp.orange.example', smtpPort: '465', smtpSecurity: 'tls', smtpUser: 'camille.martin74', smtpPassword: 'secret-smtp',
    imapHost: 'imap.orange.example', imapPort: '993', imapTls: 'on', imapUser: 'camille.martin74', imapPassword: 'secret-imap',
  }));
  const campaign = await campaigns.createCampaign(t.deps, org.id, referent.id, campaignSchema.parse({
    name: 'Printemps 2019', mode: 'send', mailboxId: mailbox.id, periodStart: '2019-05-15', periodEnd: '2019-06-30',
    targets: [`${service.id}|sejour@example.test`], signatureChecklist: ['lastName', 'service', 'phone'], defaultQuestions: 'on',
  }));
  campaignId = campaign.id;

  const context = await isolatedContext(browser, server.url);
  page = await context.newPage();
  errors = collectErrors(page);
  await logIn(page, server.url, referent);
});
afterAll(() => app?.close());

async function open(path: string): Promise<string> {
  const res = await page.goto(`${server.url}${path}`);
  expect(res?.status()).toBe(200);
  return (await page.locator('h1').textContent()) ?? '';
}

describe('when a referent goes through the mystery e-mail pages', () => {
  it.each([
    ['/boites-mysteres', 'campaigns-mailboxes', 'Camille Martin'],
    ['/campagnes-courriel', 'campaigns-list', 'Printemps 2019'],
    ['/campagnes-courriel/nouvelle', 'campaigns-new', 'Bureau du séjour'],
  ])('then %s renders, lists what was set up and passes axe', async (path, shot, shown) => {
    await open(path);
    await expect(page.locator('main').textContent()).resolves.toContain(shown);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, shot);
    expect(errors).toEqual([]);
  });

  it('then a campaign and its follow-up render with its questions and no figures yet, and pass axe', async () => {
    await expect(open(`/campagnes-courriel/${campaignId}`)).resolves.toContain('Printemps 2019');
    // The default questions were added to the draft.
    await expect(page.locator('main').textContent()).resolves.toContain('Horaires d’ouverture');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'campaigns-show');
    await open(`/campagnes-courriel/${campaignId}/resultats`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'campaigns-results');
    expect(errors).toEqual([]);
  });

  it('then a mailbox form sent with a wrong address comes back with the reason, without the passwords typed', async () => {
    await open('/boites-mysteres');
    const form = page.locator('form', { has: page.locator('input[name=address]') }).first();
    await form.locator('input[name=displayName]').fill('Dominique Petit');
    await form.locator('input[name=address]').fill('pas-une-adresse');
    await form.locator('input[name=smtpPassword]').fill('mot-de-passe-tape');
    await form.locator('button[type=submit]').click();
    await page.waitForLoadState();
    await expect(page.locator('main').textContent()).resolves.toContain('Saisissez une adresse électronique valide.');
    expect(await page.content()).not.toContain('mot-de-passe-tape');
    expect(await axeViolations(page)).toEqual([]);
    // Chromium logs the form's 422 (a refused form comes back with that status) as a console error.
    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
  });
});
