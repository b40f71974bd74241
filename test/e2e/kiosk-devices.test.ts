/**
 * The kiosk on the devices a prefecture hangs in its halls, and a phone through the public
 * link (/avis/<slug>, the same page as an ordinary web page): for every survey of the catalogue × each of its languages × each device, a
 * visitor walks a full answer to the thank-you screen while every page is checked:
 * no horizontal scrolling, every choice inside the viewport and inside its question, no label
 * cut, touch targets of at least 44×44 px with room between them, the forward control and the
 * progress visible without scrolling. Screenshots of each device go to the test output folder.
 *
 * One Chromium for the file, one page per kind of device (desktop, touch tablet, phone),
 * reused across surveys; only the viewport changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { testEnv } from '../../server/config';
import * as kiosks from '../../server/kiosk/kiosk.service';
import { responses } from '../../server/storage/schema';
import * as links from '../../server/surveys/public-links.service';
import { SURVEYS_DIR, getSurvey } from '../../server/surveys/surveys.service';
import { axeViolations, collectErrors, isolatedContext, settled, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createSite } from '../helpers/factories';
import { waitFor } from '../helpers/wait';

type Kind = 'desktop' | 'tablet' | 'phone';
const DEVICES: { name: string; width: number; height: number; kind: Kind }[] = [
  { name: '1920x1080', width: 1920, height: 1080, kind: 'desktop' },
  { name: '1280x800', width: 1280, height: 800, kind: 'desktop' },
  { name: '800x1280', width: 800, height: 1280, kind: 'tablet' },
  { name: '1024x768', width: 1024, height: 768, kind: 'tablet' },
  { name: '768x1024', width: 768, height: 1024, kind: 'tablet' },
  { name: '390x844', width: 390, height: 844, kind: 'phone' },
];
/**
 * The sizes every survey × language is walked on: a hall tablet upright and sideways (1024×768 is
 * also the small laptop) and a phone. The larger screens add nothing a longer text could break
 * that the smaller ones would not show first, so they are walked for the longest texts and for
 * right-to-left only (CI time: each walk costs seconds).
 */
const CORE_SIZES = new Set(['768x1024', '1024x768', '390x844']);
const ALL_SIZES_FOR = new Set(['satisfaction-accueil fr', 'satisfaction-etrangers fr', 'satisfaction-etrangers ar']);
const devicesFor = (surveyId: string, locale: string) =>
  ALL_SIZES_FOR.has(`${surveyId} ${locale}`) ? DEVICES : DEVICES.filter((d) => CORE_SIZES.has(d.name));
const SURVEYS = ['satisfaction-accueil', 'satisfaction-etrangers', 'point-numerique'];
/** Every survey × each of its languages, read from the definitions (so a new language is tested at once). */
const COMBOS = SURVEYS.flatMap((id) => {
  const json = JSON.parse(fs.readFileSync(path.join(SURVEYS_DIR, `${id}.json`), 'utf8')) as { qualimetre: { locales: string[] } };
  return json.qualimetre.locales.map((locale) => [id, locale] as const);
});

// Up to six full walks per test; the shared 2-core machine can be slow.
jest.setTimeout(180_000);

let b: BrowserApp;
let orgId: string;
let siteId: string;
const contexts = new Map<Kind, { context: BrowserContext; page: Page; errors: string[] }>();
const artifacts = path.resolve(testEnv().artifactsDir);

