/**
 * Pages of the mystery mailboxes (referents only): /boites-mysteres (list and creation),
 * /boites-mysteres/:id (edit, « tester la connexion », delete). Password fields are never
 * filled back, even when a form is shown again with errors.
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { ValidationError } from '../errors';
import { formatDate, formatDateTime } from '../format';
import { flash } from '../http/flash';
import { CONFIRM, confirmFirst } from '../http/confirm';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, requireAuth, requireRole } from '../auth/policies';
import { SMTP_SECURITY } from '../storage/schema';
import { SMTP_SECURITY_LABELS, acceptCertificateSchema, mailboxSchema } from './mailbox.schemas';
import * as service from './mailbox.service';
import * as store from './mailbox.store';
import { loadPresets } from './mail-discovery';

const securityOptions = SMTP_SECURITY.map((v) => ({ value: v, label: SMTP_SECURITY_LABELS[v] }));
const DEFAULTS = { smtpPort: 587, smtpSecurity: 'starttls', imapPort: 993, imapTls: true, inboxFolder: 'INBOX', sentFolder: 'Sent' };

function formValues(m: store.MailboxRow) {
  return {
    displayName: m.displayName, address: m.address, smtpHost: m.smtpHost, smtpPort: m.smtpPort, smtpSecurity: m.smtpSecurity, smtpUser: m.smtpUser,
    imapHost: m.imapHost, imapPort: m.imapPort, imapTls: m.imapTls, imapUser: m.imapUser, inboxFolder: m.inboxFolder, sentFolder: m.sentFolder,
    serverSavesSent: m.serverSavesSent, plusAddressing: m.plusAddressing,
    tlsCaPem: m.tlsCaPem ?? '', smtpTlsPin: m.smtpTlsPin ?? '', imapTlsPin: m.imapTlsPin ?? '',
  };
}

/** Values typed back into a form shown again: everything but the passwords. */
function safeBody(req: Request) {
  const { smtpPassword: _s, imapPassword: _i, ...rest } = (req.body ?? {}) as Record<string, unknown>;
  req.body = rest;
}

