/**
 * Failures show where they matter: launching runs the mailbox test first and refuses with
 * the reason; every reading pass records its outcome on the mailbox; the campaign page and the
 * home say it; a mailbox failing longer than MAILBOX_SYNC_GIVE_UP_HOURS stops being read.
 */
import { SIGNATURE_ITEMS } from '../../../server/campaigns/classification/signature';
import * as campaignService from '../../../server/campaigns/campaign.service';
import * as mailboxStore from '../../../server/campaigns/mailbox.store';
import * as mailboxService from '../../../server/campaigns/mailbox.service';
import { syncMailboxOnce } from '../../../server/campaigns/tracking/tracking.service';
import { loggedIn, type Browser } from '../../helpers/factories';
import { MYSTERY, mailTestContext, type MailTestContext } from './setup';

const SERVICE = { name: 'Bureau du séjour', address: 'sejour@pref74.test' };
let ctx: MailTestContext;
let referent: Browser;
let campaignId: string;

beforeAll(async () => {
  ctx = await mailTestContext({ services: [SERVICE], config: { MAILBOX_SYNC_GIVE_UP_HOURS: '48' } });
  referent = await loggedIn(ctx.t.app, ctx.referent);
  ctx.t.clock.set('2026-06-10T08:00:00Z');
  const c = await campaignService.createCampaign(ctx.t.deps, ctx.orgId, ctx.referent.id, {
    name: 'Printemps 2026', mode: 'analyse', mailboxId: ctx.mailboxId, periodStart: '2026-06-01', periodEnd: '2026-06-30',
    targets: [`${ctx.services.get(SERVICE.address)!.id}|${SERVICE.address}`], probesPerService: 1, windowStart: 540, windowEnd: 1020,
    seed: 's', signatureChecklist: [...SIGNATURE_ITEMS], deadlineDays: 5, holidayZone: 'metropole', whitMondayWorked: false,
    retentionDays: 365, variables: {}, defaultQuestions: false,
  });
  campaignId = c.id;
}, 120_000);
afterAll(() => ctx?.close());

const breakMailbox = (password: string) => mailboxStore.updateMailbox(ctx.t.deps.db, ctx.orgId, ctx.mailboxId, {
  imapPort: password === 'wrong' ? 1 : ctx.dovecot.port,
});

describe('when the mailbox cannot be read', () => {
  it('then « Lancer » without confirmation asks first, naming the campaign', async () => {
    const page = await referent.post(`/campagnes-courriel/${campaignId}/lancer`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Lancer la campagne « Printemps 2026 » ?');
    expect(page.text).toContain('name="confirme" value="1"');
    expect((await mailboxStore.getMailbox(ctx.t.deps.db, ctx.orgId, ctx.mailboxId))!.lastCheckAt).toBeNull();
  });

  it('then launching is refused with the reason and the campaign stays in preparation', async () => {
    await breakMailbox('wrong');
    const res = await referent.post(`/campagnes-courriel/${campaignId}/lancer`, { confirme: '1' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('La campagne n’est pas lancée : le test de la boîte mystère a échoué.');
    expect(res.text).toContain('IMAP : connexion refusée');
    expect((await campaignService.requireCampaign(ctx.t.deps, ctx.orgId, campaignId)).status).toBe('draft');
  });

  it('then, once repaired, the launch goes through and a reading pass records its success', async () => {
    await breakMailbox('right');
    expect((await referent.post(`/campagnes-courriel/${campaignId}/lancer`, { confirme: '1' })).status).toBe(303);
    await syncMailboxOnce(ctx.t.deps, ctx.mailboxId);
    ctx.t.clock.set('2026-06-10T08:03:00Z');
    const page = await referent.page(`/campagnes-courriel/${campaignId}`);
    expect(page.text).toContain('Dernière lecture de la boîte : il y a 3 min.');
  });

  it('then each failed pass is counted with its step, shown on the campaign page and the home, and reading stops after the give-up time', async () => {
    await breakMailbox('wrong');
    await expect(syncMailboxOnce(ctx.t.deps, ctx.mailboxId)).rejects.toThrow();
    ctx.t.clock.set('2026-06-11T08:00:00Z');
    await expect(syncMailboxOnce(ctx.t.deps, ctx.mailboxId)).rejects.toThrow();
    let m = (await mailboxStore.getMailbox(ctx.t.deps.db, ctx.orgId, ctx.mailboxId))!;
    expect(m.syncFailures).toBe(2);
    expect(m.syncErrorMessage).toBe('connexion IMAP : connexion refusée : vérifiez l’hôte et le port.');
    expect(m.syncStoppedAt).toBeNull();
    const page = await referent.page(`/campagnes-courriel/${campaignId}`);
    expect(page.text).toContain('Échec depuis le 10/06 : connexion IMAP : connexion refusée : vérifiez l’hôte et le port. (2 tentatives).');
    const home = await referent.page('/');
    expect(home.text).toContain(`Boîte mystère ${MYSTERY.user} : Échec depuis le 10/06`);
    expect((await mailboxStore.mailboxesToTrackForWorker(ctx.t.deps.db)).map((x) => x.id)).toContain(ctx.mailboxId);
    // 48 hours after the first failure: the next failure stops the reading.
    ctx.t.clock.set('2026-06-12T08:10:00Z');
    await expect(syncMailboxOnce(ctx.t.deps, ctx.mailboxId)).rejects.toThrow();
    m = (await mailboxStore.getMailbox(ctx.t.deps.db, ctx.orgId, ctx.mailboxId))!;
    expect(m.syncStoppedAt).not.toBeNull();
    expect((await mailboxStore.mailboxesToTrackForWorker(ctx.t.deps.db)).map((x) => x.id)).not.toContain(ctx.mailboxId);
    expect((await referent.page('/')).text).toContain('Lecture de la boîte arrêtée le 12/06');
    // A successful connection test resumes it.
    await breakMailbox('right');
    expect((await mailboxService.testMailbox(ctx.t.deps, ctx.orgId, ctx.mailboxId)).imap.ok).toBe(true);
    expect((await mailboxStore.mailboxesToTrackForWorker(ctx.t.deps.db)).map((x) => x.id)).toContain(ctx.mailboxId);
  });
});
