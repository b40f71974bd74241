/**
 * The complaints register's personal data in the compliance registry (server/compliance/):
 * retention kind `complaints.contact`, the complainant's name, e-mail, phone and address
 * (typed in by a referent or left on the hall form), erased a number of days after the
 * complaint is closed (its answer date; its receipt date while unanswered, so an entry never
 * answered does not keep them for ever). The entry, its dates, delay and figures stay.
 * The duration is the organisation's setting (Conformité → durées de conservation), else
 * the default below; the daily job `compliance.retention` runs the purge and records it, and
 * the personal-data notice and the processing register (processings.json, « reclamations »)
 * print the same duration.
 */
import { registerRetentionRule } from '../compliance/retention';
import { purgeContactDetails } from './complaint.service';

export const COMPLAINT_RETENTION_KIND = 'complaints.contact';
/** Two years, the register's former platform-wide default (24 months). */
export const COMPLAINT_RETENTION_DEFAULT_DAYS = 730;

registerRetentionRule({
  kind: COMPLAINT_RETENTION_KIND,
  label: 'Suggestions et réclamations : coordonnées des usagers, en jours après la réponse (ou la réception tant qu’il n’y a pas de réponse)',
  defaultDays: COMPLAINT_RETENTION_DEFAULT_DAYS,
  minDays: 30,
  async purge(ctx, orgId, days) {
    return purgeContactDetails(ctx, orgId, days);
  },
});
