/**
 * « Tester la connexion », plus-addressing part (issue 14). When a mailbox is set to put a
 * discreet marker in its reply address (local+marker@domain), the test checks that the server
 * really delivers such an address to the mailbox: it sends itself a message at a fresh
 * `+qm…` address over SMTP, waits for it in the inbox over IMAP, then deletes it (and its copy
 * in the sent folder if the server saved one), so the reading of replies never sees it.
 */
import crypto from 'node:crypto';
import type { Deps } from '../deps';
import type { MailboxRow } from './mailbox.store';
import { SmtpError, composeMessage, newMessageId, smtpSender, type SmtpSettings } from './sending/mailer';
import { openImap, type ImapSettings } from './tracking/imap-tracker';

export interface PlusCheck {
  ok: boolean;
  message: string;
}

export type PlusOutcome =
  | { kind: 'delivered'; address: string }
  | { kind: 'refused'; address: string; response: string | null }
  | { kind: 'not_delivered'; address: string; waitedMs: number }
  | { kind: 'error' };

const UNTICK = 'décochez « Le serveur accepte les adresses « prenom.nom+repere@… » » : les réponses seront alors rattachées par leur objet et leurs en-têtes.';

/** What the test says of each outcome. Pure. */
export function plusVerdict(o: PlusOutcome): PlusCheck {
  switch (o.kind) {
    case 'delivered':
      return { ok: true, message: `Adresses « +repère » : un message envoyé à ${o.address} est bien arrivé dans la boîte.` };
    case 'refused':
      return { ok: false, message: `Adresses « +repère » : le serveur refuse l’adresse ${o.address}${o.response ? ` (« ${o.response.slice(0, 120)} »)` : ''} ; ${UNTICK}` };
    case 'not_delivered':
      return { ok: false, message: `Adresses « +repère » : un message envoyé à ${o.address} n’est pas arrivé dans la boîte après ${Math.round(o.waitedMs / 1000)} s ; le serveur ne livre sans doute pas ces adresses : ${UNTICK}` };
    default:
      return { ok: false, message: 'Adresses « +repère » : la vérification n’a pas pu être faite (envoi ou lecture en échec) ; relancez le test.' };
  }
}

export function plusAddressOf(address: string, marker: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${marker}${address.slice(at)}`;
}

type Ctx = Pick<Deps, 'clock'>;

export async function checkPlusAddressing(ctx: Ctx, m: MailboxRow, smtp: SmtpSettings, imap: ImapSettings, timeoutMs: number, waitMs: number): Promise<PlusCheck> {
  return plusVerdict(await runPlusCheck(ctx, m, smtp, imap, timeoutMs, waitMs));
}

async function runPlusCheck(ctx: Ctx, m: MailboxRow, smtp: SmtpSettings, imap: ImapSettings, timeoutMs: number, waitMs: number): Promise<PlusOutcome> {
  const address = plusAddressOf(m.address, `qm${crypto.randomBytes(4).toString('hex')}`);
  const messageId = newMessageId(m.address);
  const raw = await composeMessage({
    from: { name: m.displayName, address: m.address }, to: address, subject: 'Vérification de la boîte (Qualimètre)',
    text: 'Message de vérification envoyé par Qualimètre à la boîte elle-même ; il est supprimé dès qu’il est arrivé.\n',
    messageId, date: ctx.clock.now(),
  });
  const sender = smtpSender(smtp, { timeoutMs, clientName: m.address.slice(m.address.lastIndexOf('@') + 1).toLowerCase() });
  try {
    await sender.send({ from: m.address, to: [address] }, raw);
  } catch (err) {
    if (err instanceof SmtpError && err.responseCode && err.responseCode >= 500) return { kind: 'refused', address, response: err.response };
    return { kind: 'error' };
  } finally {
    sender.close();
  }
  let session: Awaited<ReturnType<typeof openImap>> | undefined;
  const started = Date.now();
  try {
    session = await openImap(imap, { timeoutMs });
    // Delivery takes a moment: look again every half second, up to waitMs.
    for (;;) {
      if (await session.removeMessageId(m.inboxFolder, messageId)) {
        await session.removeMessageId(m.sentFolder, messageId).catch(() => false);
        return { kind: 'delivered', address };
      }
      if (Date.now() - started >= waitMs) return { kind: 'not_delivered', address, waitedMs: waitMs };
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch {
    return { kind: 'error' };
  } finally {
    await session?.close();
  }
}
