/**
 * The monthly board in Chromium: the board of July 2019 (demo data shaped like the seed), the
 * printable lost-calls table, the import page, and a bilan with its « Indicateurs qualité »
 * section in print media; axe-core finds no serious or critical violation. Screenshots are
 * kept as test artefacts.
 */
import type { Browser, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { createOrg, createUser } from '../helpers/factories';
import { listen, type RunningServer } from '../helpers/server';
import { seedIndicatorsDemo } from '../../server/indicators/indicators.demo';
import crypto from 'node:crypto';
import * as mailboxService from '../../server/campaigns/mailbox.service';
import * as samplingStore from '../../server/sampling/sampling.store';

let t: TestContext;
let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-08-05T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  await seedIndicatorsDemo(t.deps, org.id);
  // A sampled July (24 of 25 in time) for the sampling page and the board's printed rule.
  t.deps.encryptionKey = crypto.randomBytes(32);
  const mailbox = await mailboxService.createMailbox(t.deps, org.id, {
    displayName: 'Accueil général', address: 'pref-info@haute-savoie.gouv.fr', smtpHost: '127.0.0.1', smtpPort: 2525, smtpSecurity: 'none', smtpUser: '', smtpPassword: undefined,
    imapHost: '127.0.0.1', imapPort: 1143, imapTls: false, imapUser: 'pref-info', imapPassword: 'x', inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: true, plusAddressing: false,
  });
  await samplingStore.replaceRun(t.deps.db, org.id, { mailboxId: mailbox.id, month: '2019-07-01', rule: 'all', sampled: 25, excluded: 3, failed: 0, ranBy: null, ranAt: new Date('2019-08-02T08:00:00Z') },
    Array.from({ length: 25 }, (_, i) => ({ messageKey: `k${i}`, receivedAt: new Date('2019-07-01T08:00:00Z'), answeredAt: new Date('2019-07-02T08:00:00Z'), withinDeadline: i > 0, delayDays: 1, method: 'in-reply-to' })));
  const user = await createUser(t.deps, org.id, 'referent');
  server = await listen(t.app);
  browser = await launchBrowser();
  const context = await isolatedContext(browser, server.url);
  page = await context.newPage();
  errors = collectErrors(page);
  await logIn(page, server.url, user);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

describe('when the referent opens the board of July 2019', () => {
  it('then the table shows 94 % of answered calls met, the complaints’ year to date, the trend charts, and passes axe', async () => {
    await page.goto(`${server.url}/indicateurs?mois=2019-07`);
    const row = (id: string) => page.locator(`tr[data-key="${id}"] td`);
    await expect(row('appels-aboutis').nth(1).textContent()).resolves.toBe('94\u202f%');
    await expect(row('appels-aboutis').nth(2).textContent()).resolves.toContain('atteint');
    await expect(row('reclamations-15j').nth(4).textContent()).resolves.toBe('85\u202f%');
    await expect(row('reclamations-delai').nth(4).textContent()).resolves.toBe('4 jours');
    await expect(row('reclamations-nombre').nth(4).textContent()).resolves.toBe('27');
    expect(await page.locator('svg.qm-chart').count()).toBeGreaterThan(5);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'indicators-board');
  });

  it('then the lost calls per bureau print as a table and pass axe', async () => {
    await page.click('text=Version imprimable à adresser aux directeurs');
    await page.waitForURL(/appels-perdus/);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#lost-calls tbody tr').first().locator('th').textContent()).resolves.toBe('Bureau du séjour des étrangers');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'indicators-lost-calls-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('then the point numérique page shows the months of 2019 against 2018, its chart, prints, and passes axe', async () => {
    await page.goto(`${server.url}/indicateurs`);
    await page.click('a[href="/indicateurs/point-numerique"]');
    await page.waitForURL(/point-numerique/);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#attendance thead th').allTextContents()).resolves.toEqual(['Mois', '2018', '2019']);
    await expect(page.locator('#attendance tbody tr').nth(6).locator('td').nth(1).textContent()).resolves.toBe('199');
    expect(await page.locator('svg.qm-chart').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'indicators-point-numerique-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('then the import page and the targets page pass axe', async () => {
    for (const path of ['/indicateurs/imports', '/indicateurs/objectifs', '/indicateurs/saisie?mois=2019-07', '/reclamations?annee=2019']) {
      await page.goto(`${server.url}${path}`);
      expect(await axeViolations(page)).toEqual([]);
    }
  });
});

describe('when the referent opens the real-mail sampling page', () => {
  it('then the form and the July run show, the board prints the rule and n, and both pass axe', async () => {
    await page.goto(`${server.url}/indicateurs/echantillonnage`);
    await expect(page.locator('table tbody tr').first().textContent()).resolves.toContain('24 / 25 (96');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'indicators-sampling');
    await page.goto(`${server.url}/indicateurs?mois=2019-07`);
    await expect(page.locator('tr[data-key="courriels-5j"] td').nth(1).textContent()).resolves.toBe('96\u202f%');
    await expect(page.locator('body').textContent()).resolves.toContain('sur 25 échantillonnés (n = 25');
  });
});

describe('when the referent builds a bilan with the indicators section', () => {
  it('then the print view shows the section with the period’s figures and passes axe', async () => {
    await page.goto(`${server.url}/rapports`);
    await page.fill('#f-title', 'Bilan qualité juillet 2019');
    await page.fill('#f-periodStart', '2019-07-01');
    await page.fill('#f-periodEnd', '2019-07-31');
    for (const s of ['satisfaction', 'email', 'phone']) if (await page.isChecked(`#section-${s}`)) await page.click(`label[for="section-${s}"]`);
    if (!(await page.isChecked('#section-indicators'))) await page.click('label[for="section-indicators"]');
    await page.click('button:has-text("Créer et prévisualiser le bilan")');
    await page.waitForURL(/\/rapports\/[0-9a-f-]{36}$/);
    const url = page.url();
    await expect(page.locator('tr[data-key="appels-aboutis"] td').first().textContent()).resolves.toBe('94\u202f%');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${url}/bilan`);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#s-indicators').textContent()).resolves.toBe('Indicateurs qualité du tableau de suivi mensuel');
    await expect(page.locator('tr[data-key="reclamations-15j"] td').first().textContent()).resolves.toBe('75\u202f%'); // received in July: 4, one answered after 18 working days
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'indicators-bilan-print');
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
  }, 60_000);
});