beforeAll(async () => {
  b = await startBrowserApp();
  const org = await createOrg(b.t.deps, 'Préfecture du Rhône');
  orgId = org.id;
  siteId = (await createSite(b.t.deps, org.id, 'Hall principal')).id;
  fs.mkdirSync(artifacts, { recursive: true });
  for (const kind of ['desktop', 'tablet', 'phone'] as Kind[]) {
    const context = await isolatedContext(b.browser, b.server.url, {
      viewport: { width: 1280, height: 800 },
      hasTouch: kind !== 'desktop',
      isMobile: kind === 'phone',
      // No service worker here: this file looks at layout; kiosk.test.ts and the weight test cover offline.
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    contexts.set(kind, { context, page, errors: collectErrors(page) });
  }
});
afterAll(async () => {
  for (const c of contexts.values()) await c.context.close();
  await b?.close();
});

interface LayoutReport {
  problems: string[];
  progress: string;
  forward: string;
}

/** Everything the visitor must see and reach on the current survey page, measured in the page. */
function checkLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    const text = (el: Element) => (el.textContent ?? '').trim().slice(0, 40);
    if (document.documentElement.scrollWidth > vw + 1) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
    for (const q of Array.from(document.querySelectorAll('#qk-survey .sd-question'))) {
      const qr = q.getBoundingClientRect();
      if (qr.width === 0) continue;
      const items = Array.from(q.querySelectorAll('.sd-selectbase__item'));
      const boxes = items.map((it) => (it.querySelector('.sd-selectbase__label') ?? it).getBoundingClientRect());
      items.forEach((it, i) => {
        const r = boxes[i];
        const name = `${q.getAttribute('data-name')}: « ${text(it)} »`;
        if (r.left < -0.5 || r.right > vw + 0.5) problems.push(`${name} outside the viewport (${Math.round(r.left)}–${Math.round(r.right)} of ${vw})`);
        if (r.left < qr.left - 0.5 || r.right > qr.right + 0.5) problems.push(`${name} outside its question`);
        if (r.width < 44 || r.height < 44) problems.push(`${name} target ${Math.round(r.width)}×${Math.round(r.height)} < 44×44`);
        const label = it.querySelector('.sd-item__control-label') as HTMLElement | null;
        if (label && (label.scrollWidth > label.clientWidth + 1 || label.scrollHeight > label.clientHeight + 1)) problems.push(`${name} label truncated`);
        for (let j = 0; j < i; j++) {
          const o = boxes[j];
          const gapX = Math.max(o.left - r.right, r.left - o.right);
          const gapY = Math.max(o.top - r.bottom, r.top - o.bottom);
          if (Math.max(gapX, gapY) < 8) problems.push(`${name} closer than 8 px to « ${text(items[j])} »`);
        }
      });
      for (const ta of Array.from(q.querySelectorAll('textarea'))) {
        const r = ta.getBoundingClientRect();
        if (r.left < -0.5 || r.right > vw + 0.5) problems.push(`${q.getAttribute('data-name')} text box outside the viewport`);
      }
    }
    const visibleInViewport = (id: string) => {
      const el = document.getElementById(id);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= vh + 0.5 && r.left >= 0 && r.right <= vw + 0.5 && style.visibility !== 'hidden';
    };
    if (!visibleInViewport('qk-forward')) problems.push('forward control not visible without scrolling');
    if (!visibleInViewport('qk-progress-text')) problems.push('progress not visible without scrolling');
    const fwd = document.getElementById('qk-forward')!.getBoundingClientRect();
    if (fwd.width < 44 || fwd.height < 44) problems.push('forward control smaller than 44×44');
    return { problems, progress: document.getElementById('qk-progress-text')!.textContent ?? '', forward: document.getElementById('qk-forward')!.textContent ?? '' };
  });
}

async function tap(page: Page, kind: Kind, selector: string | ReturnType<Page['locator']>) {
  const loc = typeof selector === 'string' ? page.locator(selector) : selector;
  if (kind === 'desktop') await loc.click();
  else await loc.tap();
}

/**
 * One visitor, from the smileys to the thank-you screen, answering every question shown.
 * Returns the names of the questions answered (to compare with what the server stored).
 */
