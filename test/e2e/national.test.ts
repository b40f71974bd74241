/**
 * The national table in Chromium: twelve organisations with satisfaction figures, one withheld;
 * the wide table scrolls inside its frame, sorts by a header click, and the page and the
 * drill-down pass axe. Screenshots are kept as test artefacts.
 */
import type { Browser, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { createOrg, createUser } from '../helpers/factories';
import { listen, type RunningServer } from '../helpers/server';
import { insertAnswerSets, seedAnswerSets, SEED_2018 } from '../integration/reports.fixtures';

let t: TestContext;
let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[];
const codes: string[] = [];

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-10-15T08:00:00Z');
  for (let i = 0; i < 12; i++) {
    const org = await createOrg(t.deps, `Préfecture ${i + 1}`);
    codes.push(org.code);
    const overall = SEED_2018.map(([item], k) => (item === 'accueil_global' ? 60 + 3 * i : SEED_2018[k][2]));
    await insertAnswerSets(t.deps, org.id, seedAnswerSets({ siteId: null, start: new Date('2019-07-02T07:00:00Z'), opinions: i === 0 ? 3 : 40, sansAvis: 1, percents: overall }));
  }
  const user = await createUser(t.deps, null, 'national');
  server = await listen(t.app);
  browser = await launchBrowser();
  const context = await isolatedContext(browser, server.url, { viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  errors = collectErrors(page);
  await logIn(page, server.url, user, '/national');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

it('when the national user sorts the table by satisfaction, then the best organisation comes first, the withheld one last, and the page passes axe', async () => {
  await page.goto(`${server.url}/national?trimestre=2019-T3`);
  await page.click('th >> text=Enquêtes de satisfaction : Satisfaction');
  await page.waitForURL(/tri=satisfaction&ordre=asc/);
  await page.click('th >> text=Enquêtes de satisfaction : Satisfaction');
  await page.waitForURL(/tri=satisfaction&ordre=desc/);
  const order = await page.locator('#national tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')));
  expect(order[0]).toBe(codes[11]);
  expect(order[order.length - 1]).toBe(codes[0]);
  await expect(page.locator(`tr[data-code="${codes[0]}"] td`).nth(1).textContent()).resolves.toBe('effectif insuffisant');
  // The table may be wider than the page: it scrolls in its own frame, the page does not.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'national-table');
  await page.click(`tr[data-code="${codes[11]}"] th a`);
  await page.waitForURL(/\/national\/organisations\//);
  await expect(page.locator('h1').textContent()).resolves.toContain('face au réseau');
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'national-organisation');
  expect(errors).toEqual([]);
});

it('when the national user sets up a round on a 1024-px laptop and a phone, then the form (regional neighbours ticked) and the round’s page fit the screen and pass axe', async () => {
  for (const viewport of [{ width: 1024, height: 768 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await page.goto(`${server.url}/national/tournees`);
    await expect(page.locator('#voisins').isChecked()).resolves.toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `national-rounds-${viewport.width}`);
  }
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.fill('[name="name"]', 'Tournée d’automne');
  await page.fill('[name="startsOn"]', '2019-11-04');
  await page.fill('[name="endsOn"]', '2019-11-29');
  await page.fill('[name="seed"]', '7');
  await page.click('button:has-text("Créer la tournée")');
  await page.waitForURL(/\/national\/tournees\/[0-9a-f-]{36}$/);
  await expect(page.locator('body').textContent()).resolves.toContain('Couples d’une même région');
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'national-round-1024');
  expect(errors).toEqual([]);
});
