/**
 * What the public legal pages (accessibility statement, legal notices, personal data) and the
 * referent's compliance pages show, for one organisation or, without one, for the platform.
 */
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { formatDate, formatDateTime, formatNumber } from '../format';
import * as orgStore from '../org/org.store';
import type { ConformityStatus } from '../storage/schema';
import * as store from './compliance.store';
import { legalIdentity, processingViews, registerRows, statusLabel, type OrgIdentity } from './notices';
import { complianceData } from './processings';
import { effectiveDays, retentionRules } from './retention';
import './retention.rules';

type Ctx = Pick<Deps, 'db' | 'clock'>;

export interface PageOrg extends OrgIdentity {
  id: string | null;
}

const PLATFORM: PageOrg = { id: null, code: null, name: 'Qualimètre' };

/** The organisation a legal page is about: the one named in the URL, else the signed-in user's, else the platform. */
export async function pageOrg(ctx: Ctx, code: string | undefined, principalOrgId: string | null | undefined): Promise<PageOrg> {
  if (code !== undefined) {
    if (!/^[0-9A-Za-z-]{1,10}$/.test(code)) throw notFound('Organisation');
    const org = await orgStore.findOrgByCode(ctx.db, code);
    if (!org) throw notFound('Organisation');
    return { id: org.id, code: org.code, name: org.name };
  }
  if (principalOrgId) {
    const org = await orgStore.getOrg(ctx.db, principalOrgId);
    if (org) return { id: org.id, code: org.code, name: org.name };
  }
  return PLATFORM;
}

// The footer reads the statement's status on every page: cached briefly per organisation (a
// save clears this process's entry; another instance sees it within the TTL).
const FOOTER_TTL_MS = 60_000;
const footerCache = new Map<string, { status: ConformityStatus; at: number }>();

export interface FooterModel {
  suffix: string;
  accessibility: string;
}

export async function footerModel(ctx: Ctx, org: { id: string | null; code: string | null }): Promise<FooterModel> {
  const suffix = org.code ? `/${encodeURIComponent(org.code)}` : '';
  if (!org.id) return { suffix, accessibility: statusLabel('non') };
  const hit = footerCache.get(org.id);
  const now = Date.now();
  if (hit && now - hit.at < FOOTER_TTL_MS) return { suffix, accessibility: statusLabel(hit.status) };
  const st = await store.latestStatement(ctx.db, org.id);
  const status = st?.status ?? 'non';
  footerCache.set(org.id, { status, at: now });
  return { suffix, accessibility: statusLabel(status) };
}

export async function footerFor(ctx: Ctx, orgId: string): Promise<FooterModel> {
  const org = await orgStore.getOrg(ctx.db, orgId);
  return footerModel(ctx, org ? { id: org.id, code: org.code } : { id: null, code: null });
}

async function identity(ctx: Ctx, org: PageOrg) {
  const s = org.id ? await store.getSettings(ctx.db, org.id) : null;
  return { settings: s, id: legalIdentity(org, s) };
}

export async function legalNoticeModel(ctx: Ctx, org: PageOrg) {
  const { id } = await identity(ctx, org);
  return { org, legal: id };
}

export async function noticesModel(ctx: Ctx, org: PageOrg) {
  const { settings, id } = await identity(ctx, org);
  const data = complianceData();
  return { org, legal: id, processings: processingViews(data.processings, retentionRules(), settings, id.dpo) };
}

export async function statementModel(ctx: Ctx, org: PageOrg, version?: number) {
  const { id } = await identity(ctx, org);
  const st = org.id ? (version ? await store.getStatementVersion(ctx.db, org.id, version) : await store.latestStatement(ctx.db, org.id)) : null;
  if (version && !st) throw notFound('Version de la déclaration');
  const history = org.id ? await store.listStatements(ctx.db, org.id) : [];
  return {
    org,
    legal: id,
    statusLabel: statusLabel(st?.status),
    rate: st?.rate != null ? `${formatNumber(st.rate, st.rate % 1 ? 1 : 0)} %` : null,
    auditDate: st?.auditDate ? formatDate(st.auditDate) : null,
    auditor: st?.auditor || null,
    pagesAudited: lines(st?.pagesAudited),
    nonAccessible: lines(st?.nonAccessible),
    contact: st?.contact || id.contactEmail || null,
    version: st?.version ?? null,
    publishedAt: st ? formatDate(st.createdAt) : null,
    isLatest: !version || version === history[0]?.version,
    history: history.map((h) => ({ version: h.version, label: `Version ${h.version} du ${formatDateTime(h.createdAt)} (${statusLabel(h.status)}), par ${h.createdByName}` })),
    manualChecks: complianceData().checks,
  };
}

