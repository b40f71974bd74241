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
import { createOrg, createService } from '../../helpers/factories';

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
