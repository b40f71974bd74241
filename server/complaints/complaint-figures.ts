/**
 * The complaints indicators (pure): how many, the share answered within the deadline (15
 * working days by default), the mean delay in working days. A complaint still unanswered
 * counts in the denominator of the share (it has not been answered within the deadline, or
 * not yet: see `pending`), never in the mean delay.
 */
export interface ComplaintFigures {
  count: number;
  answered: number;
  /** Answered within the deadline. */
  withinDeadline: number;
  /** Unanswered complaints whose deadline has not passed yet. */
  pending: number;
  /** Sum of the delays of answered complaints, in working days. */
  delaySum: number;
}

export const EMPTY_FIGURES: ComplaintFigures = { count: 0, answered: 0, withinDeadline: 0, pending: 0, delaySum: 0 };

export function addFigures(a: ComplaintFigures, b: ComplaintFigures): ComplaintFigures {
  return {
    count: a.count + b.count, answered: a.answered + b.answered, withinDeadline: a.withinDeadline + b.withinDeadline,
    pending: a.pending + b.pending, delaySum: a.delaySum + b.delaySum,
  };
}

/** Share (0–100) answered within the deadline, over complaints whose deadline has passed or that were answered. */
export function shareWithinDeadline(f: ComplaintFigures): number | null {
  const due = f.count - f.pending;
  return due > 0 ? (100 * f.withinDeadline) / due : null;
}

export function meanDelay(f: ComplaintFigures): number | null {
  return f.answered > 0 ? f.delaySum / f.answered : null;
}

/** « 27 ; 85 % ; 4 jours »: the line the seed's board prints. */
export function figuresLine(f: ComplaintFigures): string {
  const share = shareWithinDeadline(f);
  const mean = meanDelay(f);
  return `${f.count} ; ${share === null ? '–' : `${Math.round(share)} %`} ; ${mean === null ? '–' : `${Math.round(mean)} ${Math.round(mean) >= 2 ? 'jours' : 'jour'}`}`;
}
