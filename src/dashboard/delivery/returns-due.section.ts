import type { PeriodsService, ReturnScheduleView } from '../../periods/periods.service';
import {
  loadByReading,
  type DashboardSection,
  type DashboardSectionProvider,
  type SectionContext,
  type SectionShaper,
  type ShapeOptions,
} from '../sections';
import { longDate } from './links';

const days = (n: number) => `${n.toLocaleString('en-GB')} day${n === 1 ? '' : 's'}`;

/** The returns-due section as the page shows it (the `returnsDue` macro of views/public/sections.njk). */
export interface ReturnsDueView {
  /** Overdue returns, oldest first: quarter, due date in words, how late ("3 days"). */
  overdue: { quarter: string; dueOn: string; late: string }[];
  /** The next return due, when none is overdue. */
  next: { quarter: string; dueOn: string } | null;
  submitted: number;
  quarters: number;
  /** Returns submitted after their due date: quarter and how late. */
  submittedLate: { quarter: string; late: string }[];
  /** Months after a quarter's end that its return is due ("one month", "2 months"). */
  dueAfter: string;
  /** The date the schedule is judged at, in words; `today`: it is the calendar's, not the programme's own. */
  asOf: string;
  today: boolean;
}

/**
 * Overview: the programme's quarterly returns against its as-of date (programme time). A return
 * not submitted by its due date is overdue, shown here, so a programme that never submits
 * cannot sit silently in its first quarter. One query (the first version of each quarter).
 */
export function returnsDueSection(periods: PeriodsService): DashboardSectionProvider {
  const read = async (ctx: SectionContext): Promise<SectionShaper | null> => {
    const s = await periods.schedule(ctx.m, ctx.programme);
    return (o) => shapeReturnsDue(s, o);
  };
  return { id: 'returns-due', order: 150, pages: ['overview'], read, load: loadByReading(read) };
}

/** Pure: the returns-due section from the programme's schedule of returns. */
export function shapeReturnsDue(s: ReturnScheduleView, o: ShapeOptions): DashboardSection {
  const overdue = s.schedule.filter((r) => r.status === 'overdue');
  const due = s.schedule.filter((r) => r.status === 'due');
  const late = s.schedule.filter((r) => r.status === 'submitted_late');
  const submitted = s.schedule.filter((r) => r.submittedOn !== null).length;
  const view: ReturnsDueView | undefined = !o.view
    ? undefined
    : {
        overdue: overdue.map((r) => ({ quarter: r.quarter, dueOn: longDate(r.dueOn), late: days(r.daysLate) })),
        next: due.length ? { quarter: due[0].quarter, dueOn: longDate(due[0].dueOn) } : null,
        submitted,
        quarters: s.schedule.length,
        submittedLate: late.map((r) => ({ quarter: r.quarter, late: days(r.daysLate) })),
        dueAfter: s.returnDueMonths === 1 ? 'one month' : `${s.returnDueMonths} months`,
        asOf: longDate(s.asOfDate),
        today: s.asOfIsDefault,
      };
  return {
    id: 'returns-due',
    heading: 'Quarterly returns due',
    view,
    data: {
      asOfDate: s.asOfDate,
      asOfIsDefault: s.asOfIsDefault,
      returnDueMonths: s.returnDueMonths,
      submitted,
      quarters: s.schedule.length,
      overdue: overdue.map((r) => ({ quarter: r.quarter, dueOn: r.dueOn, daysOverdue: r.daysLate })),
      due: due.map((r) => ({ quarter: r.quarter, dueOn: r.dueOn })),
      submittedLate: late.map((r) => ({
        quarter: r.quarter,
        dueOn: r.dueOn,
        submittedOn: r.submittedOn,
        daysLate: r.daysLate,
      })),
    },
  };
}
