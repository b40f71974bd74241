/**
 * Headless Debian Chromium driven by playwright-core. Every request that does not go to the
 * test server is blocked, so a page cannot silently depend on the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testEnv } from '../../server/config';
import { createTestContext, type TestContext } from './app';
import { listen, type RunningServer } from './server';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: testEnv().chromiumPath, args: CHROMIUM_ARGS, headless: true });
}

/** A new context whose pages may only reach `baseUrl`. */
export async function isolatedContext(browser: Browser, baseUrl: string, opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', ...opts });
  await context.route('**/*', (route) => (route.request().url().startsWith(baseUrl) ? route.continue() : route.abort()));
  return context;
}

/**
 * The page has settled: every animation and transition finished, fonts loaded, two frames
 * painted. Wait for this (not for a fixed delay) before axe measures contrast or a screenshot.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' && !a.pending));
  await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));
}

/** Run axe-core in the page; returns the serious and critical violations. */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; nodes: string[] }[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(source);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const axe = (window as any).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return (result as { id: string; impact: string | null; help: string; nodes: string[] }[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.resolve(testEnv().artifactsDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A test app served on a loopback port, and a Chromium to open it (the usual e2e set-up). */
export interface BrowserApp {
  t: TestContext;
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startBrowserApp(): Promise<BrowserApp> {
  const t = await createTestContext();
  const server = await listen(t.app);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await server.close();
    await t.close();
    throw err;
  }
  return {
    t, server, browser,
    close: async () => {
      await browser.close();
      await server.close();
      await t.close();
    },
  };
}

/** The page's script errors and console errors, as they happen. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

/** Logs in through the login form; resolves once the browser has landed on `landing`. */
export async function logIn(page: Page, baseUrl: string, user: { email: string; password: string }, landing = '/'): Promise<void> {
  await page.goto(`${baseUrl}/connexion`);
  await page.fill('#f-email', user.email);
  await page.fill('#f-password', user.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${baseUrl}${landing}`);
}