const lines = (s: string | null | undefined) => (s ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

// The referent's side ---------------------------------------------------------------------

export async function settingsModel(ctx: Ctx, orgId: string) {
  const s = await store.getSettings(ctx.db, orgId);
  const st = await store.latestStatement(ctx.db, orgId);
  const runs = await store.lastRetentionRuns(ctx.db, orgId);
  return {
    settings: {
      publisher: s?.publisher ?? '', publicationDirector: s?.publicationDirector ?? '', host: s?.host ?? '',
      contactEmail: s?.contactEmail ?? '', dpoContact: s?.dpoContact ?? '',
    },
    retention: retentionRules().map((r) => ({ kind: r.kind, label: r.label, value: effectiveDays(r, s?.retentionDays), defaultDays: r.defaultDays, minDays: r.minDays ?? 1 })),
    statement: {
      status: st?.status ?? 'non', rate: st?.rate != null ? String(st.rate) : '', auditDate: st?.auditDate ?? '', auditor: st?.auditor ?? '',
      pagesAudited: st?.pagesAudited ?? '', nonAccessible: st?.nonAccessible ?? '', contact: st?.contact ?? '',
    },
    runs: runs.map((r) => ({ kind: r.kind, purged: formatNumber(r.purged), at: formatDateTime(r.ranAt) })),
  };
}

export async function saveSettings(ctx: Ctx, orgId: string, userId: string | null, v: { publisher: string; publicationDirector: string; host: string; contactEmail: string; dpoContact: string; retention: Record<string, number> }) {
  const retentionDays: Record<string, number> = {};
  for (const r of retentionRules()) {
    const days = v.retention[r.kind];
    if (days !== undefined && days !== r.defaultDays) retentionDays[r.kind] = Math.max(days, r.minDays ?? 1);
  }
  await store.saveSettings(ctx.db, orgId, {
    publisher: v.publisher, publicationDirector: v.publicationDirector, host: v.host, contactEmail: v.contactEmail, dpoContact: v.dpoContact,
    retentionDays, updatedBy: userId,
  });
}

export async function saveStatement(ctx: Ctx, orgId: string, user: { id: string | null; name: string }, v: {
  status: ConformityStatus; rate: number | null; auditDate: string | null; auditor: string; pagesAudited: string; nonAccessible: string; contact: string;
}) {
  const row = await store.insertStatement(ctx.db, orgId, { ...v, createdBy: user.id, createdByName: user.name });
  footerCache.delete(orgId);
  return row.version;
}

export async function registerModel(ctx: Ctx, orgId: string) {
  const org = await orgStore.getOrg(ctx.db, orgId);
  if (!org) throw notFound();
  const m = await noticesModel(ctx, { id: org.id, code: org.code, name: org.name });
  const controller = `${m.legal.publisher} — représenté par ${m.legal.publicationDirector} ; DPO : ${m.legal.dpo}`;
  return { ...m, controller, rows: registerRows(m.processings, controller), producedAt: formatDateTime(ctx.clock.now()) };
}

/**
 * What the kiosk's « Informations » panel and a public link's footer show: the same statement,
 * legal notice and survey notice as the pages, embedded in the page (a kiosk never leaves it).
 */
export async function surveyPageInfo(ctx: Ctx, orgId: string) {
  const o = await orgStore.getOrg(ctx.db, orgId);
  if (!o) throw notFound();
  const org: PageOrg = { id: o.id, code: o.code, name: o.name };
  const [statement, notices, footer] = await Promise.all([statementModel(ctx, org), noticesModel(ctx, org), footerModel(ctx, org)]);
  return { statement, legal: notices.legal, notice: notices.processings.find((p) => p.id === 'enquetes-satisfaction')!, footer };
}
