/**
 * `campaigns:export-fixture`: a reply and its verdict, as the referent corrected it, become a
 * fixture of the classifier's pattern table (file + manifest entry); another organisation's
 * reply cannot be exported.
 */
import crypto from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../../../server/cli/commands';
import * as mailboxService from '../../../server/campaigns/mailbox.service';
import * as replyStore from '../../../server/campaigns/reply.store';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg } from '../../helpers/factories';

let t: TestContext;
let out: string;
const RAW = readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'eml', 'patterns', 'auto-fr-exchange-rules-absence.eml'));

async function replyOf(orgId: string, name: string, v: { detectedClass: string; replyClass: string; raw: boolean }) {
  const mailbox = await mailboxService.createMailbox(t.deps, orgId, {
    displayName: 'Camille Martin', address: `camille.${name}@citoyen.example`, smtpHost: '127.0.0.1', smtpPort: 2525, smtpSecurity: 'none',
    smtpUser: '', smtpPassword: undefined, imapHost: '127.0.0.1', imapPort: 1143, imapTls: false, imapUser: 'x', imapPassword: 'secret-imap',
    inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: false, plusAddressing: false,
  });
  const reply = await replyStore.insertReply(t.deps.db, orgId, {
    mailboxId: mailbox.id, folder: 'INBOX', uidValidity: '1', uid: 1, dedupeKey: `mid:${crypto.randomUUID()}`,
    fromAddress: 'paul.roux@savoie.gouv.fr', subject: 'RE: Horaires', receivedAt: new Date('2019-06-04T08:00:00Z'), size: RAW.length,
    text: 'Je suis en congés', fullText: 'Bonjour,\n\nJe suis en congés jusqu’au 14 juin.', detectedClass: v.detectedClass, replyClass: v.replyClass,
  }, { raw: v.raw ? RAW : Buffer.alloc(0), size: RAW.length, truncated: false });
  return reply!.id;
}

beforeAll(async () => {
  t = await createTestContext();
  t.deps.encryptionKey = crypto.randomBytes(32);
  out = mkdtempSync(path.join(os.tmpdir(), 'qm-fixtures-'));
});
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await t.close();
});

it('when a corrected reply is exported, then its raw source and corrected verdict land in the manifest', async () => {
  const org = await createOrg(t.deps, 'Préfecture export');
  const id = await replyOf(org.id, 'export', { detectedClass: 'answer', replyClass: 'out_of_office', raw: true });
  const r = await runCommand(t.deps, ['campaigns:export-fixture', '--org', org.code, '--reply', id, '--out', out]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  expect(manifest.items).toEqual([
    { file: `exported-out-of-office-${id}.eml`, pattern: `exported reply ${id}: out_of_office (detected answer, corrected)`, expect: { group: 'out_of_office', class: 'out_of_office' } },
  ]);
  expect(readFileSync(path.join(out, manifest.items[0].file)).equals(RAW)).toBe(true);

  // Exported twice: one entry, not two.
  await runCommand(t.deps, ['campaigns:export-fixture', '--org', org.code, '--reply', id, '--out', out]);
  expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).items).toHaveLength(1);
});

it('when the raw source is gone, then the stored text is exported as a plain message', async () => {
  const org = await createOrg(t.deps, 'Préfecture purge');
  const id = await replyOf(org.id, 'purge', { detectedClass: 'answer', replyClass: 'answer', raw: false });
  expect((await runCommand(t.deps, ['campaigns:export-fixture', '--org', org.code, '--reply', id, '--out', out])).code).toBe(0);
  const eml = readFileSync(path.join(out, `exported-answer-${id}.eml`), 'utf8');
  expect(eml).toMatch(/^From: paul\.roux@savoie\.gouv\.fr\r\n/);
  expect(Buffer.from(eml.split('\r\n\r\n')[1].replace(/\s+/g, ''), 'base64').toString('utf8')).toContain('Je suis en congés');
});

it("when the reply belongs to another organisation, then nothing is written and the message says so", async () => {
  const a = await createOrg(t.deps, 'Préfecture A');
  const b = await createOrg(t.deps, 'Préfecture B');
  const id = await replyOf(b.id, 'b', { detectedClass: 'answer', replyClass: 'answer', raw: true });
  const r = await runCommand(t.deps, ['campaigns:export-fixture', '--org', a.code, '--reply', id, '--out', path.join(out, 'none')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/No reply/);
  expect((await runCommand(t.deps, ['campaigns:export-fixture', '--org', a.code, '--reply', 'nope'])).stderr).toMatch(/--reply must be a reply id/);
});
