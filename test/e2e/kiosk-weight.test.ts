/**
 * What a kiosk page costs the hall's Wi-Fi, counted on the wire at the server (every byte the
 * server writes to a socket, headers included: the page's requests AND its service worker's),
 * against the budgets: first visit ≤ 400 KB, reload ≤ 20 KB, nothing with the server down.
 * Byte counts are deterministic (unlike timings); the figures are printed for the README.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import * as kiosks from '../../server/kiosk/kiosk.service';
import { collectErrors, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createSite } from '../helpers/factories';
import { waitFor } from '../helpers/wait';

jest.setTimeout(120_000);

const KB = 1024;
const BUDGET = { firstVisit: 400 * KB, reload: 20 * KB };

/** An HTTP server over the test app that counts the bytes it sends and receives, and can stop and start on one port. */
class MeteredServer {
  port = 0;
  private server?: http.Server;
  private sockets = new Set<Socket>();
  private closedOut = 0;
  private closedIn = 0;
  private requests: string[] = [];
  constructor(private app: http.RequestListener) {}
  get url() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start() {
    this.server = http.createServer((req, res) => {
      this.requests.push(`${req.method} ${req.url}`);
      this.app(req, res);
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => {
        this.closedOut += s.bytesWritten;
        this.closedIn += s.bytesRead;
        this.sockets.delete(s);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  /** Bytes sent to the browser (responses, headers included) and received from it, so far; and the requests. */
  counters() {
    let out = this.closedOut;
    let inn = this.closedIn;
    for (const s of this.sockets) {
      out += s.bytesWritten;
      inn += s.bytesRead;
    }
    return { out, in: inn, requests: [...this.requests] };
  }
  async stop() {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

let b: BrowserApp;
let metered: MeteredServer;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  b = await startBrowserApp();
  metered = new MeteredServer(b.t.app);
  await metered.start();
  // Not isolatedContext(): Playwright's request routing turns the HTTP cache off, and the
  // cache is what this test is about. The page's CSP (default-src 'self') keeps it on our server.
  context = await b.browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await context.newPage();
  errors = collectErrors(page);
});
afterAll(async () => {
  await context?.close();
  await metered?.stop();
  await b?.close();
});

const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;

/** Until the server has been quiet for a moment after `what` (polled; no fixed sleep decides a result). */
async function quiet(what: string) {
  let last = -1;
  let stable = 0;
  await waitFor(what, async () => {
    const now = metered.counters().out;
    stable = now === last ? stable + 1 : 0;
    last = now;
    return stable >= 5;
  });
}

describe('when a tablet opens its kiosk page for the first time, reloads it, then loses the server', () => {
  it('then the first visit, service worker included, stays within 400 KB on the wire, a reload within 20 KB, and with the server down the page still works', async () => {
    const org = await createOrg(b.t.deps);
    const site = await createSite(b.t.deps, org.id, 'Accueil des étrangers');
    // The heaviest page of the catalogue: the survey in six languages.
    const { token } = await kiosks.createKiosk(b.t.deps, org.id, { name: 'Hall', siteId: site.id, surveyId: 'satisfaction-etrangers', locales: [], inactivitySeconds: 60 });

    const start = metered.counters();
    await page.goto(`${metered.url}/kiosque/${token}`);
    await page.waitForSelector('html[data-ready=true]');
    // The service worker installs (keeping what the page loaded) and takes over.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await waitFor('the worker to keep the page and its assets', () => page.evaluate(async () => {
      const keys = await caches.keys();
      if (keys.length !== 1) return false;
      return (await (await caches.open(keys[0])).keys()).length >= 7;
    }));
    // The first heartbeat (2 s after load) is part of a visit.
    await waitFor('the first heartbeat', async () => metered.counters().requests.some((r) => r.endsWith('/etat')));
    await quiet('the first visit to end');
    const first = metered.counters();
    const firstOut = first.out - start.out;

    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    const reloadStart = first.requests.length;
    await waitFor('the heartbeat after the reload', async () => metered.counters().requests.slice(reloadStart).some((r) => r.endsWith('/etat')));
    await quiet('the reload to end');
    const second = metered.counters();
    const reloadOut = second.out - first.out;

    await metered.stop();
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    expect(await page.locator('#qk-question').isVisible()).toBe(true);
    await page.click('.qk-smiley[data-value=tres_bien]');
    await page.click('#qk-continue');
    await page.locator('#qk-survey .sd-question').first().waitFor();
    expect(await page.locator('#qk-forward').isVisible()).toBe(true);

    process.stdout.write([
      'Kiosk page weight (satisfaction-etrangers, 6 languages, Chromium, bytes sent by the server incl. headers):',
      `  first visit: ${kb(firstOut)} down, ${kb(first.in - start.in)} up, ${first.requests.length - start.requests.length} requests: ${first.requests.slice(start.requests.length).join(', ')}`,
      `  reload:      ${kb(reloadOut)} down, ${kb(second.in - first.in)} up, ${second.requests.length - first.requests.length} requests: ${second.requests.slice(first.requests.length).join(', ')}`,
      '  server down: 0 bytes (page, scripts and survey from the service worker)',
      '',
    ].join('\n'));
    expect(firstOut).toBeLessThanOrEqual(BUDGET.firstVisit);
    expect(reloadOut).toBeLessThanOrEqual(BUDGET.reload);
    // The worker fetched nothing the page had already loaded: every asset crossed the wire once.
    const assets = first.requests.filter((r) => r.startsWith('GET /assets/'));
    expect(new Set(assets).size).toBe(assets.length);
    expect(second.requests.slice(first.requests.length).filter((r) => r.startsWith('GET /assets/'))).toEqual([]);
    expect(errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e))).toEqual([]);
  });
});
