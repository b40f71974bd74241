/**
 * A public service's obligations in Chromium: the footer's mandatory links and the legal pages
 * on every layout (axe), the kiosk's « Informations » panel, and keyboard-only walks of the main
 * flows with the focus visible at every step, landmarks, headings order and language changes.
 */
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as kiosks from '../../server/kiosk/kiosk.service';
import * as mailboxes from '../../server/campaigns/mailbox.service';
import { mailboxSchema } from '../../server/campaigns/mailbox.schemas';
import * as links from '../../server/surveys/public-links.service';
import { responses } from '../../server/storage/schema';
import type { TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, logIn, screenshot, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createService, createSite, createUser } from '../helpers/factories';
import type { RunningServer } from '../helpers/server';
import { waitFor } from '../helpers/wait';
import { structure, tabTo, type Focus } from '../helpers/keyboard';

// A keyboard walk is one protocol round trip per key and per check: on a loaded 2-core machine
// a long form takes more than the default 30 s.
jest.setTimeout(120_000);

let app: BrowserApp;
let t: TestContext;
let server: RunningServer;
let browser: Browser;
let org: { id: string; code: string; name: string };
let siteId: string;

beforeAll(async () => {
  ({ t, server, browser } = app = await startBrowserApp());
  org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  siteId = (await createSite(t.deps, org.id, 'Accueil général')).id;
});
afterAll(() => app?.close());

const footerTexts = (page: Page) => page.locator('.fr-footer__bottom-link').allTextContents();

