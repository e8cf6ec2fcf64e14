import { longDate } from '../common/fiscal';
import type { ScheduledReturn } from '../periods/programme-clock';

/** What a submission answers about when: the facts `return submit` prints. */
export interface SubmissionTimes {
  programme: string;
  quarter: string;
  version: number;
  /** Programme date of this version (null only on versions from before the two clocks). */
  submittedOn: string | null;
  /** Wall-clock instant it was recorded (ISO, UTC). */
  submittedAt: string;
  submittedBy: string;
  /** The quarter's return against its due date, by its first version. */
  standing: ScheduledReturn;
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/**
 * The words of `return submit` about time, as the staff return page puts them: the programme
 * date it was submitted on, the wall-clock instant recorded beside it, and the due date with
 * "on time" or "late" (judged by the first version: a correction does not change when the
 * return was first sent).
 */
export function submissionLines(r: SubmissionTimes): string[] {
  const on = r.submittedOn ?? r.submittedAt.slice(0, 10);
  const s = r.standing;
  const late = s.status === 'submitted_late';
  const due = `due by ${longDate(s.dueOn, s.dueOn)}`;
  const verdict =
    r.version === 1
      ? late
        ? `submitted late, ${days(s.daysLate)} after the due date`
        : 'submitted on time'
      : `first submitted on ${longDate(s.submittedOn, String(s.submittedOn))} (version 1), ${late ? `late by ${days(s.daysLate)}` : 'on time'}`;
  return [
    `submitted ${r.programme} ${r.quarter} version ${r.version} on ${longDate(on, on)} (programme date ${on}; recorded ${r.submittedAt} UTC) by ${r.submittedBy}`,
    `${due}: ${verdict}`,
  ];
}
