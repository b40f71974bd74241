import { isCalendarDay } from '../../server/dates';

describe('isCalendarDay (the one parser of YYYY-MM-DD)', () => {
  it.each([
    ['2026-02-28', true], ['2024-02-29', true], ['2026-12-31', true], ['1900-01-01', true],
    ['2026-02-30', false], ['2025-02-29', false], ['2026-04-31', false], ['2026-13-01', false], ['2026-00-10', false],
    ['0000-01-01', false], ['0001-01-01', false], ['9999-12-31', false], ['2026-1-01', false], ['2026-01-01T00:00', false],
    [' 2026-01-01', false], ['', false], [undefined, false], [20260101, false],
  ])('%s → %s', (d, ok) => {
    expect(isCalendarDay(d)).toBe(ok);
  });
});

describe('every date field of the app uses it', () => {
  it.each([
    ['programme form', () => require('../../server/phone/phone.schemas').programmeSchema, 'startsOn'],
    ['campaign form', () => require('../../server/campaigns/campaign.schemas').campaignSchema, 'periodStart'],
    ['report form', () => require('../../server/reports/report.schemas').reportSchema, 'periodStart'],
    ['results query', () => require('../../server/surveys/results.schemas').resultsQuerySchema, 'from'],
  ])('when the %s gets 2026-02-30 or 0000-01-01, then that field is refused', (_name, schema, field) => {
    for (const bad of ['2026-02-30', '0000-01-01']) {
      const r = (schema() as import('zod').ZodType).safeParse({ [field]: bad });
      expect(r.success).toBe(false);
      expect(r.error!.issues.some((i) => i.path[0] === field)).toBe(true);
    }
  });
});
