import type { PeriodsService, ReturnScheduleView } from '../../periods/periods.service';
import type { ScheduledReturn } from '../../periods/programme-clock';
import { html, raw, type Html } from '../html';
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

function overdueItem(r: ScheduledReturn): Html {
  return html`<li data-quarter="${r.quarter}">${r.quarter}: due ${longDate(r.dueOn)}, ${days(r.daysLate)} overdue</li>`;
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
  const rule = `A quarter's return is due ${s.returnDueMonths === 1 ? 'one month' : `${s.returnDueMonths} months`} after the quarter ends.`;
  const clock = s.asOfIsDefault
    ? html`Dates are judged as of today, ${longDate(s.asOfDate)}.`
    : html`Dates are judged as of ${longDate(s.asOfDate)}, the programme's own date (its history is replayed, so its calendar is not today's).`;
  const headline = overdue.length
    ? html`<p id="returns-overdue" class="overdue"><strong>${overdue.length === 1 ? '1 quarterly return is' : `${overdue.length} quarterly returns are`} overdue</strong>: the oldest, for ${overdue[0].quarter}, was due ${longDate(overdue[0].dueOn)} (${days(overdue[0].daysLate)} ago).</p>`
    : html`<p id="returns-overdue">No quarterly return is overdue.${due.length ? html` The ${due[0].quarter} return is due by ${longDate(due[0].dueOn)}.` : ''}</p>`;
  const body = !o.html
    ? raw('')
    : html`${headline}
${overdue.length > 1 ? html`<ul id="returns-overdue-list">${overdue.map(overdueItem)}</ul>` : ''}
<p class="note">${submitted} of ${s.schedule.length} quarterly returns submitted${late.length ? html`, ${late.length} after ${late.length === 1 ? 'its' : 'their'} due date (${late.map((r) => `${r.quarter}, ${days(r.daysLate)} late`).join('; ')})` : ''}. ${rule} ${clock}</p>`;
  return {
    id: 'returns-due',
    heading: 'Quarterly returns due',
    body,
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
