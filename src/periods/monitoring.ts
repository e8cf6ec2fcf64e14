import { compareQuarters, formatQuarter, quarterOfDate, type FiscalQuarter } from '../common/fiscal';

/** DESIGN.md, Clarifications 2026-12: outputs may be recorded up to five years after the programme ends. */
export const DEFAULT_MONITORING_YEARS = 5;

/** Pure: a calendar date `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Pure: the last date outputs may be recorded for: the programme's own setting, else five years after its end. */
export function monitoringEnd(p: { endsOn: string; monitoringEndsOn: string | null }): string {
  return p.monitoringEndsOn ?? addYears(p.endsOn, DEFAULT_MONITORING_YEARS);
}

/** Pure: where an output quarter falls: inside the programme, in its monitoring period, or after it. */
export function outputQuarterPlace(
  p: { endsOn: string; monitoringEndsOn: string | null },
  q: FiscalQuarter,
): 'programme' | 'monitoring' | 'after_monitoring' {
  if (compareQuarters(q, quarterOfDate(p.endsOn)) <= 0) return 'programme';
  return compareQuarters(q, quarterOfDate(monitoringEnd(p))) <= 0 ? 'monitoring' : 'after_monitoring';
}

export const lastMonitoringQuarter = (p: { endsOn: string; monitoringEndsOn: string | null }): string =>
  formatQuarter(quarterOfDate(monitoringEnd(p)));
