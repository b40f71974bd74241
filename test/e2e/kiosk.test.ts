/**
 * Kiosk tablets in Chromium: a visitor answers in French and in Arabic; the kiosk keeps
 * working with the network down (answers queued in IndexedDB, page served by the service
 * worker after a reload) and loses nothing when the server restarts with a new survey
 * version; when the server dies while a kiosk is sending, nothing is lost and nothing doubled.
 *
 * Note: Playwright's setOffline() does not apply to service-worker fetches
 * (microsoft/playwright#2311), so "the network is down" also stops the HTTP server here.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../server/app';
import * as kiosks from '../../server/kiosk/kiosk.service';
import { loadSurveyCatalogue } from '../../server/surveys/catalogue';
import { SURVEYS_DIR, getSurvey } from '../../server/surveys/surveys.service';
import { kiosks as kiosksTable, responses } from '../../server/storage/schema';
import { createTestContext, type TestContext } from '../helpers/app';
import { axeViolations, isolatedContext, launchBrowser, screenshot, settled } from '../helpers/browser';
import { createOrg, createSite } from '../helpers/factories';
import { waitFor as until } from '../helpers/wait';

/** An HTTP server that can be stopped and started again on the same port (same origin for the tablet). */
class RestartableServer {
  port = 0;
  /** The next N submissions are processed, then their connection is cut before the reply. */
  dropReplies = 0;
  /** Submissions answer 503 (the server is up but cannot take answers yet). */
  refuseSubmissions = false;
  private server?: http.Server;
  constructor(public app: Express) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start(app?: Express) {
    if (app) this.app = app;
    this.server = http.createServer((req, res) => {
      const submission = req.method === 'POST' && /\/reponses$/.test(req.url ?? '');
      if (submission && this.refuseSubmissions) {
        res.writeHead(503).end();
        return;
      }
      if (submission && this.dropReplies > 0) {
        this.dropReplies--;
        // Let the app store the answer set, then die before the tablet hears back.
        res.writeHead = (() => res) as typeof res.writeHead;
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.end;
      }
      this.app(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async stop() {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

// Chromium on a shared 2-core machine: full walks can take longer than jest's default.
jest.setTimeout(90_000);

let t: TestContext;
let server: RestartableServer;
let browser: Browser;
let orgId: string;
let siteId: string;
const pageErrors: string[] = [];

const kioskRows = (kioskId: string) => t.deps.db.select().from(responses).where(eq(responses.kioskId, kioskId));

async function newKiosk(surveyId: string, locales: string[] = []) {
  return kiosks.createKiosk(t.deps, orgId, { name: 'Hall', siteId, surveyId, locales, inactivitySeconds: 60 });
}

async function openKiosk(context: BrowserContext, token: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/kiosque/${token}`);
  await page.waitForSelector('html[data-ready=true]');
  return page;
}

/** One visitor: a smiley, then « Terminer »; back to the start screen with a tap on the thank-you. */
async function quickAnswer(page: Page, value: 'tres_bien' | 'moyen' | 'pas_bien') {
  await page.click(`.qk-smiley[data-value=${value}]`);
  await page.click('#qk-finish');
  await page.waitForSelector('#qk-thanks:not([hidden])');
  await page.waitForTimeout(1100);
  await page.click('#qk-thanks');
  await page.waitForSelector('#qk-start:not([hidden])');
}

const queued = (page: Page) => page.getAttribute('html', 'data-queued');

beforeAll(async () => {
  t = await createTestContext();
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  orgId = org.id;
  siteId = (await createSite(t.deps, org.id, 'Accueil général')).id;
  server = new RestartableServer(t.app);
  await server.start();
  browser = await launchBrowser();
});
afterEach(() => {
  server.refuseSubmissions = false;
  server.dropReplies = 0;
  // A script error on a kiosk page fails the test that caused it.
  expect(pageErrors.splice(0)).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await t?.close();
});

describe('when a visitor answers on a kiosk in French', () => {
  it('then the whole survey is stored once, even after a double tap on « Valider », and the next visitor starts afresh', async () => {
    const { kiosk, token } = await newKiosk('satisfaction-accueil');
    const context = await isolatedContext(browser, server.url, { viewport: { width: 1280, height: 800 } });
    const page = await openKiosk(context, token);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('#qk-question').textContent()).toContain('comment s\'est passée votre visite');
    expect(await page.locator('.qk-smiley__label').allTextContents()).toEqual(['Très bien', 'Moyen', 'Pas bien']);
    expect(await page.locator('a[href]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.click('.qk-smiley[data-value=tres_bien]');
    expect(await page.locator('#qk-finish').textContent()).toBe('Terminer');
    await page.click('#qk-continue');
    const courtesy = page.locator('.sd-question', { hasText: 'Courtoisie des agents' });
    await courtesy.getByText('Très satisfait', { exact: true }).click();
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.locator('#qk-progress-text').textContent()).toBe('2 / 5');
    for (let i = 0; i < 3; i++) await page.locator('#qk-forward').click();
    expect(await page.locator('#qk-forward').textContent()).toBe('Valider');
    await page.locator('textarea').fill('Accueil très aimable.');
    await screenshot(page, 'kiosk-fr-last-page');
    await page.locator('#qk-forward').dblclick();
    await page.waitForSelector('#qk-thanks:not([hidden])');
    expect(await page.locator('#qk-thanks-title').textContent()).toBe('Merci pour votre avis\u202f!');

    const [row] = await until('the answer set', async () => (await kioskRows(kiosk.id)).length === 1 && kioskRows(kiosk.id));
    expect(row).toMatchObject({
      locale: 'fr', orgId, siteId, surveyVersion: getSurvey(t.deps, 'satisfaction-accueil')!.version,
      answers: { avis_global: 'tres_bien', courtoisie: 'tres_satisfait', commentaire: 'Accueil très aimable.' },
    });
    await page.waitForTimeout(1100);
    await page.click('#qk-thanks');
    expect(await page.locator('.qk-smiley[aria-pressed=true]').count()).toBe(0);
    await page.click('.qk-smiley[data-value=moyen]');
    await page.click('#qk-continue');
    expect(await page.locator('input:checked').count()).toBe(0);
    expect(await page.locator('textarea').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await kioskRows(kiosk.id)).toHaveLength(1);
    await context.close();
  });

  it('then after a minute without a tap a warning shows, then the kiosk resets (closing « Informations ») and the one-tap answer still counts; a thank-you goes away by itself', async () => {
    const { kiosk, token } = await newKiosk('satisfaction-accueil');
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/kiosque/${token}`);

    await page.waitForSelector('html[data-ready=true]');
    await page.click('.qk-smiley[data-value=pas_bien]');
    await page.clock.fastForward('01:02');
    await page.waitForSelector('#qk-idle:not([hidden])');
    expect(await page.locator('#qk-idle-title').textContent()).toBe('Êtes-vous toujours là\u202f?');
    // The warning counts down second by second: run every timer, not just jump.
    await page.clock.runFor('00:12');
    await page.waitForSelector('#qk-idle', { state: 'hidden' });
    expect(await page.locator('.qk-smiley[aria-pressed=true]').count()).toBe(0);
    const rows = await until('the abandoned answer', async () => (await kioskRows(kiosk.id)).length === 1 && kioskRows(kiosk.id));
    expect(rows[0].answers).toEqual({ avis_global: 'pas_bien' });
    // After a completed visit, the thank-you goes away by itself after a few seconds.
    await page.click('.qk-smiley[data-value=moyen]');
    await page.click('#qk-finish');
    await page.waitForSelector('#qk-thanks:not([hidden])');
    await page.clock.runFor('00:07');
    await page.waitForSelector('#qk-start:not([hidden])');
    await until('the second answer', async () => (await kioskRows(kiosk.id)).length === 2);
    // A visitor who opened « Informations » and walked away: the reset closes the legal texts.
    await page.click('summary.qc-info__button');
    await page.locator('.qc-info__panel').waitFor({ state: 'visible' });
    await page.clock.fastForward('01:02');
    await page.waitForSelector('#qk-idle:not([hidden])');
    await page.clock.runFor('00:12');
    await page.waitForSelector('#qk-idle', { state: 'hidden' });
    await page.locator('.qc-info__panel').waitFor({ state: 'hidden' });
    expect(await page.locator('details.qc-info').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.locator('#qk-start').isVisible()).toBe(true);
    await context.close();
  });
});

describe('when a visitor answers on a kiosk in Arabic', () => {
  it('then the page turns right-to-left, speaks Arabic, and stores the answer with locale ar', async () => {
    const { kiosk, token } = await newKiosk('satisfaction-etrangers', ['fr', 'en', 'es', 'ar']);
    const context = await isolatedContext(browser, server.url, { viewport: { width: 1024, height: 768 } });
    const page = await openKiosk(context, token);
    expect(await page.locator('.qk-lang').allTextContents()).toEqual(['Français', 'English', 'Español', 'العربية']);
    await page.click('button[data-locale=ar]');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.locator('#qk-question').textContent()).toBe('بشكل عام، كيف كانت زيارتك اليوم؟');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('.qk-smiley[data-value=moyen]');
    await page.click('#qk-continue');
    await page.locator('.sd-question', { hasText: 'هل كان لديك موعد' }).getByText('نعم', { exact: true }).click();
    expect(await page.locator('#qk-forward').textContent()).toBe('التالي');
    // The answer reveals the next question: let the page settle (animations finished) before axe measures contrast.
    await page.locator('.sd-question').nth(1).waitFor();
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'kiosk-ar');
    for (let i = 0; i < 2; i++) await page.locator('#qk-forward').click();
    expect(await page.locator('#qk-forward').textContent()).toBe('إرسال');
    await page.locator('#qk-forward').click();
    await page.waitForSelector('#qk-thanks:not([hidden])');
    expect(await page.locator('#qk-thanks-title').textContent()).toBe('شكرًا على رأيك!');
    const [row] = await until('the answer set', async () => (await kioskRows(kiosk.id)).length === 1 && kioskRows(kiosk.id));
    expect(row.locale).toBe('ar');
    expect(row.answers).toEqual({ avis_global: 'moyen', a_rendez_vous: 'oui' });
    // Back to the start: French again, left to right.
    await page.waitForTimeout(1100);
    await page.click('#qk-thanks');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    await context.close();
  });
});

