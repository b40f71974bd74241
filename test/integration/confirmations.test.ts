/**
 * « Ask before destroying » on the remaining irreversible actions: deleting a site, a service,
 * a mystery mailbox, a phone number, a scenario, a bilan; publishing and withdrawing a bilan;
 * sending a phone grid. Without `confirme=1` nothing happens (a confirmation page naming the
 * object, or for the grid's JSON a 428 with the question); with it the action is done.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createMailbox } from '../../server/campaigns/mailbox.service';
import { createReport } from '../../server/reports/report.service';
import { rows } from '../../server/storage/db';
import { createTestContext, type TestContext } from '../helpers/app';
import { createService, createSite, createUser, loggedIn, type Browser } from '../helpers/factories';
import {
  BASE, GOOD_GRID, addNumbersAndScenarios, attempt, createProgramme, evaluatorBrowser, expectStatus, generate, nameEvaluators, noonOf, orgWithActors, planOf,
  type OrgActors,
} from './phone.fixtures';

let t: TestContext;
let a: OrgActors;
let b: OrgActors;
let pid: string;

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.deps.encryptionKey = crypto.randomBytes(32);
  t.clock.set('2019-06-01T08:00:00Z');
  a = await orgWithActors(t, 'Préfecture de l’Isère');
  b = await orgWithActors(t, 'Préfecture de la Haute-Savoie', 1);
  pid = await createProgramme(a, [b], [[a, b]]);
}, 120_000);
afterAll(() => t?.close());

const count = async (table: string, id: string) => rows<{ n: number }>(await t.deps.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where id = ${id}`))[0].n;

/** Posts without confirmation (the no-JS path), then with it. */
async function askThenDo(user: Browser, page: string, action: string, question: string) {
  await user.page(page);
  const asked = await user.post(action);
  expect(asked.status).toBe(200);
  expect(asked.text).toContain(question);
  expect(asked.text).toContain('name="confirme" value="1"');
  return async () => expectStatus(await user.post(action, { confirme: '1' }), 303);
}

describe('when a referent deletes an object of the organisation', () => {
  it.each([
    ['site', 'sites', () => createSite(t.deps, b.id, 'Hall provisoire'), '/organisation/sites', 'Supprimer le site « Hall provisoire » ?'],
    ['service', 'services', () => createService(t.deps, b.id, 'Bureau fermé'), '/organisation/services', 'Supprimer le service « Bureau fermé » ?'],
  ] as const)('then deleting a %s asks first, names it, and only the confirmed post deletes it', async (_what, table, make, base, question) => {
    const row = await make();
    const done = await askThenDo(b.referent, `${base}/${row.id}`, `${base}/${row.id}/supprimer`, question);
    expect(await count(table, row.id)).toBe(1);
    // The edit page's button carries the same question for the modal.
    expect((await b.referent.page(`${base}/${row.id}`)).text).toContain('data-confirm-title="Supprimer');
    await done();
    expect(await count(table, row.id)).toBe(0);
  });

  it('then deleting a mystery mailbox asks first and names its address', async () => {
    const m = await createMailbox(t.deps, b.id, {
      displayName: 'Camille Martin', address: 'camille.confirm@example.test', smtpHost: 'smtp.example.test', smtpPort: 587, smtpSecurity: 'starttls',
      smtpUser: '', smtpPassword: undefined, imapHost: 'imap.example.test', imapPort: 993, imapTls: true, imapUser: 'camille', imapPassword: 'secret-imap',
      inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: false, plusAddressing: false,
    });
    const done = await askThenDo(b.referent, `/boites-mysteres/${m.id}`, `/boites-mysteres/${m.id}/supprimer`, 'Supprimer la boîte mystère « camille.confirm@example.test » ?');
    expect(await count('mystery_mailboxes', m.id)).toBe(1);
    await done();
    expect(await count('mystery_mailboxes', m.id)).toBe(0);
  });

  it('then deleting a phone number or a scenario asks first', async () => {
    const ids = await addNumbersAndScenarios(t, b, pid, ['Standard provisoire']);
    const numberId = ids['Standard provisoire'];
    const [scenario] = rows<{ id: string }>(await t.deps.db.execute(sql`select id from phone_scenarios where number_id = ${numberId}`));
    const dropScenario = await askThenDo(b.referent, `${BASE}/${pid}/scenarios/${scenario.id}`, `${BASE}/${pid}/scenarios/${scenario.id}/supprimer`, 'Supprimer le scénario « Bonjour, à quelle heure ouvre le Standard provisoire le mardi ? » ?');
    expect(await count('phone_scenarios', scenario.id)).toBe(1);
    await dropScenario();
    expect(await count('phone_scenarios', scenario.id)).toBe(0);
    const dropNumber = await askThenDo(b.referent, `${BASE}/${pid}/numeros`, `${BASE}/${pid}/numeros/${numberId}/supprimer`, 'Supprimer le numéro « Standard provisoire » ?');
    expect(await count('phone_numbers', numberId)).toBe(1);
    await dropNumber();
    expect(await count('phone_numbers', numberId)).toBe(0);
  });

  it('then another organisation’s object is still a 404, confirmed or not', async () => {
    const site = await createSite(t.deps, b.id, 'Hall de B');
    await a.referent.page('/organisation/sites');
    expect((await a.referent.post(`/organisation/sites/${site.id}/supprimer`)).status).toBe(404);
    expect((await a.referent.post(`/organisation/sites/${site.id}/supprimer`, { confirme: '1' })).status).toBe(404);
    expect(await count('sites', site.id)).toBe(1);
  });
});

