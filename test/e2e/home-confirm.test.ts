/**
 * In Chromium: each role's home (a referent's « À faire » raised by a silent kiosk and a
 * broken mailbox, an evaluator's day, the administrator's organisations), the confirmation
 * of an irreversible action with and without JavaScript, the header at 1024 and 768 px; axe.
 */
import type { Browser } from 'playwright-core';
import { sql } from 'drizzle-orm';
import type { TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, logIn, screenshot, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createSite, createUser } from '../helpers/factories';
import type { RunningServer } from '../helpers/server';
import * as kioskService from '../../server/kiosk/kiosk.service';
import * as kioskStore from '../../server/kiosk/kiosk.store';
import * as mailboxStore from '../../server/campaigns/mailbox.store';

let app: BrowserApp;
let t: TestContext;
let server: RunningServer;
let browser: Browser;
let org: { id: string; name: string };
let referent: { email: string; password: string };

beforeAll(async () => {
  ({ t, server, browser } = app = await startBrowserApp());
  t.clock.set('2026-06-15T12:00:00Z'); // a Monday, 14:00 in Paris
  org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  referent = await createUser(t.deps, org.id, 'referent');
  const site = await createSite(t.deps, org.id, 'Accueil général');
  // A kiosk last heard of on Friday afternoon: silent for more than 4 opening hours.
  t.clock.set('2026-06-12T14:00:00Z');
  const { kiosk } = await kioskService.createKiosk(t.deps, org.id, { name: 'Hall – entrée', siteId: site.id, surveyId: 'satisfaction-accueil', locales: [], inactivitySeconds: 60 });
  // Its last heartbeat (the tablet was then switched off).
  await t.deps.db.execute(sql`update kiosks set created_at = '2026-06-01T08:00:00Z', last_seen_at = '2026-06-12T14:00:00Z' where id = ${kiosk.id}`);
  t.clock.set('2026-06-15T12:00:00Z');
  // A mystery mailbox whose reading fails since Friday.
  const mb = await mailboxStore.insertMailbox(t.deps.db, org.id, {
    displayName: 'Camille Martin', address: 'camille.martin74@orange.example', smtpHost: 'smtp.example', smtpPort: 587, imapHost: 'imap.example', imapPort: 993, imapUser: 'camille',
  });
  await mailboxStore.recordSyncOutcome(t.deps.db, org.id, mb.id, { ok: false, at: new Date('2026-06-12T08:00:00Z'), message: 'connexion IMAP : authentification refusée par le serveur (identifiant ou mot de passe incorrect).', giveUpBefore: new Date('2026-06-01T00:00:00Z') });
}, 120_000);
afterAll(() => app?.close());

describe('when each role opens its home', () => {
  it('then the referent reads « À faire » with the silent kiosk and the failing mailbox, and the page passes axe at 1024 and 768 px', async () => {
    const context = await isolatedContext(browser, server.url, { viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, server.url, referent);
    const todo = await page.locator('.qm-alerts').textContent();
    expect(todo).toContain('La borne « Hall – entrée » (Accueil général)');
    expect(todo).toContain('Boîte mystère camille.martin74@orange.example : Échec depuis le 12/06 : connexion IMAP : authentification refusée');
    await expect(page.locator('h2#chiffres').textContent()).resolves.toBe('Chiffres clés');
    expect(await axeViolations(page)).toEqual([]);
    // The header holds: the service title is not clipped, the menu stays on one line.
    const title = page.locator('.fr-header__service-title');
    expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    const logo = page.locator('.fr-header__logo .fr-logo');
    expect(await logo.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    // One line per menu entry.
    const heights = await page.locator('.fr-nav__link').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThan(2);
    // Nothing makes the page wider than the screen (the referent's twelve menu entries included).
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'home-referent-1024');
    await page.setViewportSize({ width: 768, height: 900 });
    expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    await screenshot(page, 'home-referent-768');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('then the evaluator lands on their day and the administrator on the organisations', async () => {
    const evaluator = await createUser(t.deps, org.id, 'evaluator');
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    await logIn(page, server.url, evaluator);
    await expect(page.locator('main h1').textContent()).resolves.toBe('Mes appels du jour');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
    const admin = await createUser(t.deps, null, 'admin');
    const c2 = await isolatedContext(browser, server.url);
    const p2 = await c2.newPage();
    await logIn(p2, server.url, admin);
    await expect(p2.locator('table').textContent()).resolves.toContain('Préfecture de la Haute-Savoie');
    expect(await axeViolations(p2)).toEqual([]);
    await screenshot(p2, 'home-admin');
    await c2.close();
  });
});

describe('when the referent revokes a kiosk', () => {
  it('then with JavaScript a DSFR modal names the kiosk, « Annuler » keeps it, confirming revokes it', async () => {
    const [kiosk] = await kioskStore.listKiosks(t.deps.db, org.id);
    const context = await isolatedContext(browser, server.url);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, server.url, referent);
    await page.goto(`${server.url}/bornes`);
    await page.click(`form[action="/bornes/${kiosk.id}/revoquer"] button`);
    const modal = page.locator('#qm-confirm');
    await modal.waitFor({ state: 'visible' });
    await expect(page.locator('#qm-confirm-title').textContent()).resolves.toBe('Révoquer la borne « Hall – entrée » ?');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'confirm-modal');
    await modal.getByRole('button', { name: 'Annuler' }).click();
    await modal.waitFor({ state: 'hidden' });
    expect((await kioskStore.listKiosks(t.deps.db, org.id))[0].status).toBe('active');
    await page.click(`form[action="/bornes/${kiosk.id}/revoquer"] button`);
    await modal.waitFor({ state: 'visible' });
    await page.click('#qm-confirm-ok');
    await page.waitForURL(`${server.url}/bornes`);
    await page.locator('.fr-alert--success').waitFor();
    expect((await kioskStore.listKiosks(t.deps.db, org.id))[0].status).toBe('revoked');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('then without JavaScript a confirmation page asks, and confirming acts', async () => {
    const site = await createSite(t.deps, org.id, 'Point numérique');
    const { kiosk } = await kioskService.createKiosk(t.deps, org.id, { name: 'Point numérique – tablette', siteId: site.id, surveyId: 'satisfaction-accueil', locales: [], inactivitySeconds: 60 });
    const context = await isolatedContext(browser, server.url, { javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page, server.url, referent);
    await page.goto(`${server.url}/bornes`);
    await page.click(`form[action="/bornes/${kiosk.id}/revoquer"] button`);
    await expect(page.locator('main h1').textContent()).resolves.toBe('Révoquer la borne « Point numérique – tablette » ?');
    expect((await kioskService.requireKiosk(t.deps, org.id, kiosk.id)).status).toBe('active');
    // (axe runs as a script: it is checked on the modal above, not on this script-less page.)
    await screenshot(page, 'confirm-page-nojs');
    await page.getByRole('button', { name: 'Révoquer la borne' }).click();
    await page.waitForURL(`${server.url}/bornes`);
    expect((await kioskService.requireKiosk(t.deps, org.id, kiosk.id)).status).toBe('revoked');
    await context.close();
  });
});
