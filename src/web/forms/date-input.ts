/**
 * The GOV.UK date input (three boxes: day, month, year) → a calendar date `YYYY-MM-DD`, with
 * the design system's error messages naming which part is wrong. Pure; no time zones.
 */
export interface DateInputValue {
  day: string;
  month: string;
  year: string;
}

export type DatePart = 'day' | 'month' | 'year';

export interface DateParse {
  /** The date, when the boxes make a real one. */
  value?: string;
  /** The error message, written for the error summary. */
  error?: string;
  /** Which boxes to highlight (all three when the whole date is wrong). */
  parts: DatePart[];
  /** What was typed, to show back. */
  typed: DateInputValue;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The three boxes named `<prefix>-day`, `<prefix>-month`, `<prefix>-year` in a form body. */
export function dateBoxes(body: Record<string, unknown>, prefix: string): DateInputValue {
  const get = (k: string) => (typeof body[`${prefix}-${k}`] === 'string' ? String(body[`${prefix}-${k}`]).trim() : '');
  return { day: get('day'), month: get('month'), year: get('year') };
}

/** A date to the three boxes (for showing a stored date in a form). */
export function toBoxes(iso: string | null | undefined): DateInputValue {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] } : { day: '', month: '', year: '' };
}

const daysIn = (y: number, m: number) =>
  [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/**
 * Reads the boxes. `label` starts the messages ("Forecast date must include a month").
 * `required: false` lets all three boxes be empty (no value, no error).
 */
export function parseDateInput(typed: DateInputValue, label: string, opts: { required?: boolean } = {}): DateParse {
  const { day, month, year } = typed;
  const missing = (['day', 'month', 'year'] as DatePart[]).filter((p) => typed[p] === '');
  if (missing.length === 3)
    return opts.required === false
      ? { parts: [], typed }
      : { error: `Enter ${lowerFirst(label)}`, parts: [...missing], typed };
  if (missing.length) return { error: `${label} must include a ${missing.join(' and ')}`, parts: missing, typed };
  const monthNumber = /^\d{1,2}$/.test(month)
    ? Number(month)
    : MONTH_NAMES.indexOf(month.slice(0, 3).toLowerCase()) + 1;
  const bad: DatePart[] = [];
  if (!/^\d{1,2}$/.test(day)) bad.push('day');
  if (!(monthNumber >= 1 && monthNumber <= 12)) bad.push('month');
  if (!/^\d{4}$/.test(year)) {
    return { error: `${label} must include a year with 4 numbers, like 2016`, parts: ['year'], typed };
  }
  if (bad.length) return { error: `${label} must be a real date`, parts: bad, typed };
  const y = Number(year);
  const d = Number(day);
  if (d < 1 || d > daysIn(y, monthNumber)) return { error: `${label} must be a real date`, parts: ['day'], typed };
  const value = `${year}-${String(monthNumber).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return { value, parts: [], typed };
}

/** A real date outside [from, to] (inclusive) is an error naming the range in words. */
export function dateWithin(
  parsed: DateParse,
  label: string,
  from: string | undefined,
  to: string | undefined,
  words: (iso: string) => string,
): DateParse {
  if (!parsed.value) return parsed;
  if (from && parsed.value < from)
    return {
      ...parsed,
      value: undefined,
      error: `${label} must be the same as or after ${words(from)}`,
      parts: ['day', 'month', 'year'],
    };
  if (to && parsed.value > to)
    return {
      ...parsed,
      value: undefined,
      error: `${label} must be the same as or before ${words(to)}`,
      parts: ['day', 'month', 'year'],
    };
  return parsed;
}

/** The govukDateInput items for these boxes, with the wrong ones highlighted. */
export function dateItems(parsed: Pick<DateParse, 'typed' | 'parts'>, prefix: string) {
  const cls = (p: DatePart, width: number) =>
    `govuk-input--width-${width}${parsed.parts.includes(p) ? ' govuk-input--error' : ''}`;
  return [
    { id: `${prefix}-day`, name: `${prefix}-day`, label: 'Day', classes: cls('day', 2), value: parsed.typed.day },
    {
      id: `${prefix}-month`,
      name: `${prefix}-month`,
      label: 'Month',
      classes: cls('month', 2),
      value: parsed.typed.month,
    },
    { id: `${prefix}-year`, name: `${prefix}-year`, label: 'Year', classes: cls('year', 4), value: parsed.typed.year },
  ];
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
