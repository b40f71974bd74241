/**
 * Working-day arithmetic of complaints (pure), on dates (a complaint is received and answered
 * on a day, not at an hour), with the campaigns' French calendar: the delay is the number of
 * working days after the day of receipt up to the day of the answer (answered the next
 * working day = 1 day; the same day = 0), and the deadline is the 15th working day after receipt.
 */
import { isWorkingDate, nthWorkingDateAfter, addCalendarDays, type WorkingDayOptions } from '../campaigns/calendar/working-days';

export const COMPLAINT_DEADLINE_DAYS = 15;

export function complaintDeadline(receivedOn: string, opts: WorkingDayOptions, days = COMPLAINT_DEADLINE_DAYS): string {
  return nthWorkingDateAfter(receivedOn, days, opts);
}

export function complaintDelay(receivedOn: string, answeredOn: string, opts: WorkingDayOptions): number {
  if (answeredOn <= receivedOn) return 0;
  let n = 0;
  for (let d = addCalendarDays(receivedOn, 1); d <= answeredOn; d = addCalendarDays(d, 1)) if (isWorkingDate(d, opts)) n++;
  return n;
}
