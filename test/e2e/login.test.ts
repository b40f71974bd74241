/**
 * Browser smoke test in Chromium: the login page renders with the DSFR, a referent logs in
 * and sees their organisation; axe-core finds no serious or critical violation.
 */
import type { Browser } from 'playwright-core';
import type { TestContext } from '../helpers/app';
import { axeViolations, isolatedContext, screenshot, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createSite, createUser } from '../helpers/factories';
import type { RunningServer } from '../helpers/server';

let app: BrowserApp;
let t: TestContext;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  ({ t, server, browser } = app = await startBrowserApp());
});
afterAll(() => app?.close());

describe('when a referent opens Qualimètre in a browser', () => {
  it('then the login page renders in French with the DSFR and passes axe', async () => {
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}/connexion`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect(page.locator('h1').textContent()).resolves.toContain('Connexion');
    // DSFR styles applied: the header uses the DSFR's font, Marianne.
    const font = await page.locator('body').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(font).toContain('Marianne');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'login');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('then after logging in they see their organisation, and the page passes axe', async () => {
    const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
    await createSite(t.deps, org.id, 'Accueil général');
    const user = await createUser(t.deps, org.id, 'referent');
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(page.url()).toContain('/connexion');
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', user.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/`);
    await expect(page.locator('h1').textContent()).resolves.toContain(org.name);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${server.url}/organisation/sites`);
    await expect(page.locator('table').textContent()).resolves.toContain('Accueil général');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'home-referent');
    await context.close();
  });
});
