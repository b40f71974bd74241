/**
 * The report model: what every output of a report prints (screen preview, print view, PDF,
 * poster, public page, CSV/XLSX of the tables, JSON). Built once per request by
 * report.service.ts from SQL counts; the views only lay it out.
 */
import type { ReportComparison, ReportSection } from '../storage/schema';
import type { ReportRow } from './metrics';
import type { Period } from './period';

export interface SiteBreakdown {
  siteId: string;
  siteName: string;
  rows: ReportRow[];
}

export interface TrendFigure {
  period: Period;
  label: string;
  value: number | null;
  display: string;
  n: number;
}

/** One table of a section: one line per item or indicator. */
export interface ReportBlock {
  /** Stable key, also the key of the referent's comment: `satisfaction:<survey>`, `email`, `phone`. */
  key: string;
  title: string;
  /** Line under the title: number of answer sets, calls, messages. */
  subtitle: string | null;
  rows: ReportRow[];
  /** The item or indicator followed by the trend chart, and its figures per period. */
  trendLabel: string | null;
  trend: TrendFigure[];
  /** Inline SVG built by charts.ts (all text escaped). */
  charts: { bars: string | null; trend: string | null };
  bySite: SiteBreakdown[];
  /** Findings listed rather than counted (e.g. bounced addresses). */
  findings: { title: string; items: string[] } | null;
  comment: string;
}

export interface ReportSectionModel {
  id: ReportSection;
  title: string;
  /** Why the section has no table (no data, feature not wired); null when it has one. */
  unavailable: string | null;
  blocks: ReportBlock[];
  /** Definitions and settings printed in the methods part of the bilan. */
  methods: string[];
  /** A table of text rather than figures (the action plan); absent for figure sections. */
  table?: { caption: string; headers: string[]; rows: { overdue: boolean; cells: string[] }[] } | null;
}

export interface ReportModel {
  id: string;
  title: string;
  org: { id: string; code: string; name: string; holidayZone: string; holidayZoneLabel: string };
  period: Period;
  periodLabel: string;
  periodShort: string;
  comparison: { kind: ReportComparison; label: string; period: Period; periodLabel: string; periodShort: string } | null;
  producedAt: string;
  producedAtLabel: string;
  minCellSize: number;
  sections: ReportSectionModel[];
  improvements: string[];
  /** General methods (definitions common to every section). */
  methods: string[];
}
