import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer for downloads meant for spreadsheets. A text cell beginning with `=`, `+`,
 * `-`, `@`, tab or carriage return would run as a formula when opened (CSV injection: a project
 * name or milestone title is typed by a programme manager), so, as OWASP advises, it is written
 * with a leading `'` and quoted. Numbers stay numbers: a cell that is a plain number ("-1250.00",
 * -3) is written as it is. The JSON routes are the canonical machine-readable data.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEUTRALISED = /^'[=+\-@\t\r]/;

export function neutraliseCell(cell: unknown): unknown {
  if (typeof cell !== 'string' || !FORMULA_START.test(cell) || PLAIN_NUMBER.test(cell)) return cell;
  return `'${cell}`;
}

export function spreadsheetCsv(rows: unknown[][]): string {
  return stringify(
    rows.map((r) => r.map(neutraliseCell)),
    { quoted_match: NEUTRALISED },
  );
}
