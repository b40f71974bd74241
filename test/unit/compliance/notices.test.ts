/** The notices and the register come from one source; statement rules follow the RGAA. */
import { legalIdentity, processingViews, registerRows, REGISTER_COLUMNS } from '../../../server/compliance/notices';
import { complianceData } from '../../../server/compliance/processings';
import { effectiveDays } from '../../../server/compliance/retention';
import { statementSchema } from '../../../server/compliance/compliance.schemas';

const rules = [{ kind: 'mail.agent-identity', defaultDays: 90 }, { kind: 'accounts.inactive', defaultDays: 365, minDays: 30 }, { kind: 'logs', defaultDays: 30 }, { kind: 'rights.log', defaultDays: 1825 }];

describe('effectiveDays', () => {
  it.each([
    [undefined, 365],
    [{}, 365],
    [{ 'accounts.inactive': 400 }, 400],
    [{ 'accounts.inactive': 5 }, 30],
    [{ 'accounts.inactive': 1.5 }, 365],
  ])('when the settings are %j, then %d days apply', (settings, days) => {
    expect(effectiveDays(rules[1], settings as Record<string, number> | undefined)).toBe(days);
  });
});

describe('processingViews and registerRows', () => {
  const data = complianceData().processings;
  it('when a processing names a retention kind, then its text carries the organisation’s duration; an unknown kind says so without a figure', () => {
    const views = processingViews(data, rules, { retentionDays: { 'mail.agent-identity': 120 } }, 'dpo@pref.test');
    const mail = views.find((v) => v.id === 'courriels-mysteres')!;
    expect(mail.retention[0]).toContain('effacée 120 jours après');
    const complaints = views.find((v) => v.id === 'reclamations')!;
    expect(complaints.retention[0]).toContain('effacées dans un délai fixé par l’organisation après');
    expect(views.every((v) => v.rights.includes('dpo@pref.test') && !v.rights.includes('{dpo}'))).toBe(true);
    expect(views.every((v) => !v.retention.some((r) => r.includes('{days}')))).toBe(true);
  });
  it('when the register is built, then it has one row per notice with the same retention texts', () => {
    const views = processingViews(data, rules, null, 'dpo');
    const table = registerRows(views, 'Préfecture');
    expect(table).toHaveLength(data.processings.length);
    table.forEach((row, i) => {
      expect(row).toHaveLength(REGISTER_COLUMNS.length);
      expect(row[8]).toBe(views[i].retention.join(' ; '));
    });
  });
});

describe('legalIdentity', () => {
  it.each([
    [{ code: '74', name: 'Préfecture de la Haute-Savoie' }, null, 'Préfecture de la Haute-Savoie'],
    [{ code: '74', name: 'Préfecture de la Haute-Savoie' }, { publisher: '  ' }, 'Préfecture de la Haute-Savoie'],
    [{ code: '74', name: 'Préfecture de la Haute-Savoie' }, { publisher: 'SGAMI' }, 'SGAMI'],
  ])('when the organisation is %j and settings %j, then the publisher is %s', (org, s, publisher) => {
    expect(legalIdentity(org, s).publisher).toBe(publisher);
  });
});

describe('statementSchema', () => {
  it.each([
    [{ status: 'non' }, true],
    [{ status: 'partiel' }, false],
    [{ status: 'partiel', rate: '72', auditDate: '2026-10-01' }, true],
    [{ status: 'partiel', rate: '40', auditDate: '2026-10-01' }, false],
    [{ status: 'total', rate: '99', auditDate: '2026-10-01' }, false],
    [{ status: 'total', rate: '100', auditDate: '2026-10-01' }, true],
    [{ status: 'non', rate: '60', auditDate: '2026-10-01' }, false],
    [{ status: 'non', rate: '101', auditDate: '2026-10-01' }, false],
    [{ status: 'autre' }, false],
  ])('when the statement is %j, then valid is %s', (v, ok) => {
    expect(statementSchema.safeParse(v).success).toBe(ok);
  });
});
