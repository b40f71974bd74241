/**
 * The question bank of a campaign keeps the order it was given in: the plan assigns questions
 * to probes by position, so the same campaign and seed must always see the same order.
 */
import crypto from 'node:crypto';
import * as campaigns from '../../../server/campaigns/campaign.service';
import { DEFAULT_QUESTIONS, campaignSchema } from '../../../server/campaigns/campaign.schemas';
import * as store from '../../../server/campaigns/campaign.store';
import * as mailboxes from '../../../server/campaigns/mailbox.service';
import { mailboxSchema } from '../../../server/campaigns/mailbox.schemas';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createService, createUser, loggedIn } from '../../helpers/factories';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  t.deps.encryptionKey = crypto.randomBytes(32);
});
afterAll(() => t.close());

describe('when a campaign starts with the default questions', () => {
  it('then its bank lists them in their given order, every time', async () => {
    const org = await createOrg(t.deps);
    const service = await createService(t.deps, org.id);
    const mailbox = await mailboxes.createMailbox(t.deps, org.id, mailboxSchema.parse({
      displayName: 'Camille Martin', address: 'camille.martin74@orange.example', smtpHost: 'smtp.orange.example', smtpPort: '465',
      smtpSecurity: 'tls', imapHost: 'imap.orange.example', imapPort: '993', imapTls: 'on', imapUser: 'camille', imapPassword: 'x',
    }));
    // Six questions stored by one statement: a random order would show within a few campaigns.
    for (let i = 0; i < 4; i++) {
      const campaign = await campaigns.createCampaign(t.deps, org.id, null, campaignSchema.parse({
        name: `Campagne ${i}`, mode: 'send', mailboxId: mailbox.id, periodStart: '2019-05-15', periodEnd: '2019-06-30',
        targets: [`${service.id}|sejour@example.test`], signatureChecklist: ['lastName'], defaultQuestions: 'on',
      }));
      const bank = await store.listQuestions(t.deps.db, org.id, campaign.id);
      expect(bank.map((q) => q.subject)).toEqual(DEFAULT_QUESTIONS.map((q) => q.subject));
    }
  });
});

describe('when the referent edits a question of the bank', () => {
  it('then its words change in place, bad input is refused with reasons, another organisation gets a 404', async () => {
    const org = await createOrg(t.deps);
    const service = await createService(t.deps, org.id);
    const mailbox = await mailboxes.createMailbox(t.deps, org.id, mailboxSchema.parse({
      displayName: 'Camille Martin', address: 'camille.martin74@orange.example', smtpHost: 'smtp.orange.example', smtpPort: '465',
      smtpSecurity: 'tls', imapHost: 'imap.orange.example', imapPort: '993', imapTls: 'on', imapUser: 'camille', imapPassword: 'x',
    }));
    const campaign = await campaigns.createCampaign(t.deps, org.id, null, campaignSchema.parse({
      name: 'Campagne', mode: 'send', mailboxId: mailbox.id, periodStart: '2019-05-15', periodEnd: '2019-06-30',
      targets: [`${service.id}|sejour@example.test`], signatureChecklist: ['lastName'], defaultQuestions: 'on',
    }));
    const before = await store.listQuestions(t.deps.db, org.id, campaign.id);
    const target = before[2];
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    const url = `/campagnes-courriel/${campaign.id}/questions/${target.id}`;
    const form = await b.page(url);
    expect(form.status).toBe(200);
    expect(form.text).toContain(target.subject);
    // Plain words: what {{…}} becomes, with examples; the draw said as a number that gives the same plan again.
    expect(form.text).toContain('Mots remplacés dans chaque message envoyé');
    expect(form.text).toMatch(/\{\{commune\}\}<\/td><td>[^<]+<\/td><td>Annecy/);
    const creation = (await b.page('/campagnes-courriel/nouvelle')).text;
    expect(creation).toContain('Tirage (facultatif)');
    expect(creation).toContain('Le même numéro redonne le même plan d’envoi.');
    expect(creation).not.toContain('Graine');
    const bad = await b.post(url, { category: 'astrologie', subject: 'x', body: 'court' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Choisissez une catégorie.');
    expect(bad.text).toContain('Indiquez l’objet.');
    const ok = await b.post(url, { category: 'sejour', subject: 'Renouvellement de titre de séjour', body: 'Bonjour,\n\nMon titre expire le mois prochain : que dois-je faire ?\n\n{{prenom}} {{nom}}' });
    expect(ok.status).toBe(303);
    const after = await store.listQuestions(t.deps.db, org.id, campaign.id);
    expect(after.map((q) => q.id)).toEqual(before.map((q) => q.id));
    expect(after[2]).toMatchObject({ category: 'sejour', subject: 'Renouvellement de titre de séjour' });
    expect(after.filter((_, i) => i !== 2)).toEqual(before.filter((_, i) => i !== 2));
    expect((await b.page(`/campagnes-courriel/${campaign.id}`)).text).toContain('Renouvellement de titre de séjour');

    const other = await createOrg(t.deps, 'Autre préfecture');
    const stranger = await loggedIn(t.app, await createUser(t.deps, other.id, 'referent'));
    expect((await stranger.page(url)).status).toBe(404);
    expect((await stranger.post(url, { category: 'horaires', subject: 'Piratage', body: 'Un texte assez long.' })).status).toBe(404);
    expect((await store.listQuestions(t.deps.db, org.id, campaign.id))[2].subject).toBe('Renouvellement de titre de séjour');
  });
});
