/**
 * The built-in retention rules (see retention.ts for the registry). Importing this module
 * registers them; features with their own personal data add an import line below.
 */
import { cutoff, registerRetentionRule, retentionRules } from './retention';
import * as pd from './personal-data.store';

registerRetentionRule({
  kind: 'mail.agent-identity',
  label: 'Courriels mystères : identité des agents (adresse, texte et signature des réponses), en jours après la fin de la campagne',
  defaultDays: 90,
  async purge(ctx, orgId, days) {
    return pd.eraseAgentIdentityAfterCampaign(ctx.db, orgId, cutoff(ctx.now, days), ctx.now);
  },
});

registerRetentionRule({
  kind: 'accounts.inactive',
  label: 'Comptes inactifs : anonymisés après ce nombre de jours sans connexion',
  defaultDays: 365,
  minDays: 30,
  async purge(ctx, orgId, days) {
    return pd.anonymiseUsers(ctx.db, orgId, await pd.inactiveUserIds(ctx.db, orgId, cutoff(ctx.now, days)));
  },
});

registerRetentionRule({
  kind: 'logs',
  label: 'Journaux : invitations échues, sessions expirées, traces des tâches techniques (jours)',
  defaultDays: 30,
  async purge(ctx, orgId, days) {
    return pd.purgeInvitations(ctx.db, orgId, cutoff(ctx.now, days));
  },
});

registerRetentionRule({
  kind: 'rights.log',
  label: 'Trace des demandes d’exercice des droits (jours)',
  defaultDays: 5 * 365,
  minDays: 365,
  async purge(ctx, orgId, days) {
    return pd.purgeRightsActions(ctx.db, orgId, cutoff(ctx.now, days));
  },
});

// Features with their own personal data register here.
import '../complaints/complaints.retention'; // kind 'complaints.contact'

export { retentionRules };
