/**
 * `npx tsx scripts/bench-classifier.ts [--corpus DIR]... [--own] [--list all|errors|none]`
 *
 * Measures the reply classifier on labelled third-party mail (default `../shared/mail-corpora`
 * from the repository root; `--corpus DIR`, repeatable, reads others instead): every folder holding a `manifest.json`
 * (`items[]` with `file` and `expect.group`, see that folder's README) is read in place, never
 * copied. Each message goes through the tracker's own entry point (`parseReply`: mailparser
 * with CLASSIFIER_PARSER_OPTIONS, the adapter with raw salvage) and `classifyReply` as for a
 * message the tracker linked to a probe (the worst case for telling automatic mail from a
 * person's answer). A leading mbox `From ` line, an artefact of storage, is dropped first.
 *
 * `--own` adds the project's labelled patterns (`test/fixtures/eml/patterns/manifest.json`),
 * reported apart: they are our own writing, not third-party mail.
 *
 * Prints a confusion table (expected group × detected class), the figures of issue #12 and the
 * misclassified files with the reason.
 *
 * Figures:
 * - bounce recall = bounce items detected as bounces / bounce items;
 * - bounce precision = bounce items detected as bounces / every item detected as a bounce;
 * - hard bounces reported permanent = `expect.kind: failed` items with bounce kind 'failed';
 * - failed recipient = bounces whose reported failed recipient is the address the original
 *   message was sent to; the reference is read by this script from the original's headers
 *   returned in a MIME part (`To:` of message/rfc822 or text/rfc822-headers, one address), or
 *   from `expect.recipient` when a manifest gives it; bounces without either are not counted;
 * - automatic vs person = automatic items read as acknowledgement/out of office, and answer
 *   items read as answers, over both;
 * - quoted history = items with `expect.newText` (strings the new text must contain) and
 *   `expect.quoted` (strings of the history it must not contain) that satisfy both.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { classifyReply, type ReplyClassification, type ReplyInput } from '../server/campaigns/classification/reply-classifier';
import { parseReply } from '../server/campaigns/tracking/ingest';

export type ExpectGroup = 'bounce' | 'automatic' | 'other-report' | 'not-bounce' | 'answer' | 'unrelated';

export interface ManifestItem {
  file: string;
  expect: {
    group: ExpectGroup | string;
    kind?: 'failed' | 'delayed';
    recipient?: string;
    /** For automatic items: 'acknowledgement' | 'out_of_office' when the label says which. */
    class?: string;
    newText?: string[];
    quoted?: string[];
    note?: string;
  };
}

export interface BenchResult {
  corpus: string;
  file: string;
  expect: ManifestItem['expect'];
  detected: string;
  classification: ReplyClassification | null;
  referenceRecipient: string | null;
  errors: string[];
}

const ROOT = path.resolve(__dirname, '..');

/** Drops a leading mbox "From " separator line (not part of the message). */
export function stripMboxLine(raw: Buffer): Buffer {
  if (raw.subarray(0, 5).toString('latin1') !== 'From ') return raw;
  const nl = raw.indexOf(10);
  return nl < 0 ? raw : raw.subarray(nl + 1);
}

