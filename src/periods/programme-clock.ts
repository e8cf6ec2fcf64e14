import {
  compareQuarters,
  formatDate,
  formatQuarter,
  parseDate,
  parseQuarter,
  quarterEnd,
  quarterOfDate,
  quarterRange,
  quarterStart,
  daysBetween,
  type FiscalQuarter,
} from '../common/fiscal';

/**
 * The programme's two clocks (DESIGN.md, Clarifications 2026-12). Programme time decides which
 * quarter a change or a return belongs to: its as-of date (today unless the programme sets its
 * own; a replayed history such as the demo sets the date its story stands at) and its
 * reporting quarter. Wall-clock time is recorded beside it, never used to place things in
 * quarters. Every function here is pure.
 */

/** A return is due one month after its quarter ends unless the programme says otherwise. */
export const DEFAULT_RETURN_DUE_MONTHS = 1;
/** The longest a programme may allow: a return due more than a year after its quarter is no return. */
export const MAX_RETURN_DUE_MONTHS = 12;

/** Pure: the wall-clock date (UTC) of an instant, "YYYY-MM-DD". */
export function wallClockDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Pure: the programme's as-of date: its own setting, else today (the wall-clock date given). */
export function asOfDate(p: { asOfDate: string | null }, today: string): string {
  return p.asOfDate ?? today;
}

/** Pure: the last day of the month `months` after the month of `date` (quarters end on a month's last day). */
export function monthEndAfter(date: string, months: number): string {
  const d = parseDate(date);
  const index = d.y * 12 + (d.m - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatDate({ y, m, d: new Date(Date.UTC(y, m, 0)).getUTCDate() });
}

/**
 * Pure: the date a quarter's return is due: the last day of the month `months` after the quarter
 * ends (by default one month: 2015-16 Q1 ends 30 June 2015, its return is due 31 July 2015).
 * A return submitted on its due date is on time; the day after, it is overdue.
 */
export function returnDueDate(q: FiscalQuarter | string, months: number | null = DEFAULT_RETURN_DUE_MONTHS): string {
  const quarter = typeof q === 'string' ? parseQuarter(q) : q;
  return monthEndAfter(quarterEnd(quarter), months ?? DEFAULT_RETURN_DUE_MONTHS);
}

/**
 * Where a quarter's return stands on the as-of date:
 * - `submitted`: submitted (first version) on or before its due date;
 * - `submitted_late`: submitted after its due date;
 * - `overdue`: not submitted and the as-of date is after its due date;
 * - `due`: the quarter has ended, the return is not submitted and not yet overdue;
 * - `open`: the as-of date falls inside the quarter;
 * - `future`: the quarter starts after the as-of date.
 */
export type ReturnStatus = 'submitted' | 'submitted_late' | 'overdue' | 'due' | 'open' | 'future';

export interface ScheduledReturn {
  quarter: string;
  dueOn: string;
  status: ReturnStatus;
  /** Programme date of the first submission, else null. */
  submittedOn: string | null;
  /** Days after the due date: of the submission (late) or of the as-of date (overdue); else 0. */
  daysLate: number;
}

/** Pure: one quarter's return on the as-of date. `submittedOn` is the programme date of its first version. */
export function returnStatus(
  q: FiscalQuarter,
  submittedOn: string | null,
  asOf: string,
  dueMonths: number | null = DEFAULT_RETURN_DUE_MONTHS,
): ScheduledReturn {
  const dueOn = returnDueDate(q, dueMonths);
  const quarter = formatQuarter(q);
  if (submittedOn !== null) {
    const late = Math.max(0, daysBetween(dueOn, submittedOn));
    return { quarter, dueOn, status: late > 0 ? 'submitted_late' : 'submitted', submittedOn, daysLate: late };
  }
  const status: ReturnStatus =
    asOf > dueOn ? 'overdue' : asOf > quarterEnd(q) ? 'due' : asOf >= quarterStart(q) ? 'open' : 'future';
  return { quarter, dueOn, status, submittedOn: null, daysLate: status === 'overdue' ? daysBetween(dueOn, asOf) : 0 };
}

/**
 * Pure: every quarter of the programme, first to last, with its return's standing on the
 * as-of date. A programme that never submits shows each return overdue as its due date passes,
 * while its reporting quarter stays the first (the reporting quarter is the earliest not submitted).
 */
export function returnSchedule(
  p: { firstQuarter: string; endsOn: string; returnDueMonths: number | null },
  submitted: ReadonlyMap<string, string>,
  asOf: string,
): ScheduledReturn[] {
  return quarterRange(parseQuarter(p.firstQuarter), quarterOfDate(p.endsOn)).map((q) =>
    returnStatus(q, submitted.get(formatQuarter(q)) ?? null, asOf, p.returnDueMonths),
  );
}

/** Pure: the overdue returns of a schedule, oldest first. */
export function overdueReturns(schedule: readonly ScheduledReturn[]): ScheduledReturn[] {
  return schedule.filter((r) => r.status === 'overdue');
}

/**
 * Pure: the programme quarter a change request's decision belongs to. A decision made now belongs
 * to the reporting quarter (the earliest not submitted). A replayed decision that carries its own
 * programme date (the demo's history) belongs to that date's quarter, but never to a quarter whose
 * return is already submitted (nor to one before the reporting quarter) and never after the
 * programme's last quarter.
 */
export function decisionQuarter(
  reporting: FiscalQuarter,
  last: FiscalQuarter,
  programmeDate: string | null,
): FiscalQuarter {
  if (programmeDate === null) return reporting;
  const q = quarterOfDate(programmeDate.slice(0, 10));
  if (compareQuarters(q, reporting) < 0) return reporting;
  return compareQuarters(q, last) > 0 ? last : q;
}

/**
 * Pure: which side of the last submitted return a decision falls, in programme quarters:
 * `in_last` when decided in a quarter after the return before it (`prev`) up to the last
 * return's quarter, `since` when decided in a quarter after the last return's, else `before`.
 */
export function decisionPlace(decided: string, last: string, prev: string | null): 'before' | 'in_last' | 'since' {
  const d = parseQuarter(decided);
  if (compareQuarters(d, parseQuarter(last)) > 0) return 'since';
  if (prev === null || compareQuarters(d, parseQuarter(prev)) > 0) return 'in_last';
  return 'before';
}

/**
 * Pure: the quarters the public spend chart covers: from the first quarter with spend to the
 * last submitted quarter (at programme close, the final one), even where the last quarters
 * have no spend lines. Empty when nothing is submitted.
 */
export function chartQuarters(firstSpend: string | null, lastSubmitted: string | null): string[] {
  if (firstSpend === null || lastSubmitted === null) return [];
  const from = parseQuarter(firstSpend);
  const to = parseQuarter(lastSubmitted);
  if (compareQuarters(from, to) > 0) return [];
  return quarterRange(from, to).map(formatQuarter);
}
