/**
 * The UK financial calendar: years run 1 April to 31 March and are named "2015-16";
 * quarters are Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar, named "2015-16 Q1".
 * Dates are plain calendar dates ("2015-04-01"); no time zones are involved anywhere.
 */

export interface FiscalYear {
  /** Calendar year in which the financial year starts (2015 for 2015-16). */
  readonly start: number;
}

export interface FiscalQuarter {
  readonly year: number; // start year of the financial year
  readonly q: 1 | 2 | 3 | 4;
}

export class FiscalFormatError extends Error {
  constructor(
    readonly input: unknown,
    problem: string,
  ) {
    super(problem);
  }
}

const YEAR_RE = /^(\d{4})-(\d{2})$/;
const QUARTER_RE = /^(\d{4})-(\d{2})[ -]Q([1-4])$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkYearPair(start: number, endTwo: string, input: unknown): void {
  if (start < 1900 || start > 2999) throw new FiscalFormatError(input, 'year is out of range');
  if ((start + 1) % 100 !== Number(endTwo)) {
    throw new FiscalFormatError(
      input,
      `"${String(input)}" is not a financial year: ${start} is followed by ${String((start + 1) % 100).padStart(2, '0')}`,
    );
  }
}

/** The input's match of `re` (trimmed unless `trim` is false), or a FiscalFormatError saying what was expected. */
function matchFormat(re: RegExp, input: unknown, expected: string, trim = true): RegExpExecArray {
  if (typeof input !== 'string') throw new FiscalFormatError(input, expected);
  const m = re.exec(trim ? input.trim() : input);
  if (!m) throw new FiscalFormatError(input, expected);
  return m;
}

export function parseFiscalYear(input: unknown): FiscalYear {
  const m = matchFormat(YEAR_RE, input, 'must be a financial year like "2015-16"');
  const start = Number(m[1]);
  checkYearPair(start, m[2], input);
  return { start };
}

export function formatFiscalYear(y: FiscalYear | number): string {
  const start = typeof y === 'number' ? y : y.start;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** Accepts "2015-16 Q1" and the URL-safe "2015-16-Q1". */
export function parseQuarter(input: unknown): FiscalQuarter {
  const m = matchFormat(QUARTER_RE, input, 'must be a quarter like "2015-16 Q1"');
  const year = Number(m[1]);
  checkYearPair(year, m[2], input);
  return { year, q: Number(m[3]) as FiscalQuarter['q'] };
}

/** True when `parse` accepts the input (a validator's yes or no, without the reason). */
function accepts(parse: (input: unknown) => unknown, input: unknown): boolean {
  try {
    parse(input);
    return true;
  } catch {
    return false;
  }
}

export function isQuarterCode(input: unknown): boolean {
  return accepts(parseQuarter, input);
}

export function formatQuarter(q: FiscalQuarter): string {
  return `${formatFiscalYear(q.year)} Q${q.q}`;
}

export function quarterUrl(q: FiscalQuarter | string): string {
  const quarter = typeof q === 'string' ? parseQuarter(q) : q;
  return `${formatFiscalYear(quarter.year)}-Q${quarter.q}`;
}

/** A quarter's position on one line (for comparisons and arithmetic). */
export function quarterIndex(q: FiscalQuarter): number {
  return q.year * 4 + (q.q - 1);
}

export function quarterFromIndex(i: number): FiscalQuarter {
  return { year: Math.floor(i / 4), q: ((i % 4) + 1) as FiscalQuarter['q'] };
}

export function addQuarters(q: FiscalQuarter, n: number): FiscalQuarter {
  return quarterFromIndex(quarterIndex(q) + n);
}

export function compareQuarters(a: FiscalQuarter, b: FiscalQuarter): number {
  return quarterIndex(a) - quarterIndex(b);
}

/** Inclusive list of quarter codes from a to b. */
export function quarterRange(from: FiscalQuarter, to: FiscalQuarter): FiscalQuarter[] {
  const out: FiscalQuarter[] = [];
  for (let i = quarterIndex(from); i <= quarterIndex(to); i++) out.push(quarterFromIndex(i));
  return out;
}

export interface CalendarDate {
  readonly y: number;
  readonly m: number; // 1-12
  readonly d: number;
}

export function parseDate(input: unknown): CalendarDate {
  // Dates are not trimmed: a date with spaces round it is refused.
  const m = matchFormat(DATE_RE, input, 'must be a date like "2015-04-01"', false);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
    throw new FiscalFormatError(input, `"${input}" is not a real calendar date`);
  return { y, m: mo, d };
}

export function isDateString(input: unknown): boolean {
  return accepts(parseDate, input);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function formatDate(d: CalendarDate): string {
  return `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
}

/** Days since 1970-01-01 for a calendar date, computed in UTC so the host zone never matters. */
export function dayNumber(date: CalendarDate | string): number {
  const d = typeof date === 'string' ? parseDate(date) : date;
  return Math.round(Date.UTC(d.y, d.m - 1, d.d) / 86_400_000);
}

export function daysBetween(from: CalendarDate | string, to: CalendarDate | string): number {
  return dayNumber(to) - dayNumber(from);
}

export function fiscalYearOfDate(date: CalendarDate | string): FiscalYear {
  const d = typeof date === 'string' ? parseDate(date) : date;
  return { start: d.m >= 4 ? d.y : d.y - 1 };
}

export function quarterOfDate(date: CalendarDate | string): FiscalQuarter {
  const d = typeof date === 'string' ? parseDate(date) : date;
  const year = d.m >= 4 ? d.y : d.y - 1;
  const q = (d.m >= 4 ? Math.floor((d.m - 4) / 3) + 1 : 4) as FiscalQuarter['q'];
  return { year, q };
}

export function quarterStart(q: FiscalQuarter): string {
  const month = [4, 7, 10, 1][q.q - 1];
  const y = q.q === 4 ? q.year + 1 : q.year;
  return formatDate({ y, m: month, d: 1 });
}

export function quarterEnd(q: FiscalQuarter): string {
  const month = [6, 9, 12, 3][q.q - 1];
  const y = q.q === 4 ? q.year + 1 : q.year;
  return formatDate({ y, m: month, d: daysInMonth(y, month) });
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * "2016-07-29" (or a timestamp starting so) → "29 July 2016": dates as people write them,
 * calendar arithmetic on the string so no time zone can shift it. Each page says "no date" its
 * own way (`empty`: the change descriptions "no date", the public pages "–", the staff pages "").
 */
export function longDate(iso: string | null | undefined, empty: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!m) return empty;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}