function toAddressesOfHeaderBlock(content: string): string[] {
  const head = content.replace(/\r\n?/g, '\n').split(/\n\n/)[0];
  const unfolded = head.replace(/\n[ \t]+/g, ' ');
  const to = /^to[ \t]*:(.*)$/im.exec(unfolded);
  if (!to) return [];
  return Array.from(new Set((to[1].match(/[A-Za-z0-9._%+'=\/-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g) ?? []).map((a) => a.toLowerCase())));
}

/** The address the original message went to, from its headers returned in a MIME part. */
export function referenceRecipient(input: ReplyInput): string | null {
  for (const a of input.attachments ?? []) {
    if (!/^(?:message\/(?:rfc822|global|global-headers)|text\/rfc822-headers)$/i.test(a.contentType) || !a.content) continue;
    const to = toAddressesOfHeaderBlock(a.content);
    if (to.length === 1) return to[0];
    if (to.length > 1) return null;
  }
  return null;
}

function detectedLabel(c: ReplyClassification | null): string {
  if (!c) return 'parse-error';
  return c.class === 'bounce' ? `bounce:${c.bounce?.kind ?? '?'}` : c.class;
}

function errorsOf(item: ManifestItem, c: ReplyClassification | null, reference: string | null): string[] {
  const e: string[] = [];
  const g = item.expect.group;
  const cls = c?.class ?? 'parse-error';
  if (g === 'bounce') {
    if (cls !== 'bounce') e.push(`delivery failure read as ${cls}`);
    else if (item.expect.kind === 'failed' && c!.bounce?.kind !== 'failed') e.push(`hard bounce reported as ${c!.bounce?.kind}`);
    if (cls === 'bounce' && reference && c!.bounce?.failedRecipient !== reference) {
      e.push(`failed recipient ${c!.bounce?.failedRecipient ?? 'none'} instead of ${reference}`);
    }
  } else if (g === 'automatic') {
    if (cls !== 'acknowledgement' && cls !== 'out_of_office') e.push(`automatic reply read as ${cls}`);
    else if (item.expect.class && item.expect.class !== cls) e.push(`automatic reply read as ${cls}, labelled ${item.expect.class}`);
  } else if (g === 'other-report') {
    if (cls === 'answer') e.push('report read as an answer');
    if (cls === 'bounce') e.push(`report read as a bounce (${c!.bounce?.kind})`);
  } else if (g === 'not-bounce') {
    if (cls === 'bounce') e.push('ordinary message read as a bounce');
  } else if (g === 'answer') {
    if (cls !== 'answer') e.push(`person's answer read as ${cls}`);
  } else if (g === 'unrelated' || g === 'acknowledgement' || g === 'out_of_office') {
    // Groups named after a class (fixtures exported from a referent's verdict).
    if (cls !== g) e.push(`${g} read as ${cls}`);
  }
  if (c && (item.expect.newText?.length || item.expect.quoted?.length)) {
    const missing = (item.expect.newText ?? []).filter((s) => !c.answerText.includes(s));
    const kept = (item.expect.quoted ?? []).filter((s) => c.answerText.includes(s));
    if (missing.length) e.push(`new text lost: ${missing.map((s) => JSON.stringify(s.slice(0, 40))).join(', ')}`);
    if (kept.length) e.push(`quoted history kept: ${kept.map((s) => JSON.stringify(s.slice(0, 40))).join(', ')}`);
  }
  return e;
}

/** Classifies one raw message the way the tracker does. */
export async function classifyRaw(raw: Buffer): Promise<{ input: ReplyInput | null; classification: ReplyClassification | null }> {
  const { input } = await parseReply(stripMboxLine(raw));
  if (!input) return { input, classification: null };
  return { input, classification: classifyReply(input, { isLinkedToProbe: true }) };
}

/** Every folder under `dir` (itself included) that holds a manifest.json. */
export function findCorpora(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  if (existsSync(path.join(dir, 'manifest.json'))) out.push(dir);
  for (const name of readdirSync(dir)) {
    const sub = path.join(dir, name);
    if (statSync(sub).isDirectory() && existsSync(path.join(sub, 'manifest.json'))) out.push(sub);
  }
  return out;
}

export async function runCorpus(dir: string): Promise<BenchResult[]> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { items: ManifestItem[] };
  const results: BenchResult[] = [];
  for (const item of manifest.items) {
    const raw = readFileSync(path.join(dir, item.file));
    const { input, classification } = await classifyRaw(raw);
    const reference = item.expect.recipient?.toLowerCase() ?? (input && item.expect.group === 'bounce' ? referenceRecipient(input) : null);
    results.push({
      corpus: path.basename(dir), file: item.file, expect: item.expect, detected: detectedLabel(classification), classification,
      referenceRecipient: reference, errors: errorsOf(item, classification, reference),
    });
  }
  return results;
}

export interface Figure {
  label: string;
  num: number;
  den: number;
  target: number | null;
  /** 'max' when the figure must stay at least the target, as the others. */
}

export function figures(results: readonly BenchResult[]): Figure[] {
  const isBounce = (r: BenchResult) => r.classification?.class === 'bounce';
  const bounces = results.filter((r) => r.expect.group === 'bounce');
  const detected = results.filter(isBounce);
  const hard = bounces.filter((r) => r.expect.kind === 'failed');
  const withRef = bounces.filter((r) => r.referenceRecipient);
  const autoOrAnswer = results.filter((r) => r.expect.group === 'automatic' || r.expect.group === 'answer');
  const quoted = results.filter((r) => r.expect.newText?.length || r.expect.quoted?.length);
  return [
    { label: 'bounce recall (delivery failures recognised as bounces)', num: bounces.filter(isBounce).length, den: bounces.length, target: 0.99 },
    { label: 'bounce precision', num: detected.filter((r) => r.expect.group === 'bounce').length, den: detected.length, target: 0.995 },
    { label: 'hard bounce reported as permanent (« adresse invalide »)', num: hard.filter((r) => r.classification?.bounce?.kind === 'failed').length, den: hard.length, target: 0.99 },
    {
      label: 'failed recipient: the address the probe went to',
      num: withRef.filter((r) => r.classification?.bounce?.failedRecipient === r.referenceRecipient).length,
      den: withRef.length,
      target: 0.9,
    },
    {
      label: "automatic reply vs a person's answer",
      num: autoOrAnswer.filter((r) => (r.expect.group === 'answer' ? r.classification?.class === 'answer' : ['acknowledgement', 'out_of_office'].includes(r.classification?.class ?? ''))).length,
      den: autoOrAnswer.length,
      target: 0.97,
    },
    {
      label: 'quoted history removed, the new text kept whole',
      num: quoted.filter((r) => !r.errors.some((e) => e.startsWith('new text lost') || e.startsWith('quoted history kept'))).length,
      den: quoted.length,
      target: 0.92,
    },
  ];
}

function pct(num: number, den: number): string {
  return den === 0 ? '   n/a' : `${((100 * num) / den).toFixed(1).padStart(5)} %`;
}

const COLUMNS = ['bounce:failed', 'bounce:delayed', 'acknowledgement', 'out_of_office', 'answer', 'unrelated', 'parse-error'];

function rowKey(r: BenchResult): string {
  return r.expect.group === 'bounce' && r.expect.kind ? `bounce (${r.expect.kind})` : r.expect.group;
}

export function report(title: string, results: readonly BenchResult[], list: 'all' | 'errors' | 'none'): { lines: string[]; met: boolean } {
  const lines: string[] = [`== ${title}: ${results.length} messages`, ''];
  const rows = Array.from(new Set(results.map(rowKey))).sort();
  const w = 18;
  lines.push(`${'expected \\ detected'.padEnd(w)}${COLUMNS.map((c) => c.padStart(16)).join('')}`);
  for (const row of rows) {
    const rs = results.filter((r) => rowKey(r) === row);
    lines.push(`${row.padEnd(w)}${COLUMNS.map((c) => String(rs.filter((r) => r.detected === c).length || '.').padStart(16)).join('')}`);
  }
  lines.push('');
  let met = true;
  for (const f of figures(results)) {
    const ok = f.den === 0 || f.target === null || f.num / f.den >= f.target;
    if (!ok) met = false;
    const target = f.target === null ? '' : `target ≥ ${(f.target * 100).toFixed(1)} %`;
    lines.push(`${f.label.padEnd(58)} ${pct(f.num, f.den)}  (${f.num}/${f.den})  ${target}${f.den === 0 ? '  (no labelled item)' : ok ? '' : '  ** BELOW TARGET **'}`);
  }
  const shown = list === 'all' ? results : list === 'errors' ? results.filter((r) => r.errors.length) : [];
  if (shown.length) {
    lines.push('', list === 'all' ? 'every message:' : 'misclassified:');
    for (const r of shown) {
      const why = r.classification ? r.classification.reasons.join(', ') : 'parse error';
      lines.push(`  ${r.file}  expected ${rowKey(r)}, detected ${r.detected}${r.errors.length ? ` — ${r.errors.join('; ')}` : ''}`);
      lines.push(`      reasons: ${why}`);
    }
  }
  return { lines, met };
}

export interface BenchOptions {
  corpora: string[];
  own: boolean;
  list: 'all' | 'errors' | 'none';
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const corpora: string[] = [];
  let own = false;
  let list: BenchOptions['list'] = 'errors';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--corpus') corpora.push(path.resolve(argv[++i] ?? ''));
    else if (a === '--own') own = true;
    else if (a === '--list') list = (argv[++i] as BenchOptions['list']) ?? 'errors';
    else throw new Error(`unknown argument ${a}`);
  }
  if (!['all', 'errors', 'none'].includes(list)) throw new Error('--list takes all, errors or none');
  if (corpora.length === 0) corpora.push(path.resolve(ROOT, '..', 'shared', 'mail-corpora'));
  return { corpora, own, list };
}

/** Runs the benchmark; returns true when every figure measured meets its target. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<boolean> {
  const opts = parseArgs(argv);
  const dirs = opts.corpora.flatMap(findCorpora);
  if (dirs.length === 0) throw new Error(`no manifest.json under ${opts.corpora.join(', ')}`);
  const all: BenchResult[] = [];
  for (const d of dirs) all.push(...(await runCorpus(d)));
  const out = report(`third-party corpora (${dirs.map((d) => path.relative(ROOT, d)).join(', ')})`, all, opts.list);
  let met = out.met;
  console.log(out.lines.join('\n'));
  if (opts.own) {
    const ownDir = path.join(ROOT, 'test', 'fixtures', 'eml', 'patterns');
    const own = report('own labelled patterns (test/fixtures/eml/patterns, written for this project)', await runCorpus(ownDir), opts.list);
    met &&= own.met;
    console.log(`\n${own.lines.join('\n')}`);
  }
  return met;
}

if (require.main === module) {
  main().then(
    (met) => process.exit(met ? 0 : 1),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(2);
    },
  );
}
