/**
 * The registry of retention rules: one per kind of personal data. Each rule has a default
 * duration (an organisation may override it in its compliance settings), a French label shown
 * in the settings and notices, and a purge that erases or anonymises what is past it while
 * keeping every figure (counts, classes, marks). The daily job `compliance.retention` runs
 * every registered rule for every organisation.
 *
 * A feature plugs its own kind in by calling `registerRetentionRule` from a module imported by
 * `retention.rules.ts` (the complaints register: kind `complaints.contact`, already named in
 * processings.json). A purge must be safe to run twice and must filter on the organisation.
 */
import type { Db } from '../storage/db';

export interface RetentionContext {
  db: Db;
  now: Date;
}

export interface RetentionRule {
  /** Stable key, used in processings.json (`retention[].kind`) and in the settings. */
  kind: string;
  /** French, for the settings form. */
  label: string;
  defaultDays: number;
  minDays?: number;
  /** Erases or anonymises this organisation's data of this kind older than `days`; returns how many rows changed. */
  purge(ctx: RetentionContext, orgId: string, days: number): Promise<number>;
}

const rules = new Map<string, RetentionRule>();

export function registerRetentionRule(rule: RetentionRule): void {
  if (rules.has(rule.kind)) throw new Error(`retention rule ${rule.kind} registered twice`);
  rules.set(rule.kind, rule);
}

export function retentionRules(): RetentionRule[] {
  return [...rules.values()];
}

export function retentionRule(kind: string): RetentionRule | undefined {
  return rules.get(kind);
}

/** The duration that applies to an organisation: its setting, else the rule's default. */
export function effectiveDays(rule: Pick<RetentionRule, 'kind' | 'defaultDays' | 'minDays'>, settings: Record<string, number> | undefined): number {
  const v = settings?.[rule.kind];
  if (typeof v !== 'number' || !Number.isInteger(v)) return rule.defaultDays;
  return Math.max(v, rule.minDays ?? 1);
}

/** A date `days` whole days before `now`. */
export function cutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