describe('when a referent publishes, withdraws and deletes a bilan', () => {
  it('then each asks first, naming the bilan, and only the confirmed post acts', async () => {
    const referent = await createUser(t.deps, b.id, 'referent');
    const r = await createReport(t.deps, b.id, referent.id, { title: 'Bilan du printemps', periodStart: '2019-03-01', periodEnd: '2019-05-31', comparison: 'previous', sections: ['email'], surveyIds: [] });
    const user = await loggedIn(t.app, referent);
    const published = async () => rows<{ n: number }>(await t.deps.db.execute(sql`select count(*)::int as n from report_publications where report_id = ${r.id}`))[0].n;
    const publish = await askThenDo(user, `/rapports/${r.id}`, `/rapports/${r.id}/publier`, 'Publier le bilan « Bilan du printemps » ?');
    expect(await published()).toBe(0);
    await publish();
    expect(await published()).toBe(1);
    const withdraw = await askThenDo(user, `/rapports/${r.id}`, `/rapports/${r.id}/depublier`, 'Retirer la publication du bilan « Bilan du printemps » ?');
    expect(await published()).toBe(1);
    await withdraw();
    expect(await published()).toBe(0);
    const remove = await askThenDo(user, `/rapports/${r.id}/parametres`, `/rapports/${r.id}/supprimer`, 'Supprimer le bilan « Bilan du printemps » ?');
    expect(await count('reports', r.id)).toBe(1);
    await remove();
    expect(await count('reports', r.id)).toBe(0);
  });
});

describe('when an evaluator sends a grid', () => {
  it('then the page carries the question naming the call, a submission without confirmation is refused with it (428) and saves nothing, and a confirmed one is sent', async () => {
    await addNumbersAndScenarios(t, b, pid, ['Standard']);
    await nameEvaluators(a, pid);
    await generate(t, a, pid, b.code);
    const call = (await planOf(t, a, pid)).find((c) => c.number.label === 'Standard')!;
    const ev = evaluatorBrowser(a, call.evaluator.id);
    t.clock.set(noonOf(call.scheduledAt));
    expectStatus(await attempt(ev, call.id, 'personne', 12, 3), 303);
    const page = await ev.page(`/appels/${call.id}`);
    const data = JSON.parse(/<script type="application\/json" id="qm-grid-data">([^<]*)<\/script>/.exec(page.text)![1]);
    expect(data.confirm.title).toMatch(/^Envoyer la grille de l’appel « Standard, .+ à \d\d:\d\d » \?$/);
    expect(data.confirm.body).toContain('verrouillée');
    const post = (body: Record<string, unknown>) => ev.agent.post(`/appels/${call.id}/grille`).set('x-csrf-token', ev.csrf).set('Accept', 'application/json').send(body);
    const refused = await post({ action: 'submit', answers: GOOD_GRID });
    expect(refused.status).toBe(428);
    expect(refused.body.confirm.title).toBe(data.confirm.title);
    const status = async () => rows<{ status: string }>(await t.deps.db.execute(sql`select status from phone_calls where id = ${call.id}`))[0].status;
    expect(await status()).toBe('in_progress');
    // A draft needs no confirmation (nothing is locked).
    expect((await post({ action: 'draft', answers: { decroche: 'oui' } })).status).toBe(200);
    const sent = await post({ action: 'submit', answers: GOOD_GRID, confirme: '1' });
    expect(sent.status).toBe(200);
    expect(await status()).toBe('submitted');
  });
});