describe('footer and legal pages', () => {
  it('when the legal pages are opened, then each has the footer’s mandatory links, a sound structure and passes axe', async () => {
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    const errors = collectErrors(page);
    for (const path of [`/accessibilite/${org.code}`, `/mentions-legales/${org.code}`, `/donnees-personnelles/${org.code}`]) {
      await page.goto(`${server.url}${path}`);
      expect((await footerTexts(page)).slice(0, 3)).toEqual(['Accessibilité : non conforme', 'Mentions légales', 'Données personnelles']);
      expect(await structure(page)).toEqual({ banner: 1, main: 1, contentinfo: 1, h1: 1, first: 1, skips: [] });
      expect(await axeViolations(page)).toEqual([]);
    }
    await screenshot(page, 'compliance-donnees-personnelles');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when a visitor opens a public link, then its footer carries the three links of the organisation and the page passes axe', async () => {
    const link = await links.createLink(t.deps, org.id, { surveyId: 'satisfaction-accueil', siteId });
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/avis/${link.slug}`);
    await page.waitForSelector('html[data-ready=true]');
    expect(await page.locator('.qc-footer a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual([
      [`/accessibilite/${org.code}`, 'Accessibilité : non conforme'], [`/mentions-legales/${org.code}`, 'Mentions légales'], [`/donnees-personnelles/${org.code}`, 'Données personnelles'],
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'compliance-public-link');
    await context.close();
  });
});

describe('keyboard-only walks', () => {
  it('when a referent logs in with the keyboard only, then the skip link comes first, the focus is visible at every step and the landing page is sound', async () => {
    const user = await createUser(t.deps, org.id, 'referent');
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/connexion`);
    expect(await structure(page)).toMatchObject({ banner: 1, main: 1, contentinfo: 1, h1: 1, first: 1, skips: [] });
    const first = await tabTo(page, () => true);
    expect(first[0].text).toBe('Contenu');
    await tabTo(page, (f) => f.id === 'f-email');
    await page.keyboard.type(user.email);
    await tabTo(page, (f) => f.id === 'f-password');
    await page.keyboard.type(user.password);
    await tabTo(page, (f) => f.tag === 'BUTTON' && /Se connecter/.test(f.text));
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/`);
    expect(await structure(page)).toMatchObject({ banner: 1, main: 1, contentinfo: 1, h1: 1, first: 1, skips: [] });
    // The footer's links are reachable by keyboard too.
    await tabTo(page, (f) => f.text.startsWith('Accessibilité :'), 80);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/accessibilite/${org.code}`);
    await context.close();
  });

  it('when a visitor answers on a kiosk with the keyboard only, then the answer is stored, and « Informations » opens the legal texts full screen', async () => {
    const { kiosk, token } = await kiosks.createKiosk(t.deps, org.id, { name: 'Hall', siteId, surveyId: 'satisfaction-accueil', locales: [], inactivitySeconds: 60 });
    const context = await isolatedContext(browser, server.url, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.url}/kiosque/${token}`);
    await page.waitForSelector('html[data-ready=true]');
    await tabTo(page, (f) => f.text.includes('Très bien'));
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.id === 'qk-finish');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#qk-thanks:not([hidden])');
    await waitFor('the answer stored', async () => (await t.deps.db.select().from(responses).where(eq(responses.kioskId, kiosk.id))).length === 1);

    await page.goto(`${server.url}/kiosque/${token}`);
    await page.waitForSelector('html[data-ready=true]');
    await tabTo(page, (f) => f.tag === 'SUMMARY');
    await page.keyboard.press('Enter');
    const panel = page.locator('.qc-info__panel');
    await panel.waitFor({ state: 'visible' });
    const box = (await page.locator('details.qc-info').boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(1280 - 1);
    expect(box.height).toBeGreaterThanOrEqual(800 - 1);
    expect(await panel.textContent()).toContain('Accessibilité : non conforme');
    expect(await panel.textContent()).toContain('Enquêtes de satisfaction');
    expect(await page.locator('a[href]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'compliance-kiosk-informations');
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when a foreign visitor changes the kiosk’s language, then each language button carries its own lang, the page’s lang follows, and the legal texts stay marked French', async () => {
    const { token } = await kiosks.createKiosk(t.deps, org.id, { name: 'Étrangers', siteId, surveyId: 'satisfaction-etrangers', locales: ['fr', 'en', 'ar'], inactivitySeconds: 60 });
    const context = await isolatedContext(browser, server.url, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/kiosque/${token}`);
    await page.waitForSelector('html[data-ready=true]');
    const buttons = await page.locator('.qk-lang').evaluateAll((bs) => bs.map((b) => [b.getAttribute('data-locale'), b.getAttribute('lang')]));
    expect(buttons.length).toBe(3);
    for (const [locale, lang] of buttons) expect(lang).toBe(locale);
    const reached = await tabTo(page, (f) => f.lang === 'en');
    expect(reached.at(-1)!.tag).toBe('BUTTON');
    await page.keyboard.press('Enter');
    await waitFor('the page in English', async () => (await page.getAttribute('html', 'lang')) === 'en');
    expect(await page.getAttribute('details.qc-info', 'lang')).toBe('fr');
    await context.close();
  });

  it('when a referent creates a mystery-mail campaign with the keyboard only, then every field is reached in order with a visible focus and the campaign is created', async () => {
    t.deps.encryptionKey = crypto.randomBytes(32);
    await createService(t.deps, org.id, 'Bureau du séjour');
    await mailboxes.createMailbox(t.deps, org.id, mailboxSchema.parse({
      displayName: 'Camille Martin', address: 'camille.martin74@orange.example',
      smtpHost: 'smtp.orange.example', smtpPort: '465', smtpSecurity: 'tls', smtpUser: 'camille', smtpPassword: 'secret-smtp',
      imapHost: 'imap.orange.example', imapPort: '993', imapTls: 'on', imapUser: 'camille', imapPassword: 'secret-imap',
    }));
    const user = await createUser(t.deps, org.id, 'referent');
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await logIn(page, server.url, user);
    await page.goto(`${server.url}/campagnes-courriel/nouvelle`);
    expect(await structure(page)).toMatchObject({ banner: 1, main: 1, contentinfo: 1, h1: 1, first: 1, skips: [] });
    const order: string[] = [];
    const step = async (goal: (f: Focus) => boolean) => order.push(...(await tabTo(page, goal, 80)).map((f) => f.name ?? f.id).filter(Boolean));
    await step((f) => f.name === 'name');
    await page.keyboard.type('Campagne clavier');
    await step((f) => f.name === 'mailboxId');
    await page.keyboard.press('ArrowDown');
    // Headless Chromium's date fields take month, day, year (its UI locale is en-US).
    await step((f) => f.name === 'periodStart');
    await page.keyboard.type('06012027');
    await step((f) => f.name === 'periodEnd');
    await page.keyboard.type('06302027');
    expect([await page.inputValue('#f-periodStart'), await page.inputValue('#f-periodEnd')]).toEqual(['2027-06-01', '2027-06-30']);
    await step((f) => f.name === 'targets');
    await page.keyboard.press('Space');
    await step((f) => f.tag === 'BUTTON' && f.text === 'Créer la campagne');
    // Fields come in reading order: name, mode, mailbox, period, targets, …, settings.
    expect(order.indexOf('name')).toBeLessThan(order.indexOf('mode'));
    expect(order.indexOf('mailboxId')).toBeLessThan(order.indexOf('periodStart'));
    expect(order.indexOf('periodEnd')).toBeLessThan(order.indexOf('targets'));
    expect(order.indexOf('targets')).toBeLessThan(order.indexOf('retentionDays'));
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.locator('.fr-error-text').allTextContents()).toEqual([]);
    await page.waitForURL(/\/campagnes-courriel\/[0-9a-f-]{36}$/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Campagne clavier');
    await context.close();
  });

  it('when a referent publishes the accessibility statement with the keyboard only, then every field is reached with a visible focus and the new version is public', async () => {
    const user = await createUser(t.deps, org.id, 'referent');
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await logIn(page, server.url, user);
    await page.goto(`${server.url}/conformite`);
    expect(await structure(page)).toMatchObject({ banner: 1, main: 1, contentinfo: 1, h1: 1, first: 1, skips: [] });
    await tabTo(page, (f) => f.name === 'status', 80);
    // « Partiellement conforme »: the select's next option, by arrow.
    await page.keyboard.press('ArrowDown');
    expect(await page.inputValue('#f-status')).toBe('partiel');
    await tabTo(page, (f) => f.name === 'rate');
    await page.keyboard.type('64');
    await tabTo(page, (f) => f.name === 'auditDate');
    // Headless Chromium's date fields take month, day, year (its UI locale is en-US).
    await page.keyboard.type('10012026');
    await tabTo(page, (f) => f.name === 'auditor');
    await page.keyboard.type('Cabinet Clavier');
    await tabTo(page, (f) => f.name === 'pagesAudited');
    await page.keyboard.type('Borne');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Connexion');
    await tabTo(page, (f) => f.name === 'nonAccessible');
    await page.keyboard.type('Graphiques des bilans');
    await tabTo(page, (f) => f.name === 'contact');
    await page.keyboard.type('accessibilite@pref.test');
    await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Publier une nouvelle version');
    await Promise.all([page.waitForURL(`${server.url}/conformite`), page.keyboard.press('Enter')]);
    await expect(page.locator('.fr-alert--success').textContent()).resolves.toContain('La déclaration d’accessibilité est publiée');
    await page.goto(`${server.url}/accessibilite/${org.code}`);
    const text = await page.locator('main').textContent();
    expect(text).toContain('partiellement conforme');
    expect(text).toContain('64 %');
    expect(text).toContain('Cabinet Clavier');
    await context.close();
  });

  it('when a referent downloads the register as PDF and a person’s data as PDF, then both are PDFs holding the texts', async () => {
    const user = await createUser(t.deps, org.id, 'referent');
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await logIn(page, server.url, user);
    const text = (body: Buffer) => {
      const file = path.join(os.tmpdir(), `qm-compliance-${crypto.randomUUID()}.pdf`);
      fs.writeFileSync(file, body);
      try {
        return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      } finally {
        fs.rmSync(file, { force: true });
      }
    };
    const register = await page.request.get(`${server.url}/conformite/registre.pdf`);
    expect(register.status()).toBe(200);
    const registerText = text(await register.body());
    expect(registerText).toContain('Registre des activités de traitement');
    expect(registerText).toContain('Enquêtes mystères par courriel');
    const person = await page.request.get(`${server.url}/conformite/droits/export.pdf?email=${encodeURIComponent(user.email)}`);
    expect(person.status()).toBe(200);
    expect(text(await person.body())).toContain(user.email);
    await context.close();
  });
});