async function walk(page: Page, kind: Kind, device: string, locale: string, seed: number, shoot: boolean): Promise<string[]> {
  await tap(page, kind, '.qk-smiley[data-value=tres_bien]');
  await tap(page, kind, '#qk-continue');
  await page.waitForSelector('html[data-screen=survey] #qk-survey .sd-question');
  const answered = ['avis_global'];
  const problems: string[] = [];
  for (let pageNo = 2; ; pageNo++) {
    // Answer every visible choice question (an answer may reveal another: look again).
    for (let guard = 0; guard < 10; guard++) {
      const open = page.locator('#qk-survey .sd-question:has(.sd-selectbase__item):not(:has(.sd-item--checked))');
      if ((await open.count()) === 0) break;
      const q = open.first();
      const name = (await q.getAttribute('data-name'))!;
      const items = q.locator('.sd-selectbase__label');
      await tap(page, kind, items.nth((seed + answered.length) % (await items.count())));
      await page.locator(`#qk-survey .sd-question[data-name="${name}"] .sd-item--checked`).waitFor();
      answered.push(name);
    }
    const comment = page.locator('#qk-survey textarea');
    if (await comment.count()) {
      await comment.fill('Très bon accueil, merci.');
      answered.push((await page.locator('#qk-survey .sd-question:has(textarea)').getAttribute('data-name'))!);
    }
    await settled(page);
    const report = await checkLayout(page);
    problems.push(...report.problems.map((p) => `page ${pageNo}: ${p}`));
    expect(report.progress).toMatch(new RegExp(`^${pageNo} / \\d+$`));
    if (shoot && pageNo === 2) await page.screenshot({ path: path.join(artifacts, `kiosk-device-${device}-${locale}.png`) });
    const last = await page.evaluate(() => document.getElementById('qk-forward')!.textContent === JSON.parse(document.getElementById('qk-config')!.textContent!).locales.find((l: { code: string }) => l.code === document.documentElement.lang).strings.submit);
    await tap(page, kind, '#qk-forward');
    if (last) break;
    await page.waitForFunction((n) => document.getElementById('qk-progress-text')!.textContent!.startsWith(`${n} /`), pageNo + 1);
    if (pageNo > 10) throw new Error('the survey never ends');
  }
  await page.waitForSelector('html[data-screen=thanks]');
  expect(problems).toEqual([]);
  return answered.sort();
}

