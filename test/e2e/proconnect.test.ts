/**
 * ProConnect in Chromium, against the in-process OpenID Provider configured like ProConnect:
 * the DSFR button, login, unknown agent, deactivated user, forced ProConnect, logout of both
 * sessions, and a tampered state or nonce refused. Pages pass axe.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as authStore from '../../server/auth/auth.store';
import { setProConnectRequired } from '../../server/auth/proconnect.store';
import { createTestContext, type TestContext } from '../helpers/app';
import { axeViolations, collectErrors, launchBrowser, screenshot } from '../helpers/browser';
import { createOrg, createUser } from '../helpers/factories';
import { startProConnect, type FakeProConnect } from '../helpers/proconnect';

// Each test walks two origins and several pages: generous on a loaded 2-core machine.
jest.setTimeout(120_000);

let t: TestContext;
let op: FakeProConnect;
let browser: Browser;
let server: http.Server;
let base: string;

beforeAll(async () => {
  // The app's URL must be known before the provider (redirect URIs) and the app (PUBLIC_URL).
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  op = await startProConnect(base);
  t = await createTestContext({ config: op.env });
  server.on('request', t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t?.close();
  await op?.close();
});

/** A context whose pages may reach only the app and the provider. */
async function context(): Promise<BrowserContext> {
  const c = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const origin = new URL(op.issuer).origin;
  await c.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith(base) || url.startsWith(origin) ? route.continue() : route.abort();
  });
  return c;
}

/** From the login page: the ProConnect button, then the provider's login form. */
async function signInWithProConnect(page: Page, login: string) {
  await page.goto(`${base}/connexion`);
  await page.click('button.fr-connect--pro');
  await page.waitForURL((u) => u.href.startsWith(`${op.issuer}/interaction/`));
  await page.fill('#login', login);
  await page.click('button[type=submit]');
}