describe('when the server refuses one answer set for good and keeps failing on another', () => {
  it('then neither blocks the answers given after them: the refused one is parked and shown in the kiosk list, the failing one retried behind the rest until it goes through', async () => {
    const { kiosk, token } = await newKiosk('satisfaction-accueil');
    const context = await isolatedContext(browser, server.url, { serviceWorkers: 'block' });
    const page = await openKiosk(context, token);
    // Between the tablet and the server: « pas bien » meets a server error, « moyen » a refusal.
    let failing = true;
    const attempts = { pas_bien: 0, moyen: 0 };
    await page.route('**/reponses', async (route) => {
      const value = (route.request().postDataJSON() as { answers: { avis_global: string } }).answers.avis_global;
      if (value === 'pas_bien' && failing) {
        attempts.pas_bien++;
        return route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal"}}' });
      }
      if (value === 'moyen') {
        attempts.moyen++;
        return route.fulfill({ status: 422, contentType: 'application/json', body: '{"error":{"code":"invalid_answers"}}' });
      }
      return route.continue();
    });
    await quickAnswer(page, 'pas_bien');
    await quickAnswer(page, 'moyen');
    await quickAnswer(page, 'tres_bien');
    await quickAnswer(page, 'tres_bien');
    const stored = await until('the later answers', async () => {
      const r = await kioskRows(kiosk.id);
      return r.length === 2 && r;
    });
    expect(stored.map((r) => (r.answers as { avis_global: string }).avis_global)).toEqual(['tres_bien', 'tres_bien']);
    await until('the refused answer set to be parked and reported', async () => {
      const [k] = await t.deps.db.select().from(kiosksTable).where(eq(kiosksTable.id, kiosk.id));
      return (await page.getAttribute('html', 'data-parked')) === '1' && k.parkedReported === 1;
    });
    expect(attempts.moyen).toBe(1);
    expect(await queued(page)).toBe('1');

    // The server error goes away: the held answer set goes through on its next retry.
    failing = false;
    // Its backoff has grown meanwhile (1 s, 2 s, 4 s… with jitter): give it time.
    const rows = await until('the retried answer set', async () => {
      const r = await kioskRows(kiosk.id);
      return r.length === 3 && r;
    }, 60_000);
    expect(rows.map((r) => (r.answers as { avis_global: string }).avis_global).sort()).toEqual(['pas_bien', 'tres_bien', 'tres_bien']);
    expect(attempts.pas_bien).toBeGreaterThanOrEqual(1);
    expect(attempts.moyen).toBe(1);
    await until('the queue to drain', async () => (await queued(page)) === '0');
    await context.close();
  });
});