export function mailboxRouter(deps: Deps): Router {
  const r = Router();
  const manage = [requireAuth, requireRole('referent')];
  // Checked when the app is built: a broken presets file stops the start-up, not a referent.
  const presets = loadPresets();

  const listView = async (req: Request) => {
    safeBody(req);
    return {
      title: 'Boîtes mystères',
      securityOptions,
      mailboxes: (await store.listMailboxes(deps.db, orgOf(req))).map((m) => ({
        id: m.id, displayName: m.displayName, address: m.address,
        lastCheck: m.lastCheckAt ? `${m.lastCheckOk ? 'réussi' : 'échec'} le ${formatDateTime(m.lastCheckAt)}` : 'jamais testée',
        lastCheckOk: m.lastCheckOk,
      })),
    };
  };
  r.get('/boites-mysteres', ...manage, async (req, res) => {
    // « Proposer les réglages »: ?adresse=… fills the form from what is known of the domain.
    const typed = typeof req.query.adresse === 'string' ? req.query.adresse.trim().slice(0, 254) : '';
    if (!typed) return res.render('campaigns/mailboxes', { ...(await listView(req)), values: DEFAULTS, errors: {}, assistant: null });
    const found = /^[^@\s]+@[^@\s]+$/.test(typed) ? await service.proposeSettings(deps, presets, typed) : null;
    const values = { ...DEFAULTS, address: typed.toLowerCase(), ...(found?.settings ?? {}) };
    const assistant = found
      ? { found: true, message: `Réglages proposés d’après le ${found.sourceLabel}. Vérifiez-les avec « Tester la connexion » après l’enregistrement.`, note: found.note ?? null }
      : { found: false, message: 'Aucun réglage connu pour ce domaine : remplissez les réglages ci-dessous (votre fournisseur les indique dans son aide, rubrique « configurer un logiciel de messagerie »).', note: null };
    res.render('campaigns/mailboxes', { ...(await listView(req)), values, errors: {}, assistant, collapseAdvanced: !!found });
  });
  r.post('/boites-mysteres', ...manage, validate(mailboxSchema, { view: 'campaigns/mailboxes', viewModel: async (req) => ({ ...(await listView(req)), assistant: null }) }), async (req, res) => {
    const m = await service.createMailbox(deps, orgOf(req), input(req, mailboxSchema));
    flash(res, 'success', 'La boîte mystère est enregistrée. Testez la connexion avant de lancer une campagne.');
    res.redirect(303, `/boites-mysteres/${m.id}`);
  });

  const editView = async (req: Request) => {
    safeBody(req);
    const m = await service.requireMailbox(deps, orgOf(req), uuidParam(req));
    return {
      title: `Boîte mystère ${m.address}`,
      securityOptions,
      mailbox: {
        id: m.id, address: m.address, smtpPasswordSet: !!m.smtpPasswordSealed, imapPasswordSet: !!m.imapPasswordSealed,
        lastCheck: m.lastCheckAt ? { ok: m.lastCheckOk, at: formatDateTime(m.lastCheckAt), message: m.lastCheckMessage } : null,
        // Said on the page as long as the last test found it so, not only in the test's message.
        imapCleartext: m.lastCheckImapEncrypted === false,
        // Certificates the last test could not trust, each with « Accepter ce certificat ».
        certificates: (m.lastCheckCertificates ?? []).map((c) => ({ ...c, protocolLabel: c.protocol === 'smtp' ? 'SMTP (envoi)' : 'IMAP (réception)', validTo: formatDate(new Date(c.validTo)) })),
      },
    };
  };
  r.get('/boites-mysteres/:id', ...manage, async (req, res) => {
    const vm = await editView(req);
    const m = await service.requireMailbox(deps, orgOf(req), uuidParam(req));
    res.render('campaigns/mailbox-edit', { ...vm, values: formValues(m), errors: {} });
  });
  r.post('/boites-mysteres/:id', ...manage, validate(mailboxSchema, { view: 'campaigns/mailbox-edit', viewModel: editView }), async (req, res) => {
    await service.updateMailbox(deps, orgOf(req), uuidParam(req), input(req, mailboxSchema));
    flash(res, 'success', 'La boîte mystère est modifiée.');
    res.redirect(303, `/boites-mysteres/${uuidParam(req)}`);
  });
  r.post('/boites-mysteres/:id/tester', ...manage, async (req, res) => {
    const result = await service.testMailbox(deps, orgOf(req), uuidParam(req));
    flash(res, result.ok ? 'success' : 'error', result.message);
    res.redirect(303, `/boites-mysteres/${uuidParam(req)}`);
  });
  r.post('/boites-mysteres/:id/certificat', ...manage, validate(acceptCertificateSchema), async (req, res) => {
    const { protocol, sha256 } = input(req, acceptCertificateSchema);
    try {
      await service.acceptCertificate(deps, orgOf(req), uuidParam(req), protocol, sha256);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      flash(res, 'error', Object.values(err.fieldErrors).join(' '));
      return res.redirect(303, `/boites-mysteres/${uuidParam(req)}`);
    }
    flash(res, 'success', `Certificat ${protocol.toUpperCase()} accepté (empreinte ${sha256}). Testez à nouveau la connexion.`);
    res.redirect(303, `/boites-mysteres/${uuidParam(req)}`);
  });
  r.post('/boites-mysteres/:id/supprimer', ...manage, confirmFirst(async (req) => ({
    ...CONFIRM.deleteMailbox((await service.requireMailbox(deps, orgOf(req), uuidParam(req))).address), cancelHref: `/boites-mysteres/${uuidParam(req)}`,
  })), async (req, res) => {
    try {
      await service.deleteMailbox(deps, orgOf(req), uuidParam(req));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      flash(res, 'error', Object.values(err.fieldErrors).join(' '));
      return res.redirect(303, `/boites-mysteres/${uuidParam(req)}`);
    }
    flash(res, 'success', 'La boîte mystère est supprimée.');
    res.redirect(303, '/boites-mysteres');
  });
  return r;
}
