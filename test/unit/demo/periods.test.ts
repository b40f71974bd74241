import { demoCampaignPeriod } from '../../../server/demo/mail-campaign.demo';
import { demoProgrammePeriod } from '../../../server/demo/phone-programme.demo';

describe('the demo campaign and programme periods (moved to the last year whose replies are in)', () => {
  it.each([
    ['2026-12-04T10:00:00Z', '2026-05-15', '2026-06-30', '2026-06-01'],
    ['2026-08-01T08:00:00Z', '2026-05-15', '2026-06-30', '2026-06-01'], // 1 August, Paris
    ['2026-07-31T20:00:00Z', '2025-05-15', '2025-06-30', '2025-06-01'], // 22:00 on 31 July in Paris: June's replies may still come
    ['2026-03-10T10:00:00Z', '2025-05-15', '2025-06-30', '2025-06-01'],
  ])('at %p the campaign runs %p – %p and the programme starts %p', (now, start, end, programmeStart) => {
    expect(demoCampaignPeriod(new Date(now))).toEqual({ start, end });
    expect(demoProgrammePeriod(new Date(now)).start).toBe(programmeStart);
  });
});