describe('ProConnect in the browser', () => {
  it('when a referent signs in with the DSFR ProConnect button, then they land on their home; logout ends both sessions', async () => {
    const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
    const user = await createUser(t.deps, org.id, 'referent');
    const agent = op.agent({ email: user.email });
    const c = await context();
    const page = await c.newPage();
    const errors = collectErrors(page);

    await page.goto(`${base}/connexion`);
    await expect(page.locator('.fr-connect-group .fr-connect__login').textContent()).resolves.toBe('S’identifier avec');
    await expect(page.locator('.fr-connect-group .fr-connect__brand').textContent()).resolves.toBe('ProConnect');
    // Drawn by the DSFR: the ProConnect logo comes from the DSFR stylesheet's ::before.
    const logo = await page.locator('button.fr-connect--pro').evaluate((el) => getComputedStyle(el, '::before').backgroundImage);
    expect(logo).toContain('data:image/svg+xml');
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'proconnect-login');

    await signInWithProConnect(page, agent.sub);
    await page.waitForURL(`${base}/`);
    await expect(page.locator('body').textContent()).resolves.toContain(org.name);

    const before = op.logouts;
    await page.click('button:has-text("Se déconnecter")');
    await page.waitForURL((u) => u.href.startsWith(`${base}/connexion`));
    await expect(page.locator('body').textContent()).resolves.toContain('Vous êtes déconnecté de Qualimètre et de ProConnect.');
    expect(op.logouts).toBe(before + 1);
    // Both sessions are over: a new login asks ProConnect for the identifier again.
    await page.goto(`${base}/organisation/sites`);
    await page.waitForURL((u) => u.pathname === '/connexion');
    await page.click('button.fr-connect--pro');
    await page.waitForURL((u) => u.href.startsWith(`${op.issuer}/interaction/`));
    await expect(page.locator('#login').count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    await c.close();
  });

  it('when an agent unknown to Qualimètre signs in, then a page explains whom to ask (axe-clean)', async () => {
    const c = await context();
    const page = await c.newPage();
    await signInWithProConnect(page, op.agent().sub);
    await page.waitForURL((u) => u.pathname === '/proconnect/retour');
    await expect(page.locator('h1').textContent()).resolves.toBe('Aucun compte Qualimètre pour cet agent');
    await expect(page.locator('main, body').first().textContent()).resolves.toContain('référent qualité');
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'proconnect-unknown-agent');
    // Still logged in at ProConnect: the page offers to end that session.
    await page.click('button:has-text("Se déconnecter de ProConnect")');
    await page.waitForURL((u) => u.pathname === '/connexion');
    await expect(page.locator('body').textContent()).resolves.toContain('Vous êtes déconnecté de Qualimètre et de ProConnect.');
    await c.close();
  });

  it('when a deactivated user signs in, then the refusal names the step', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    await authStore.updateUser(t.deps.db, org.id, user.id, { active: false });
    const c = await context();
    const page = await c.newPage();
    await signInWithProConnect(page, op.agent({ email: user.email }).sub);
    await page.waitForURL((u) => u.pathname === '/proconnect/retour');
    await expect(page.locator('.fr-alert').textContent()).resolves.toContain('Votre compte Qualimètre est désactivé (étape : vérification du compte)');
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'proconnect-deactivated');
    await c.close();
  });

  it('when the organisation requires ProConnect, then the password is refused with a clear message and the button gets in', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'referent');
    await setProConnectRequired(t.deps.db, org.id, true);
    const c = await context();
    const page = await c.newPage();
    await page.goto(`${base}/connexion`);
    await page.fill('#f-email', user.email);
    await page.fill('#f-password', user.password);
    await page.click('form[action="/connexion"] button[type=submit]');
    await expect(page.locator('.fr-alert').first().textContent()).resolves.toContain('Votre organisation exige la connexion avec ProConnect');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'proconnect-required');
    await page.click('button.fr-connect--pro');
    await page.waitForURL((u) => u.href.startsWith(`${op.issuer}/interaction/`));
    await page.fill('#login', op.agent({ email: user.email }).sub);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);
    await expect(page.locator('body').textContent()).resolves.toContain(org.name);
    await c.close();
  });

  /**
   * Rewrites one parameter of the authorisation request as it leaves for ProConnect (Playwright
   * cannot route redirects, so the form's POST is replayed and its redirect rewritten).
   */
  async function tamperAuthorization(page: Page, param: string, value: string) {
    await page.route((u) => u.href === `${base}/proconnect/connexion`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const loc = new URL(response.headers().location);
      loc.searchParams.set(param, value);
      await route.fulfill({ response, headers: { ...response.headers(), location: loc.href } });
    }, { times: 1 });
  }

  it('when the state is altered, then the login is refused naming the state step and no session opens', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const c = await context();
    const page = await c.newPage();
    await tamperAuthorization(page, 'state', 'forged-state-0123456789abcdefghijklmnopqrstu');
    await signInWithProConnect(page, op.agent({ email: user.email }).sub);
    await page.waitForURL((x) => x.pathname === '/proconnect/retour');
    await expect(page.locator('.fr-alert').textContent()).resolves.toContain('étape : vérification du paramètre state');
    await page.goto(`${base}/organisation/sites`);
    await page.waitForURL((x) => x.pathname === '/connexion');
    await c.close();
  });

  it('when the nonce is altered, then the ID token is refused', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const c = await context();
    const page = await c.newPage();
    await tamperAuthorization(page, 'nonce', 'forged-nonce-0123456789abcdefghijklmnopqrstu');
    await signInWithProConnect(page, op.agent({ email: user.email }).sub);
    await page.waitForURL((x) => x.pathname === '/proconnect/retour');
    await expect(page.locator('.fr-alert').textContent()).resolves.toContain('nonce');
    await expect(page.locator('code').textContent()).resolves.toBe('proconnect_nonce_mismatch');
    await c.close();
  });
});
