/**
 * Tenancy of mystery e-mail campaigns: every role of organisation A against every object route
 * of organisation B (mailbox, campaign, question, probe, reply), pages and API alike: 404, and
 * B's data untouched. A's lists never show B's campaigns; A cannot reach B's objects through
 * its own campaign either.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { rows } from '../../../server/storage/db';
import * as campaignService from '../../../server/campaigns/campaign.service';
import * as campaignStore from '../../../server/campaigns/campaign.store';
import * as mailboxService from '../../../server/campaigns/mailbox.service';
import * as replyStore from '../../../server/campaigns/reply.store';
import { SIGNATURE_ITEMS } from '../../../server/campaigns/classification/signature';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createService, createToken, createUser, loggedIn, type Browser } from '../../helpers/factories';

let t: TestContext;
const ids: Record<string, string> = {};
const own: Record<string, string> = {};
const actors: { name: string; browser?: Browser; token?: string }[] = [];
let bBrowser: Browser;

async function world(orgId: string, userId: string, name: string) {
  const svc = await createService(t.deps, orgId, `Service ${name}`);
  const mailbox = await mailboxService.createMailbox(t.deps, orgId, {
    displayName: 'Camille Martin', address: `camille.${name}@citoyen.example`, smtpHost: '127.0.0.1', smtpPort: 2525, smtpSecurity: 'none',
    smtpUser: '', smtpPassword: undefined, imapHost: '127.0.0.1', imapPort: 1143, imapTls: false, imapUser: 'x', imapPassword: 'secret-imap',
    inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: false, plusAddressing: false,
  });
  const campaign = await campaignService.createCampaign(t.deps, orgId, userId, {
    name: `Campagne ${name}`, mode: 'analyse', mailboxId: mailbox.id, periodStart: '2019-05-15', periodEnd: '2019-06-30',
    targets: [`${svc.id}|${svc.emails[0]}`], probesPerService: 1, windowStart: 540, windowEnd: 1020, seed: 's', signatureChecklist: [...SIGNATURE_ITEMS],
    deadlineDays: 5, holidayZone: 'metropole', whitMondayWorked: false, retentionDays: 365, variables: {}, defaultQuestions: true,
  });
  const [question] = await campaignStore.listQuestions(t.deps.db, orgId, campaign.id);
  const [target] = await campaignStore.listTargets(t.deps.db, orgId, campaign.id);
  const [probe] = await campaignStore.insertProbes(t.deps.db, orgId, [{
    campaignId: campaign.id, targetId: target.id, origin: 'imported', state: 'sent', toAddress: target.address, subject: 'Horaires', body: 'Bonjour',
    messageId: `<${crypto.randomUUID()}@citoyen.example>`, sentAt: new Date('2019-05-15T08:00:00Z'),
  }]);
  const reply = await replyStore.insertReply(t.deps.db, orgId, {
    mailboxId: mailbox.id, campaignId: campaign.id, probeId: probe.id, folder: 'INBOX', uidValidity: '1', uid: 1, dedupeKey: `mid:${crypto.randomUUID()}`,
    fromAddress: 'agent@prefecture.example', subject: 'RE: Horaires', receivedAt: new Date('2019-05-15T10:00:00Z'), size: 100,
    text: `Réponse confidentielle ${name}`, fullText: '', detectedClass: 'answer', replyClass: 'answer', signature: { phone: true }, detectedSignature: { phone: true },
  }, { raw: Buffer.from('x'), size: 1, truncated: false });
  return { mailbox: mailbox.id, campaign: campaign.id, question: question.id, probe: probe.id, reply: reply!.id };
}

beforeAll(async () => {
  t = await createTestContext();
  t.deps.encryptionKey = crypto.randomBytes(32);
  const a = await createOrg(t.deps, 'Préfecture A');
  const b = await createOrg(t.deps, 'Préfecture B');
  const bReferent = await createUser(t.deps, b.id, 'referent');
  const aReferent = await createUser(t.deps, a.id, 'referent');
  Object.assign(ids, await world(b.id, bReferent.id, 'b'));
  Object.assign(own, await world(a.id, aReferent.id, 'a'));
  actors.push({ name: 'A referent (session)', browser: await loggedIn(t.app, aReferent) });
  actors.push({ name: 'A referent (token)', token: await createToken(t.deps, a.id, 'referent', aReferent.id) });
  for (const role of ['viewer', 'evaluator'] as const) {
    const u = await createUser(t.deps, a.id, role);
    actors.push({ name: `A ${role} (session)`, browser: await loggedIn(t.app, u) });
    actors.push({ name: `A ${role} (token)`, token: await createToken(t.deps, a.id, role, u.id) });
  }
  actors.push({ name: 'A organisation token', token: await createToken(t.deps, a.id, 'referent') });
  bBrowser = await loggedIn(t.app, bReferent);
}, 30_000);
afterAll(() => t.close());

const mailboxForm = { displayName: 'Piraté', address: 'pirate@example.fr', smtpHost: 'x', smtpPort: '25', smtpSecurity: 'none', imapHost: 'x', imapPort: '143', imapUser: 'x', inboxFolder: 'INBOX', sentFolder: 'Sent' };
const pageRoutes = (): [string, string, Record<string, string>?][] => [
  ['GET', `/boites-mysteres/${ids.mailbox}`],
  ['POST', `/boites-mysteres/${ids.mailbox}`, mailboxForm],
  ['POST', `/boites-mysteres/${ids.mailbox}/tester`],
  ['POST', `/boites-mysteres/${ids.mailbox}/supprimer`],
  ['GET', `/campagnes-courriel/${ids.campaign}`],
  ['GET', `/campagnes-courriel/${ids.campaign}/resultats`],
  ['GET', `/campagnes-courriel/${ids.campaign}/messages/${ids.probe}`],
  ['GET', `/campagnes-courriel/${ids.campaign}/reponses/${ids.reply}`],
  ['POST', `/campagnes-courriel/${ids.campaign}/questions`, { category: 'horaires', subject: 'Piraté', body: 'Un message piraté assez long.' }],
  ['POST', `/campagnes-courriel/${ids.campaign}/questions/${ids.question}/supprimer`],
  ['POST', `/campagnes-courriel/${ids.campaign}/lancer`],
  ['POST', `/campagnes-courriel/${ids.campaign}/analyser`],
  ['POST', `/campagnes-courriel/${ids.campaign}/clore`],
  ['POST', `/campagnes-courriel/${ids.campaign}/supprimer`],
  ['POST', `/campagnes-courriel/${ids.campaign}/reponses/${ids.reply}/corriger`, { field: 'class', replyClass: 'unrelated' }],
  // A's own campaign with B's probe or reply.
  ['GET', `/campagnes-courriel/${own.campaign}/messages/${ids.probe}`],
  ['GET', `/campagnes-courriel/${own.campaign}/reponses/${ids.reply}`],
  ['POST', `/campagnes-courriel/${own.campaign}/reponses/${ids.reply}/corriger`, { field: 'class', replyClass: 'unrelated' }],
];
const apiRoutes = (): string[] => [
  `/api/v1/boites-mysteres/${ids.mailbox}`,
  `/api/v1/campagnes-courriel/${ids.campaign}`,
  `/api/v1/campagnes-courriel/${ids.campaign}/resultats`,
  `/api/v1/campagnes-courriel/${ids.campaign}/messages`,
  `/api/v1/campagnes-courriel/${ids.campaign}/messages/${ids.probe}`,
  `/api/v1/campagnes-courriel/${own.campaign}/messages/${ids.probe}`,
];

describe('when a user of organisation A addresses a campaign object of organisation B', () => {
  it('then every page route answers 404 for every role', async () => {
    const cells: string[] = [];
    for (const actor of actors.filter((x) => x.browser)) {
      for (const [method, path, form] of pageRoutes()) {
        const res = method === 'GET' ? await actor.browser!.page(path) : await actor.browser!.post(path, form ?? {});
        cells.push(`${actor.name} ${method} ${path} → ${res.status}`);
      }
    }
    expect(cells.filter((c) => !c.endsWith('→ 404'))).toEqual([]);
    expect(cells).toHaveLength(3 * pageRoutes().length);
  });

  it('then every API route answers 404 for every token and session', async () => {
    const cells: string[] = [];
    for (const actor of actors) {
      for (const path of apiRoutes()) {
        const res = actor.token ? await request(t.app).get(path).set('Authorization', `Bearer ${actor.token}`) : await actor.browser!.agent.get(path);
        cells.push(`${actor.name} GET ${path} → ${res.status}`);
      }
    }
    expect(cells.filter((c) => !c.endsWith('→ 404'))).toEqual([]);
  });

  it('then B’s objects are unchanged', async () => {
    const [c] = rows<{ status: string; q: number; corrections: number; reply_class: string; mailbox_name: string }>(await t.deps.db.execute(sql`
      select c.status, (select count(*)::int from mail_campaign_questions where campaign_id = c.id) as q,
             (select count(*)::int from mail_corrections) as corrections,
             (select reply_class from mail_replies where id = ${ids.reply}) as reply_class,
             (select display_name from mystery_mailboxes where id = ${ids.mailbox}) as mailbox_name
      from mail_campaigns c where c.id = ${ids.campaign}`));
    expect(c).toEqual({ status: 'draft', q: 6, corrections: 0, reply_class: 'answer', mailbox_name: 'Camille Martin' });
  });

  it('then A cannot build a campaign on B’s mailbox or services, nor attach its reply to B’s probe', async () => {
    const a = actors[0].browser!;
    const before = rows<{ n: number }>(await t.deps.db.execute(sql`select count(*)::int as n from mail_campaigns`))[0].n;
    const [svcB] = rows<{ id: string; address: string }>(await t.deps.db.execute(sql`select service_id as id, address from mail_campaign_targets where campaign_id = ${ids.campaign}`));
    const res = await a.post('/campagnes-courriel', {
      name: 'Intrusion', mode: 'analyse', mailboxId: ids.mailbox, periodStart: '2019-05-15', periodEnd: '2019-06-30', targets: `${svcB.id}|${svcB.address}`,
      signatureChecklist: 'phone', deadlineDays: '5', holidayZone: 'metropole', retentionDays: '365',
    });
    expect(res.status).toBe(422);
    expect(rows<{ n: number }>(await t.deps.db.execute(sql`select count(*)::int as n from mail_campaigns`))[0].n).toBe(before);
    const attach = await a.post(`/campagnes-courriel/${own.campaign}/reponses/${own.reply}/corriger`, { field: 'probe', probeId: ids.probe });
    expect(attach.status).toBe(422);
  });

  it('then A’s lists never show B’s campaigns, and B never sees A’s', async () => {
    const token = actors.find((x) => x.name === 'A referent (token)')!.token!;
    const list = await request(t.app).get('/api/v1/campagnes-courriel').set('Authorization', `Bearer ${token}`);
    expect(list.body.campaigns.map((c: { id: string }) => c.id)).toEqual([own.campaign]);
    const mailboxes = await request(t.app).get('/api/v1/boites-mysteres').set('Authorization', `Bearer ${token}`);
    expect(mailboxes.body.mailboxes.map((m: { id: string }) => m.id)).toEqual([own.mailbox]);
    const page = await bBrowser.page('/campagnes-courriel');
    expect(page.text).toContain('Campagne b');
    expect(page.text).not.toContain('Campagne a');
    expect((await bBrowser.page(`/campagnes-courriel/${own.campaign}`)).status).toBe(404);
  });
});