describe('when visitors answer on every hall device', () => {
  it.each(COMBOS)('then in « %s », %s, every choice is visible and tappable and the forward control always in view, to the thank-you screen', async (surveyId, locale) => {
    const survey = () => getSurvey(b.t.deps, surveyId)!;
    expect(survey().locales).toContain(locale);
    const { kiosk, token } = await kiosks.createKiosk(b.t.deps, orgId, { name: `${surveyId} ${locale}`, siteId, surveyId, locales: [...survey().locales], inactivitySeconds: 600 });
    // The phone opens the survey's public link (the same page, as an ordinary web page).
    const link = await links.createLink(b.t.deps, orgId, { surveyId, siteId });
    const expected: string[][] = [];
    const devices = devicesFor(surveyId, locale);
    for (const [i, device] of devices.entries()) {
      // The test clock stands still; the browser's does not (answers completed « in the future » are refused).
      b.t.clock.set(new Date());
      const { page, errors } = contexts.get(device.kind)!;
      await page.setViewportSize({ width: device.width, height: device.height });
      await page.goto(device.kind === 'phone' ? `${b.server.url}/avis/${link.slug}` : `${b.server.url}/kiosque/${token}`);
      await page.waitForSelector('html[data-ready=true]');
      if (locale !== survey().locales[0]) await tap(page, device.kind, `button.qk-lang[data-locale=${locale}]`);
      expect(await page.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      const shoot = surveyId === 'satisfaction-accueil' && locale === 'fr' || surveyId === 'satisfaction-etrangers' && locale === 'ar';
      if (shoot && i === 0) {
        await settled(page);
        await page.screenshot({ path: path.join(artifacts, `kiosk-device-start-${locale}-${device.name}.png`) });
      }
      expected.push(await walk(page, device.kind, device.name, locale, i, shoot));
      expect(errors.splice(0)).toEqual([]);
    }
    const rows = await waitFor('every answer set', async () => {
      const onKiosk = await b.t.deps.db.select().from(responses).where(eq(responses.kioskId, kiosk.id));
      const onWeb = await b.t.deps.db.select().from(responses)
        .where(and(eq(responses.orgId, orgId), eq(responses.channel, 'web'), eq(responses.surveyId, surveyId), eq(responses.locale, locale)));
      return onKiosk.length === devices.length - 1 && onWeb.length === 1 && [...onKiosk, ...onWeb];
    });
    expect(rows.every((r) => r.orgId === orgId && r.locale === locale)).toBe(true);
    expect(rows.map((r) => Object.keys(r.answers as object).sort()).sort()).toEqual(expected.sort());
  });
});

describe('when axe looks at a settled kiosk page', () => {
  it.each([['ar', '1024x768'], ['fr', '390x844']])('then in %s at %s no serious violation is found', async (locale, deviceName) => {
    const device = DEVICES.find((d) => d.name === deviceName)!;
    const { page } = contexts.get(device.kind)!;
    const { token } = await kiosks.createKiosk(b.t.deps, orgId, { name: `axe ${locale}`, siteId, surveyId: 'satisfaction-etrangers', locales: ['fr', 'ar'], inactivitySeconds: 600 });
    await page.setViewportSize({ width: device.width, height: device.height });
    await page.goto(`${b.server.url}/kiosque/${token}`);
    await page.waitForSelector('html[data-ready=true]');
    if (locale !== 'fr') await tap(page, device.kind, `button.qk-lang[data-locale=${locale}]`);
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
    await tap(page, device.kind, '.qk-smiley[data-value=moyen]');
    await tap(page, device.kind, '#qk-continue');
    await tap(page, device.kind, page.locator('#qk-survey .sd-question').first().locator('.sd-selectbase__label').first());
    // The answer reveals the next question: wait until it is there and nothing moves any more.
    await page.locator('#qk-survey .sd-question').nth(1).waitFor();
    await settled(page);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('when a kiosk is paused, or a visitor walks away, on the smallest and the largest screen', () => {
  /** The overlay's box inside the screen, and its text inside the box (nothing overlaps or spills). */
  const overlayFits = (page: Page, id: string) => page.evaluate((overlayId) => {
    const overlay = document.getElementById(overlayId)!;
    const box = overlay.querySelector('.qk-overlay__box')!.getBoundingClientRect();
    const vw = document.documentElement.clientWidth;
    const problems: string[] = [];
    if (box.left < 0 || box.right > vw || box.top < 0 || box.bottom > window.innerHeight) problems.push('box outside the screen');
    for (const el of Array.from(overlay.querySelectorAll('h2, p, button')) as HTMLElement[]) {
      const r = el.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || el.scrollWidth > el.clientWidth + 1) problems.push(`« ${el.textContent} » spills out`);
    }
    return problems;
  }, id);

  it.each(['390x844', '1920x1080'])('then at %s the paused message fits the screen, and the idle warning counts « 5 secondes » down to « 1 seconde »', async (deviceName) => {
    const device = DEVICES.find((d) => d.name === deviceName)!;
    const { context } = contexts.get(device.kind)!;
    const page = await context.newPage();
    const errors = collectErrors(page);
    try {
      await page.setViewportSize({ width: device.width, height: device.height });
      const paused = await kiosks.createKiosk(b.t.deps, orgId, { name: `pause ${deviceName}`, siteId, surveyId: 'satisfaction-accueil', locales: [], inactivitySeconds: 20 });
      await kiosks.pauseKiosk(b.t.deps, orgId, paused.kiosk.id);
      await page.goto(`${b.server.url}/kiosque/${paused.token}`);
      await page.waitForSelector('html[data-ready=true]');
      await page.waitForSelector('#qk-paused:not([hidden])');
      expect(await page.locator('#qk-paused-text').textContent()).toBe('Cette borne est momentanément indisponible. Merci de votre compréhension.');
      await settled(page);
      expect(await overlayFits(page, 'qk-paused')).toEqual([]);
      await page.screenshot({ path: path.join(artifacts, `kiosk-device-paused-${deviceName}.png`) });

      // Inactivity 20 s: the warning counts 5 seconds (plural), then 1 second (singular).
      const { token } = await kiosks.createKiosk(b.t.deps, orgId, { name: `idle ${deviceName}`, siteId, surveyId: 'satisfaction-accueil', locales: [], inactivitySeconds: 20 });
      await page.clock.install();
      await page.goto(`${b.server.url}/kiosque/${token}`);
      await page.waitForSelector('html[data-ready=true]');
      // From here the page's time moves only when the test moves it.
      await page.clock.pauseAt(Date.now() + 60_000);
      await tap(page, device.kind, '.qk-smiley[data-value=moyen]');
      for (let s = 0; s < 30 && (await page.locator('#qk-idle').isHidden()); s++) await page.clock.runFor(1000);
      expect(await page.locator('#qk-idle-text').textContent()).toBe('Le questionnaire va recommencer dans 5 secondes.');
      expect(await overlayFits(page, 'qk-idle')).toEqual([]);
      await page.clock.runFor('00:04');
      expect(await page.locator('#qk-idle-text').textContent()).toBe('Le questionnaire va recommencer dans 1 seconde.');
      await page.screenshot({ path: path.join(artifacts, `kiosk-device-idle-${deviceName}.png`) });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
