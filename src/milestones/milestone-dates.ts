/**
 * The one check of a milestone's dates, for every door that writes one (the API, a re-baseline
 * change request, the staff pages' milestones form, a partner workbook): each date inside the
 * programme (a deal commitment, programme-level, may fall before it starts) and an actual date
 * never after the end of the reporting quarter. Each door words the field its own way (a JSON
 * field, a form box, a `Sheet!Cell`); the problem and its code are the same.
 */
export const MILESTONE_DATE_FIELDS = ['baselineDate', 'forecastDate', 'actualDate'] as const;
export type MilestoneDateField = (typeof MILESTONE_DATE_FIELDS)[number];

export interface MilestoneDateProblem {
  field: MilestoneDateField;
  code: 'DATE_OUTSIDE_PROGRAMME' | 'FUTURE_DATE';
  problem: string;
}

export function milestoneDateProblems(
  prog: { startsOn: string; endsOn: string },
  projectLevel: boolean,
  dates: Partial<Record<MilestoneDateField, string | null>>,
  quarterEnd: string,
): MilestoneDateProblem[] {
  const out: MilestoneDateProblem[] = [];
  for (const field of MILESTONE_DATE_FIELDS) {
    const d = dates[field];
    if (!d) continue;
    if (d > prog.endsOn || (projectLevel && d < prog.startsOn))
      out.push({
        field,
        code: 'DATE_OUTSIDE_PROGRAMME',
        problem: `${d} is outside the programme (${projectLevel ? `${prog.startsOn} to ` : 'up to '}${prog.endsOn})`,
      });
  }
  if (dates.actualDate && dates.actualDate <= prog.endsOn && dates.actualDate > quarterEnd)
    out.push({
      field: 'actualDate',
      code: 'FUTURE_DATE',
      problem: `${dates.actualDate} is after the end of the reporting quarter (${quarterEnd}): an actual date cannot be in the future`,
    });
  return out;
}
