/**
 * Rights requests (GDPR art. 15 and 17): find everything held about a person by e-mail address
 * or name, export it (JSON, readable PDF), erase or anonymise it. Every action is recorded
 * (who, when, what, how many rows). Each kind of holding is a `SubjectSource`; features with
 * personal data register theirs (`registerSubjectSource`), like the retention rules.
 * Erasure never removes what a figure counts (see personal-data.store.ts).
 */
import { z } from 'zod';
import type { Deps } from '../deps';
import type { Db } from '../storage/db';
import { formatDateTime } from '../format';
import * as store from './compliance.store';
import * as pd from './personal-data.store';

export const subjectQuerySchema = z.object({
  email: z.string().trim().max(200).optional().transform((v) => v || undefined)
    .refine((v) => v === undefined || /^[^\s@]+@[^\s@]+$/.test(v), 'Adresse électronique invalide.'),
  // Three characters at least: a name is searched inside message texts.
  name: z.string().trim().max(200).optional().transform((v) => v || undefined)
    .refine((v) => v === undefined || v.length >= 3, 'Au moins 3 caractères.'),
}).refine((q) => q.email || q.name, { message: 'Indiquez une adresse électronique ou un nom.', path: ['email'] });

export type SubjectQuery = z.infer<typeof subjectQuerySchema>;

export interface SubjectItem {
  id: string;
  /** French lines for the screen and the PDF. */
  summary: string[];
  data: Record<string, unknown>;
}

export interface SubjectSource {
  key: string;
  label: string;
  /** What erasure does, in French. */
  erasure: string;
  find(db: Db, orgId: string, q: SubjectQuery): Promise<SubjectItem[]>;
  erase(db: Db, orgId: string, ids: string[], now: Date): Promise<number>;
}

const sources = new Map<string, SubjectSource>();

export function registerSubjectSource(s: SubjectSource): void {
  if (sources.has(s.key)) throw new Error(`subject source ${s.key} registered twice`);
  sources.set(s.key, s);
}

/**
 * A source whose items are the rows of one store query, each row's fields kept as its data and
 * summed up in French lines for the screen and the PDF.
 */
export function rowsSource<R extends { id: string }>(s: Omit<SubjectSource, 'find'> & {
  rows(db: Db, orgId: string, q: SubjectQuery): Promise<R[]>;
  summary(row: R): string[];
}): SubjectSource {
  return {
    key: s.key, label: s.label, erasure: s.erasure, erase: s.erase,
    async find(db, orgId, q) {
      return (await s.rows(db, orgId, q)).map((row) => ({ id: row.id, summary: s.summary(row), data: row as unknown as Record<string, unknown> }));
    },
  };
}

registerSubjectSource(rowsSource({
  key: 'comptes',
  label: 'Comptes d’agents',
  erasure: 'Le compte est désactivé et anonymisé (nom, adresse, mot de passe, sessions, jetons) ; les appels notés et les corrections restent comptés.',
  rows: pd.findUsers,
  summary: (u) => [`${u.displayName} <${u.email}>, rôle ${u.role}${u.active ? '' : ' (désactivé)'}`,
    `Créé le ${formatDateTime(u.createdAt)} ; dernière connexion : ${u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'jamais'}`,
    `Appels évalués : ${u.evaluatedCalls} ; corrections de courriels : ${u.corrections}`],
  erase: (db, orgId, ids) => pd.anonymiseUsers(db, orgId, ids),
}));

registerSubjectSource(rowsSource({
  key: 'reponses-courriels',
  label: 'Réponses reçues lors des courriels mystères (agents)',
  erasure: 'L’adresse, l’objet, le texte et le message brut sont effacés ; la classe, les dates et les éléments de signature (oui/non) restent comptés.',
  rows: pd.findReplies,
  summary: (r) => [`Reçue le ${formatDateTime(r.receivedAt)}${r.campaign ? `, campagne « ${r.campaign} »` : ''}, de ${r.fromAddress ?? '(adresse effacée)'}`,
    `Objet : ${r.subject ?? '(effacé)'}`, `Texte : ${r.text ?? '(effacé)'}`],
  erase: (db, orgId, ids, now) => pd.eraseReplies(db, orgId, ids, now),
}));

export interface SubjectResult {
  subject: string;
  sources: { key: string; label: string; erasure: string; items: SubjectItem[] }[];
  total: number;
}

const describe = (q: SubjectQuery) => [q.email, q.name].filter(Boolean).join(' / ');

async function gather(db: Db, orgId: string, q: SubjectQuery): Promise<SubjectResult> {
  const found = [];
  for (const s of sources.values()) found.push({ key: s.key, label: s.label, erasure: s.erasure, items: await s.find(db, orgId, q) });
  return { subject: describe(q), sources: found, total: found.reduce((n, s) => n + s.items.length, 0) };
}

const countsOf = (r: SubjectResult) => Object.fromEntries(r.sources.map((s) => [s.key, s.items.length]));

type Actor = { id: string | null; name: string };

export async function search(deps: Pick<Deps, 'db'>, orgId: string, actor: Actor, q: SubjectQuery): Promise<SubjectResult> {
  const r = await gather(deps.db, orgId, q);
  await store.recordRightsAction(deps.db, orgId, { action: 'search', subject: r.subject, counts: countsOf(r), userId: actor.id, userName: actor.name });
  return r;
}

export async function exportData(deps: Pick<Deps, 'db' | 'clock'>, orgId: string, actor: Actor, q: SubjectQuery) {
  const r = await gather(deps.db, orgId, q);
  await store.recordRightsAction(deps.db, orgId, { action: 'export', subject: r.subject, counts: countsOf(r), userId: actor.id, userName: actor.name });
  return {
    subject: r.subject,
    producedAt: deps.clock.now().toISOString(),
    producedAtLabel: formatDateTime(deps.clock.now()),
    sources: r.sources.map((s) => ({ key: s.key, label: s.label, items: s.items })),
    total: r.total,
  };
}

/** Erases what the same search finds now, source by source; the actor's own account is left out. */
export async function erase(deps: Pick<Deps, 'db' | 'clock'>, orgId: string, actor: Actor, q: SubjectQuery): Promise<Record<string, number>> {
  const r = await gather(deps.db, orgId, q);
  const counts: Record<string, number> = {};
  for (const s of r.sources) {
    const source = sources.get(s.key)!;
    const ids = s.items.map((i) => i.id).filter((id) => !(s.key === 'comptes' && id === actor.id));
    counts[s.key] = await source.erase(deps.db, orgId, ids, deps.clock.now());
  }
  await store.recordRightsAction(deps.db, orgId, { action: 'erase', subject: r.subject, counts, userId: actor.id, userName: actor.name });
  return counts;
}

export async function history(deps: Pick<Deps, 'db'>, orgId: string) {
  const labels = { search: 'Recherche', export: 'Export', erase: 'Effacement' } as const;
  return (await store.listRightsActions(deps.db, orgId)).map((a) => ({
    at: formatDateTime(a.createdAt), who: a.userName, action: labels[a.action], subject: a.subject,
    counts: Object.entries(a.counts).map(([k, n]) => `${sources.get(k)?.label ?? k} : ${n}`).join(' ; '),
  }));
}
