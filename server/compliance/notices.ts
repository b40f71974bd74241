/**
 * Pure builders of what the legal pages and the processing register say, from processings.json,
 * the organisation's settings and the retention rules. The notice and the register are built by
 * the same function (`processingViews`): one source, two presentations.
 */
import type { ConformityStatus } from '../storage/schema';
import type { ProcessingsFile } from './processings';
import { effectiveDays } from './retention';

export const STATUS_LABELS: Record<ConformityStatus, string> = {
  non: 'non conforme',
  partiel: 'partiellement conforme',
  total: 'totalement conforme',
};

export interface OrgIdentity {
  code: string | null;
  name: string;
}

export interface LegalSettings {
  publisher: string;
  publicationDirector: string;
  host: string;
  contactEmail: string;
  dpoContact: string;
  retentionDays: Record<string, number>;
}

/** Empty settings fall back to sensible defaults that name the organisation. */
export function legalIdentity(org: OrgIdentity, s: Partial<LegalSettings> | null) {
  const filled = (v: string | undefined, dflt: string) => (v && v.trim() ? v.trim() : dflt);
  return {
    orgName: org.name,
    publisher: filled(s?.publisher, org.name),
    publicationDirector: filled(s?.publicationDirector, org.code ? `Le préfet ou la préfète, représentant de l’État (${org.name})` : 'Le responsable de la plateforme Qualimètre'),
    host: filled(s?.host, org.code ? `Serveurs de l’État exploités par ${org.name}` : 'Serveurs de l’exploitant de la plateforme'),
    contactEmail: filled(s?.contactEmail, ''),
    dpo: filled(s?.dpoContact, `le délégué à la protection des données de ${org.name}`),
  };
}

export interface RuleInfo {
  kind: string;
  defaultDays: number;
  minDays?: number;
}

export interface ProcessingView {
  id: string;
  name: string;
  purpose: string;
  legalBasis: string;
  subjects: string[];
  data: string[];
  notCollected: string;
  recipients: string[];
  retention: string[];
  security: string;
  transfers: string;
  rights: string;
}

/** One view per processing, retention durations filled in; used by the notices AND the register. */
export function processingViews(file: ProcessingsFile, rules: RuleInfo[], settings: Partial<LegalSettings> | null, dpo: string): ProcessingView[] {
  const byKind = new Map(rules.map((r) => [r.kind, r]));
  return file.processings.map((p) => ({
    id: p.id,
    name: p.name,
    purpose: p.purpose,
    legalBasis: file.legalBasis,
    subjects: p.subjects,
    data: p.data,
    notCollected: p.notCollected,
    recipients: p.recipients,
    retention: p.retention.map((r) => {
      if (!r.kind) return r.text;
      const rule = byKind.get(r.kind);
      // A kind whose module is not installed yet keeps its text without a figure.
      const days = rule ? effectiveDays(rule, settings?.retentionDays) : null;
      return days == null
        ? r.text.replace('{days} jours', 'dans un délai fixé par l’organisation')
        : r.text.replace('{days}', new Intl.NumberFormat('fr-FR').format(days));
    }),
    security: p.security,
    transfers: 'Aucun transfert hors de l’Union européenne.',
    rights: file.rights.replace('{dpo}', dpo),
  }));
}

/** The register as rows (CSV/PDF): one per processing, the columns of art. 30 GDPR. */
export const REGISTER_COLUMNS = [
  'Traitement', 'Responsable', 'Finalité', 'Base légale', 'Personnes concernées', 'Données',
  'Destinataires', 'Transferts hors UE', 'Durées de conservation', 'Mesures de sécurité',
] as const;

export function registerRows(views: ProcessingView[], controller: string): string[][] {
  return views.map((v) => [
    v.name, controller, v.purpose, v.legalBasis, v.subjects.join(' ; '), v.data.join(' ; '),
    v.recipients.join(' ; '), v.transfers, v.retention.join(' ; '), v.security,
  ]);
}

export function statusLabel(status: ConformityStatus | null | undefined): string {
  return STATUS_LABELS[status ?? 'non'];
}
