/**
 * Reports in Chromium: the referent builds a bilan through the form, previews it, opens the
 * print view and the poster in print media (screenshots kept as test artefacts), publishes
 * the public page; axe-core finds no serious or critical violation on any of these pages.
 */
import type { Browser, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { axeViolations, isolatedContext, launchBrowser, logIn, screenshot, settled } from '../helpers/browser';
import * as reports from '../../server/reports/report.service';
import { createOrg, createSite, createUser } from '../helpers/factories';
import { listen, type RunningServer } from '../helpers/server';
import { insertAnswerSets, seedAnswerSets } from '../integration/reports.fixtures';

let t: TestContext;
let server: RunningServer;
let browser: Browser;
let page: Page;
let org: { id: string; code: string };
let reportUrl: string;

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2019-09-09T08:00:00Z');
  org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  const general = await createSite(t.deps, org.id, 'Accueil général');
  const foreigners = await createSite(t.deps, org.id, 'Accueil des étrangers');
  await insertAnswerSets(t.deps, org.id, [
    ...seedAnswerSets({ siteId: general.id, start: new Date('2018-10-01T07:00:00Z') }),
    ...seedAnswerSets({ siteId: foreigners.id, start: new Date('2018-10-02T07:00:00Z'), opinions: 40, sansAvis: 2 }),
    ...seedAnswerSets({ siteId: general.id, start: new Date('2018-08-01T07:00:00Z'), sansAvis: 0, percents: [90, 85, 95, 90, 90, 92, 88, 93, 60, 85, 50, 95] }),
  ]);
  const user = await createUser(t.deps, org.id, 'referent');
  server = await listen(t.app);
  browser = await launchBrowser();
  const context = await isolatedContext(browser, server.url);
  page = await context.newPage();
  await logIn(page, server.url, user);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

describe('when a referent builds and prints a bilan in the browser', () => {
  it('then the builder form creates the report and the preview passes axe', async () => {
    await page.goto(`${server.url}/rapports`);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#f-title', 'Bilan qualité automne 2018');
    await page.fill('#f-periodStart', '2018-10-01');
    await page.fill('#f-periodEnd', '2018-11-30');
    // DSFR draws the checkbox on its label: click the labels, as a user does.
    await page.click('label[for="section-email"]');
    await page.click('label[for="section-phone"]');
    expect(await page.isChecked('#section-email')).toBe(false);
    await page.click('button:has-text("Créer et prévisualiser le bilan")');
    await page.waitForURL(/\/rapports\/[0-9a-f-]{36}$/);
    reportUrl = page.url();
    await expect(page.locator('tr[data-key="courtoisie"] td').first().textContent()).resolves.toBe('96\u202f%');
    await page.fill('textarea[name="comment:satisfaction:satisfaction-accueil"]', 'Le temps d’attente reste le point à améliorer.');
    await page.fill('#f-improvements', 'Accueil sur rendez-vous généralisé\nLigne de confidentialité installée');
    await page.click('button:has-text("Enregistrer les commentaires")');
    await page.waitForURL(reportUrl);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reports-preview');
  }, 60_000);

  it('then the A4 print view, in print media, hides the toolbar, keeps the tables and passes axe', async () => {
    await page.goto(`${reportUrl}/bilan`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.qm-toolbar').isVisible()).toBe(false);
    await expect(page.locator('tr[data-key="temps_attente"] td').first().textContent()).resolves.toBe('70\u202f%');
    await expect(page.locator('.qm-comment').first().textContent()).resolves.toContain('point à améliorer');
    // Each section starts on a new page; table rows never split.
    expect(await page.locator('.qm-page').first().evaluate((el) => getComputedStyle(el).breakBefore)).toBe('page');
    expect(await page.locator('.qm-report-table tr').first().evaluate((el) => getComputedStyle(el).breakInside)).toBe('avoid');
    const font = await page.locator('body').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(font).toContain('Marianne');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reports-bilan-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it.each(['a4', 'a3'])('then the %s poster, in print media, fits one sheet and passes axe', async (format) => {
    await page.goto(`${reportUrl}/affiche?format=${format}`);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, `reports-poster-${format}-print`);
    const sheet = page.locator('.qm-sheet');
    const box = (await sheet.boundingBox())!;
    // 210 × 297 mm (A4) or 297 × 420 mm (A3) at 96 px per inch.
    const mm = 96 / 25.4;
    expect(Math.round(box.width / mm)).toBe(format === 'a3' ? 297 : 210);
    expect(Math.round(box.height / mm)).toBe(format === 'a3' ? 420 : 297);
    // Nothing spills out of the sheet.
    expect(await sheet.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    await expect(page.locator('.qm-big').first().textContent()).resolves.toBe('93\u202f%');
    // Every item of the survey, the weak « Temps d’attente » included, each with its n.
    const items = page.locator('.qm-poster-items li');
    expect(await items.count()).toBe(11);
    await expect(page.locator('.qm-poster-items li', { hasText: /Temps d.attente/ }).locator('.qm-mid').textContent()).resolves.toBe('70\u202f%');
    for (const basis of await page.locator('.qm-poster-items .qm-basis').allTextContents()) expect(basis).toMatch(/\d+\u00a0réponses/);
    // The bloc-marque: the DSFR's Marianne and devise, drawn.
    expect(await page.locator('.fr-logo').evaluate((el) => getComputedStyle(el, '::before').backgroundImage)).toContain('data:image/svg+xml');
    expect(await page.locator('.qm-poster-improvements li').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'screen' });
  });

  it('then the published public page and the exports page pass axe', async () => {
    await page.goto(reportUrl);
    await page.click('button:has-text("Publier ce bilan")');
    // Publishing asks first (DSFR modal naming the bilan).
    await page.locator('#qm-confirm-ok').click();
    await page.waitForURL(reportUrl);
    await page.locator('text=Retirer la page publique').waitFor();
    await page.goto(`${server.url}/nos-resultats/${org.code}`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Nos résultats');
    expect(await page.content()).not.toContain('point à améliorer');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'reports-public-page');
    // On a phone and a small laptop too (a wide table there made scrollable regions no keyboard could reach).
    await atSizes(page, 'reports-public-page', async () => {
      await expect(page.locator('h1').textContent()).resolves.toContain('Nos résultats');
    });
    await page.goto(`${server.url}/rapports/exports`);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('then the public page’s variants (figures withheld, sections without data, an unknown address) pass axe on a phone and at 1024 px', async () => {
    // Another organisation publishes every section with too few answers to show any figure.
    const small = await createOrg(t.deps, 'Préfecture de la Savoie');
    const hall = await createSite(t.deps, small.id, 'Accueil général');
    await insertAnswerSets(t.deps, small.id, seedAnswerSets({ siteId: hall.id, start: new Date('2018-10-01T07:00:00Z'), opinions: 3, sansAvis: 1 }));
    const report = await reports.createReport(t.deps, small.id, null, {
      title: 'Bilan automne 2018', periodStart: '2018-10-01', periodEnd: '2018-11-30', comparison: 'previous', sections: ['satisfaction', 'email', 'phone', 'indicators'], surveyIds: [],
    });
    await reports.publishReport(t.deps, small.id, report.id, null);
    // As a visitor sees it: no session.
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/nos-resultats/${small.code}`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Nos résultats');
    expect(await page.locator('.qm-withheld').count()).toBeGreaterThan(0);
    expect(await page.locator('.qm-public-figure').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Résultat non publié')]));
    expect(await page.locator('main em').count()).toBeGreaterThan(0); // a section without data says so
    expect((await page.locator('.fr-footer__bottom-link').allTextContents()).slice(0, 3)).toEqual(['Accessibilité : non conforme', 'Mentions légales', 'Données personnelles']);
    await atSizes(page, 'reports-public-withheld', async () => {
      expect(await page.locator('.qm-withheld').first().isVisible()).toBe(true);
    });
    // An organisation that publishes nothing: the public 404 page, same checks.
    const response = await page.goto(`${server.url}/nos-resultats/ZZ`);
    expect(response?.status()).toBe(404);
    await atSizes(page, 'reports-public-404', async () => {
      expect(await page.locator('h1').count()).toBe(1);
    });
    await context.close();
  });
});

/**
 * The page at a phone's width and at 1024 px: passes axe, never scrolls sideways, and `check`
 * holds; a screenshot of each (test artefacts). The viewport is put back afterwards.
 */
async function atSizes(p: Page, name: string, check: () => Promise<void>) {
  const size = p.viewportSize();
  for (const [label, viewport] of [['mobile', { width: 375, height: 800 }], ['1024', { width: 1024, height: 768 }]] as const) {
    await p.setViewportSize(viewport);
    await settled(p);
    await screenshot(p, `${name}-${label}`);
    expect(await axeViolations(p)).toEqual([]);
    // The page never scrolls sideways (the widest elements named, to find the culprit).
    const { overflow, widest } = await p.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      widest: [...document.querySelectorAll('body *')].map((e) => ({ e, right: Math.round(e.getBoundingClientRect().right) })).sort((a, b) => b.right - a.right).slice(0, 5)
        .map(({ e, right }) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${right} px)`),
    }));
    if (overflow > 0) throw new Error(`${name} at ${label} scrolls sideways by ${overflow} px: ${widest.join(', ')}`);
    await check();
  }
  if (size) await p.setViewportSize(size);
}
