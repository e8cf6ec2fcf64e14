import { Matches, ValidationOptions } from 'class-validator';
import { formatFiscalYear, parseFiscalYear, parseQuarter, quarterOfDate } from '../common/fiscal';

/**
 * An allocation's period, in one place: the compact form requests and seeds use
 * ("unprofiled", "2015-16", "2016-17..2020-21", "2016-17.." for onwards), its parser, its
 * validator and the two ways it is written back.
 */
export const PERIOD_PATTERN = /^(unprofiled|\d{4}-\d{2}(\.\.(\d{4}-\d{2})?)?)$/;
export const PERIOD_MESSAGE =
  'period must be "unprofiled", a financial year like "2015-16", or a range like "2016-17..2020-21" or "2016-17.." (onwards)';

/** Request field holding a period in the compact form (the parser then checks the years). */
export const IsPeriod = (o?: ValidationOptions) => Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE, ...o });

export interface AllocationPeriod {
  periodKind: 'year' | 'range' | 'unprofiled';
  yearFrom: number | null;
  yearTo: number | null;
}

/** "unprofiled", "2015-16", "2016-17..2020-21" or "2016-17.." (onwards). */
export function parsePeriod(period: string): AllocationPeriod {
  if (period === 'unprofiled') return { periodKind: 'unprofiled', yearFrom: null, yearTo: null };
  const [from, to] = period.split('..');
  const yearFrom = parseFiscalYear(from).start;
  if (to === undefined) return { periodKind: 'year', yearFrom, yearTo: yearFrom };
  const yearTo = to === '' ? null : parseFiscalYear(to).start;
  if (yearTo !== null && yearTo < yearFrom) throw new Error(`the range ends (${to}) before it starts (${from})`);
  return { periodKind: 'range', yearFrom, yearTo };
}

/** What is wrong with a period, in the words every route uses. */
export const PERIOD_PROBLEM =
  'must be "unprofiled", a financial year like "2015-16", or a range like "2016-17..2020-21"';

/**
 * The one check of a period someone sends (an allocation route, a change request's payload):
 * the parsed period, or the problem to report as bad input naming the field (400
 * VALIDATION_FAILED), so the same wrong period is refused the same way through every door.
 */
export function checkPeriod(v: unknown): AllocationPeriod | { problem: string } {
  if (typeof v !== 'string') return { problem: PERIOD_PROBLEM };
  try {
    return parsePeriod(v);
  } catch (e) {
    return { problem: `${PERIOD_PROBLEM} (${(e as Error).message})` };
  }
}

/** A programme's financial years (each by the calendar year it starts in): its first quarter's to its end date's. */
export function programmeYearSpan(p: { firstQuarter: string; endsOn: string }): { first: number; last: number } {
  return { first: parseQuarter(p.firstQuarter).year, last: quarterOfDate(p.endsOn).year };
}

/**
 * The one check that a period lies inside the programme (every route that writes a period:
 * draft allocations, a reallocation's new line, a year move): the problem, to refuse as
 * YEAR_OUTSIDE_PROGRAMME naming the field, or undefined. Unprofiled money has no years.
 */
export function periodOutsideProgramme(
  p: AllocationPeriod,
  code: string,
  span: { first: number; last: number },
): string | undefined {
  if (p.yearFrom === null) return undefined;
  const to = p.yearTo ?? p.yearFrom;
  if (p.yearFrom >= span.first && to <= span.last) return undefined;
  return `${code} is ${p.yearFrom < span.first ? 'before the programme starts' : 'after the programme ends'}: give a year from ${formatFiscalYear(span.first)} to ${formatFiscalYear(span.last)}`;
}

/** How an allocation's period reads: "2015-16", "2016-17 to 2020-21", "2016-17 onwards", "unprofiled". */
export function periodLabel(kind: string, from: number | null, to: number | null): string {
  if (kind === 'unprofiled' || from === null) return 'unprofiled';
  if (kind === 'year') return formatFiscalYear(from);
  return to === null ? `${formatFiscalYear(from)} onwards` : `${formatFiscalYear(from)} to ${formatFiscalYear(to)}`;
}

/** The compact form used in requests and seeds: "unprofiled", "2015-16", "2016-17..2020-21", "2016-17..". */
export function periodCode(kind: string, from: number | null, to: number | null): string {
  if (kind === 'unprofiled' || from === null) return 'unprofiled';
  if (kind === 'year') return formatFiscalYear(from);
  return `${formatFiscalYear(from)}..${to === null ? '' : formatFiscalYear(to)}`;
}
