/**
 * Pages of targets and monthly values: the catalogue with national and own targets, typing a
 * month's values, an indicator's history, and file imports (upload → mapping and preview with
 * the per-line error report → store or abandon).
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { formatDateTime, formatNumber } from '../format';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { IMPORT_KINDS } from '../storage/schema';
import { SOURCE_LABELS, UNIT_LABELS, indicatorCatalogue, type Indicator } from './catalogue';
import { IMPORT_KIND_LABELS } from './import-rows';
import { mappingSchema, targetsSchema, typedValuesSchema, uploadSchema } from './indicators.schemas';
import * as store from './indicators.store';
import * as svc from './values.service';
import { formatValue, monthLabel, previousMonth } from './board';

export const BASE = '/indicateurs';

const target = (i: Indicator) => (i.nationalTarget === null ? '–' : formatValue(i, i.nationalTarget));

export function valuesRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];

  // Catalogue and targets ---------------------------------------------------------------------
  const targetsView = async (req: Request) => {
    const own = await store.listTargets(deps.db, orgOf(req));
    return {
      title: 'Indicateurs et objectifs',
      canManage: principal(req).role === 'referent',
      version: indicatorCatalogue().version,
      indicators: indicatorCatalogue().indicators.map((i) => ({
        id: i.id, label: i.label, unit: UNIT_LABELS[i.unit], source: SOURCE_LABELS[i.source], formula: i.formula,
        periodicity: i.periodicity === 'monthly' ? 'mensuelle' : 'trimestrielle',
        polarity: i.polarity === 'higher' ? 'plus haut = mieux' : i.polarity === 'lower' ? 'plus bas = mieux' : '–',
        national: target(i), hasTarget: i.polarity !== 'none',
        own: own.has(i.id) ? formatNumber(own.get(i.id)!, Number.isInteger(own.get(i.id)!) ? 0 : 2) : '',
      })),
    };
  };
  r.get(`${BASE}/objectifs`, ...read, async (req, res) => {
    res.render('indicators/targets', { ...(await targetsView(req)), values: {}, errors: {} });
  });
  r.post(`${BASE}/objectifs`, ...manage, validate(targetsSchema, { view: 'indicators/targets', viewModel: targetsView }), async (req, res) => {
    await svc.setTargets(deps, orgOf(req), principal(req).userId, input(req, targetsSchema));
    flash(res, 'success', 'Les objectifs de votre organisation sont enregistrés.');
    res.redirect(303, `${BASE}/objectifs`);
  });

  // Typed values --------------------------------------------------------------------------------
  const monthOf = (req: Request) => {
    const q = typeof req.query.mois === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(req.query.mois) ? req.query.mois : undefined;
    const b = typeof req.body?.mois === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(req.body.mois) ? req.body.mois : undefined;
    return `${b ?? q ?? previousMonth(deps.clock.now()).slice(0, 7)}-01`;
  };
  const typedView = async (req: Request) => {
    const month = monthOf(req);
    const current = await store.currentValues(deps.db, orgOf(req), month, month);
    return {
      title: 'Saisir les valeurs du mois',
      month: month.slice(0, 7), monthLabel: monthLabel(month),
      indicators: svc.enterableIndicators().map((i) => {
        const v = current.find((c) => c.indicatorId === i.id && c.breakdown === '');
        return {
          id: i.id, label: i.label, unit: UNIT_LABELS[i.unit], source: SOURCE_LABELS[i.source],
          current: v ? `${formatValue(i, v.value)} (${v.source === 'typed' ? 'saisi' : 'importé'} le ${formatDateTime(v.enteredAt)})` : 'aucune valeur',
        };
      }),
    };
  };
  r.get(`${BASE}/saisie`, ...manage, async (req, res) => {
    res.render('indicators/typed', { ...(await typedView(req)), values: {}, errors: {} });
  });
  r.post(`${BASE}/saisie`, ...manage, validate(typedValuesSchema, { view: 'indicators/typed', viewModel: typedView }), async (req, res) => {
    const v = input(req, typedValuesSchema);
    const n = await svc.typeValues(deps, orgOf(req), principal(req).userId, v.month, v.values);
    flash(res, 'success', n ? `${n} valeur(s) enregistrée(s) pour ${monthLabel(v.month)}.` : 'Aucune valeur saisie.');
    res.redirect(303, `${BASE}?mois=${v.month.slice(0, 7)}`);
  });

  // History of an indicator ---------------------------------------------------------------------
  r.get(`${BASE}/historique/:indicatorId`, ...read, async (req, res) => {
    const i = svc.requireIndicator(String(req.params.indicatorId));
    const rows = await store.valueHistory(deps.db, orgOf(req), i.id);
    res.render('indicators/history', {
      title: `Historique : ${i.label}`, label: i.label,
      rows: rows.map(({ value: v, who }) => ({
        month: monthLabel(v.month), breakdown: v.breakdown || 'toute l’organisation', value: formatValue(i, v.value),
        source: v.source === 'typed' ? 'saisi' : 'importé', who: who ?? '–', at: formatDateTime(v.enteredAt),
        status: v.replacedAt ? `remplacée le ${formatDateTime(v.replacedAt)}` : 'en vigueur',
      })),
    });
  });

  // Imports -------------------------------------------------------------------------------------
  const kinds = IMPORT_KINDS.map((k) => ({ value: k, label: IMPORT_KIND_LABELS[k] }));
  const importsView = async (req: Request) => ({
    title: 'Importer des statistiques',
    kinds,
    imports: (await store.listImports(deps.db, orgOf(req))).map((x) => ({
      id: x.id, kind: IMPORT_KIND_LABELS[x.kind], fileName: x.fileName, at: formatDateTime(x.createdAt),
      status: x.status === 'stored' ? `enregistré : ${x.storedValues} valeur(s)${x.skippedLines ? `, ${x.skippedLines} ligne(s) ignorée(s)` : ''}` : x.status === 'abandoned' ? 'abandonné' : 'à vérifier',
    })),
  });
  r.get(`${BASE}/imports`, ...manage, async (req, res) => {
    res.render('indicators/imports', { ...(await importsView(req)), values: { kind: 'telephonie' }, errors: {} });
  });
  r.post(`${BASE}/imports`, ...manage, validate(uploadSchema, { view: 'indicators/imports', viewModel: importsView }), async (req, res) => {
    const imp = await svc.uploadImport(deps, orgOf(req), principal(req).userId, input(req, uploadSchema).kind, req.file);
    res.redirect(303, `${BASE}/imports/${imp.id}`);
  });

  const previewView = async (req: Request) => {
    const given = req.method === 'POST' ? mappingSchema.parse(req.body ?? {}).mapping : undefined;
    const p = await svc.previewImport(deps, orgOf(req), uuidParam(req), given);
    const imp = p.import;
    return {
      title: `Import : ${imp.fileName}`,
      id: imp.id, fileName: imp.fileName, kind: IMPORT_KIND_LABELS[imp.kind], status: imp.status, rowCount: imp.rows.length,
      header: imp.header, sample: imp.rows.slice(0, 5).map((cells, n) => ({ line: imp.lines[n], cells })),
      fields: svc.fieldsOf(imp.kind).map((f) => ({
        key: f.key, label: f.label + (f.required ? '' : ' (facultatif)'), value: p.mapping[f.key] ?? '',
        options: [{ value: '', label: '— aucune colonne —' }, ...imp.header.map((h) => ({ value: h, label: h }))],
        problem: p.mappingProblems.find((m) => m.field === f.key)?.reason,
      })),
      errorCount: p.check?.errors.length ?? 0,
      badLineCount: p.check?.badLines.length ?? 0,
      goodLineCount: p.check?.good.length ?? 0,
      lineErrors: (p.check?.errors ?? []).slice(0, 200).map((e) => ({ ...e, value: e.value || '(vide)' })),
      moreErrors: Math.max(0, (p.check?.errors.length ?? 0) - 200),
      values: p.values.map((v) => {
        const i = indicatorCatalogue().byId.get(v.indicatorId)!;
        return {
          label: i.label, month: monthLabel(v.month), breakdown: v.breakdown || 'toute l’organisation', value: formatValue(i, v.value),
          detail: v.denominator !== null ? `${formatNumber(v.numerator)} décrochés / ${formatNumber(v.denominator)} reçus, ${formatNumber(v.denominator - (v.numerator ?? 0))} perdus` : '',
        };
      }),
    };
  };
  r.get(`${BASE}/imports/:id`, ...manage, async (req, res) => {
    res.render('indicators/import', { ...(await previewView(req)), errors: {} });
  });
  r.post(`${BASE}/imports/:id`, ...manage, validate(mappingSchema, { view: 'indicators/import', viewModel: previewView }), async (req, res) => {
    const orgId = orgOf(req);
    const id = uuidParam(req);
    const v = input(req, mappingSchema);
    if (v.action === 'abandon') {
      await svc.abandonImport(deps, orgId, id);
      flash(res, 'info', 'Le fichier est abandonné : rien n’a été enregistré.');
      res.redirect(303, `${BASE}/imports`);
      return;
    }
    if (v.action === 'preview') {
      res.render('indicators/import', { ...(await previewView(req)), errors: {} });
      return;
    }
    const out = await svc.storeImport(deps, orgId, principal(req).userId, id, v.mapping, v.skipBadLines);
    flash(res, 'success', `${out.stored} valeur(s) mensuelle(s) enregistrée(s)${out.skipped ? ` ; ${out.skipped} ligne(s) en erreur ignorée(s)` : ''}.`);
    res.redirect(303, `${BASE}/imports`);
  });
  return r;
}