describe('when the network goes down and the server comes back with a new survey version', () => {
  let context: BrowserContext;
  let page: Page;
  let kioskId: string;
  let v1: string;
  const given: string[] = [];

  beforeAll(async () => {
    const { kiosk, token } = await newKiosk('satisfaction-accueil');
    kioskId = kiosk.id;
    v1 = getSurvey(t.deps, 'satisfaction-accueil')!.version;
    context = await isolatedContext(browser, server.url);
    page = await openKiosk(context, token);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  });
  afterAll(() => context.close());

  it('then answers given offline are queued, survive a reload and a service-worker update, and reach the server once each', async () => {
    await quickAnswer(page, 'tres_bien');
    given.push('tres_bien');
    await until('the online answer', async () => (await kioskRows(kioskId)).length === 1);

    await context.setOffline(true);
    await server.stop();
    for (const v of ['moyen', 'pas_bien', 'tres_bien'] as const) {
      await quickAnswer(page, v);
      given.push(v);
    }
    await until('3 answers queued', async () => (await queued(page)) === '3');
    // Reload with no network: the service worker serves the page; the queue is still there.
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    expect(await page.locator('#qk-question').isVisible()).toBe(true);
    await until('3 answers queued after reload', async () => (await queued(page)) === '3');

    // The server returns with a new version of the survey (so a new page and a new worker),
    // but cannot take answers yet: the tablet updates while its answers are still queued.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-surveys-'));
    const json = JSON.parse(fs.readFileSync(path.join(SURVEYS_DIR, 'satisfaction-accueil.json'), 'utf8'));
    json.title.default = 'Votre avis sur l\'accueil de la préfecture (édition 2)';
    fs.writeFileSync(path.join(dir, 'satisfaction-accueil.json'), JSON.stringify(json, null, 2));
    const surveysV2 = loadSurveyCatalogue(dir);
    const v2 = surveysV2.get('satisfaction-accueil')!.version;
    expect(v2).not.toBe(v1);
    server.refuseSubmissions = true;
    await server.start(createApp({ ...t.deps, surveys: surveysV2 }));
    await context.setOffline(false);

    // The heartbeat tells the idle tablet that its page is out of date: it reloads itself.
    await page.waitForFunction((v) => JSON.parse(document.getElementById('qk-config')!.textContent!).survey.version === v, v2, { timeout: 15_000 });
    await page.waitForSelector('html[data-ready=true]');
    await until('the new worker to replace the old cache', () => page.evaluate(async () => {
      const keys = await caches.keys();
      const want = JSON.parse(document.getElementById('qk-config')!.textContent!).pageVersion;
      return keys.length === 1 && keys[0].endsWith(want);
    }), 20_000);
    await until('the queue to survive the update', async () => (await queued(page)) === '3');

    server.refuseSubmissions = false;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await until('the queue to drain', async () => (await queued(page)) === '0');
    await quickAnswer(page, 'moyen');
    given.push('moyen');
    const rows = await until('5 answer sets', async () => {
      const r = await kioskRows(kioskId);
      return r.length === 5 && r;
    });
    expect(rows.map((r) => (r.answers as { avis_global: string }).avis_global).sort()).toEqual([...given].sort());
    expect(rows.filter((r) => r.surveyVersion === v1)).toHaveLength(4);
    expect(rows.filter((r) => r.surveyVersion === v2)).toHaveLength(1);
  });

  it('then when the server dies while the kiosk is sending, nothing is lost and nothing is doubled', async () => {
    // Two answer sets are stored but their replies are lost: the tablet retries, the server answers 200.
    server.dropReplies = 2;
    await quickAnswer(page, 'pas_bien');
    await quickAnswer(page, 'pas_bien');
    given.push('pas_bien', 'pas_bien');
    // Then the server goes away with an answer in flight, and another answer is given meanwhile.
    await page.click('.qk-smiley[data-value=tres_bien]');
    await page.click('#qk-finish');
    await server.stop();
    await page.waitForTimeout(1100);
    await page.click('#qk-thanks');
    await quickAnswer(page, 'moyen');
    given.push('tres_bien', 'moyen');
    await page.waitForTimeout(500);
    await server.start();
    await until('the queue to drain after the restart', async () => (await queued(page)) === '0', 20_000);
    const rows = await kioskRows(kioskId);
    expect(rows).toHaveLength(given.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(given.length);
    expect(rows.map((r) => (r.answers as { avis_global: string }).avis_global).sort()).toEqual([...given].sort());
    expect(await t.deps.db.select().from(responses).where(and(eq(responses.kioskId, kioskId), eq(responses.orgId, orgId)))).toHaveLength(given.length);
  });
});
