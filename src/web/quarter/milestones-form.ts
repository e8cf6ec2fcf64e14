import { FieldProblem } from '../../common/errors';
import { MilestoneProposal } from '../../quarterly-updates/quarterly-update.entity';
import { dateBoxes, DateParse, dateWithin, parseDateInput, toBoxes } from '../forms/date-input';
import { longDate } from '../view-filters';

export interface MilestoneRow {
  id: number;
  title: string;
  forecastDate: string | null;
  actualDate: string | null;
  status: 'open' | 'complete';
  notes: string | null;
}

/**
 * Reads the milestones form: a GOV.UK date input for each forecast and actual date, a status
 * and an evidence note per milestone. Impossible dates, and actual dates after the end of the
 * reporting quarter, are problems naming the milestone; the parsed boxes are kept to show back.
 */
export function parseMilestonesForm(body: Record<string, unknown>, rows: MilestoneRow[], quarterEnd: string) {
  const proposals: Record<string, Omit<MilestoneProposal, 'version'>> = {};
  const problems: FieldProblem[] = [];
  const ids: Record<string, string> = {};
  const dates: Record<string, DateParse> = {};
  for (const r of rows) {
    const f = `m-${r.id}-forecast`;
    const a = `m-${r.id}-actual`;
    if (body[`${f}-day`] === undefined && body[`${a}-day`] === undefined) continue;
    const forecast = parseDateInput(dateBoxes(body, f), `Forecast date of “${r.title}”`, { required: false });
    const actual = dateWithin(
      parseDateInput(dateBoxes(body, a), `Actual date of “${r.title}”`, { required: false }),
      `Actual date of “${r.title}”`,
      undefined,
      quarterEnd,
      longDate,
    );
    dates[f] = forecast;
    dates[a] = actual;
    for (const [field, d] of [
      [f, forecast],
      [a, actual],
    ] as const)
      if (d.error) {
        problems.push({ field, problem: d.error });
        ids[field] = `${field}-${d.parts[0] ?? 'day'}`;
      }
    const status = body[`m-${r.id}-status`] === 'complete' ? 'complete' : 'open';
    const notes = typeof body[`m-${r.id}-notes`] === 'string' ? (body[`m-${r.id}-notes`] as string).trim() : '';
    if (status === 'complete' && !actual.value && !actual.error) {
      problems.push({ field: a, problem: `Enter the actual date of “${r.title}”: it is complete` });
      ids[a] = `${a}-day`;
    }
    proposals[String(r.id)] = {
      forecastDate: forecast.value ?? null,
      actualDate: actual.value ?? null,
      status,
      notes: notes || null,
    };
  }
  return { proposals, problems, ids, dates };
}

/** The boxes of a stored date, for a form shown before anything was typed. */
export const storedDate = (iso: string | null): Pick<DateParse, 'typed' | 'parts'> => ({
  typed: toBoxes(iso),
  parts: [],
});
