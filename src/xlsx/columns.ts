import { parseDate } from '../common/fiscal';
import { exactPence, formatPounds, Money } from '../common/money';

/**
 * Typed spreadsheet columns. Values arrive in the system's own units (integer pence, integer
 * basis points, "YYYY-MM-DD" dates) and become real spreadsheet numbers and dates with a
 * format, never text that merely looks like a number.
 */
export type ColumnType = 'text' | 'integer' | 'money' | 'date' | 'percent';

export interface ColumnSpec {
  key: string;
  header: string;
  type: ColumnType;
  /** Width bounds in characters; the width itself comes from the content. */
  minWidth?: number;
  maxWidth?: number;
  /** For templates: a cell the partner must fill in. */
  required?: boolean;
  /** For templates: a hint shown as a comment-like line in the instructions. */
  note?: string;
}

/** A cell whose type differs from its column's (e.g. the cover's key/value sheet). */
export interface TypedCell {
  type: ColumnType;
  value: string | number | bigint | null;
}
/** Money is pence: a number, or a bigint for an exact total. */
export type CellInput = string | number | bigint | TypedCell | null | undefined;
export type RowInput = Record<string, CellInput>;

export const MONEY_FORMAT = '£#,##0.00';
export const DATE_FORMAT = 'dd mmm yyyy';
export const INTEGER_FORMAT = '#,##0';
export const PERCENT_FORMAT = '0.0%';

export const DEFAULT_MIN_WIDTH = 6;
export const DEFAULT_MAX_WIDTH = 60;

export function isTyped(v: CellInput): v is TypedCell {
  return typeof v === 'object' && v !== null;
}

/** The type a cell is written as: its own, or its column's. */
export function cellType(col: ColumnSpec, v: CellInput): ColumnType {
  return isTyped(v) ? v.type : col.type;
}

export function numFmtFor(type: ColumnType): string | undefined {
  switch (type) {
    case 'money':
      return MONEY_FORMAT;
    case 'date':
      return DATE_FORMAT;
    case 'integer':
      return INTEGER_FORMAT;
    case 'percent':
      return PERCENT_FORMAT;
    default:
      return undefined;
  }
}

/** A calendar date as the UTC midnight exceljs turns into a whole serial day number. */
export function dateCell(date: string): Date {
  const d = parseDate(date);
  return new Date(Date.UTC(d.y, d.m - 1, d.d));
}

/**
 * The value written to the cell. Money: pence / 100 is the double nearest the exact pound
 * amount (what a spreadsheet stores when a person types it). Percent: basis points / 10000.
 */
export function cellValue(col: ColumnSpec, input: CellInput): string | number | Date | null {
  if (isTyped(input)) return cellValue({ ...col, type: input.type }, input.value);
  const v = input;
  if (v === null || v === undefined || v === '') return null;
  switch (col.type) {
    case 'text':
      return String(v);
    case 'integer':
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        throw new Error(`column ${col.key}: ${String(v)} is not a whole number`);
      return v;
    case 'money':
      return moneyCell(v as Money);
    case 'percent':
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        throw new Error(`column ${col.key}: percentages are whole basis points, got ${String(v)}`);
      return v / 10000;
    case 'date':
      return dateCell(String(v));
  }
}

/**
 * A money cell: a number of pounds while the pence are exact in a double (up to 2^53); past
 * that (only a total of tens of thousands of maximum amounts gets there) a spreadsheet number
 * would round, so the cell holds the exact pounds as text ("90100999999999.99").
 */
export function moneyCell(v: Money): number | string {
  const pence = exactPence(v);
  const n = Number(pence);
  return Number.isSafeInteger(n) ? n / 100 : formatPounds(pence);
}

/** How many characters the formatted value shows, for fitting the column width. */
export function displayLength(col: ColumnSpec, input: CellInput): number {
  if (isTyped(input)) return displayLength({ ...col, type: input.type }, input.value);
  const v = input;
  if (v === null || v === undefined || v === '') return 0;
  switch (col.type) {
    case 'money': {
      const s = formatPounds(v as Money);
      const whole = s.replace('-', '').split('.')[0];
      return 1 + whole.length + Math.floor((whole.length - 1) / 3) + 3 + (s.startsWith('-') ? 1 : 0);
    }
    case 'integer': {
      const s = String(Math.abs(v as number));
      return s.length + Math.floor((s.length - 1) / 3) + ((v as number) < 0 ? 1 : 0);
    }
    case 'date':
      return 11;
    case 'percent':
      return String(Math.round((v as number) / 10)).length + 3;
    default:
      return Math.max(
        ...String(v)
          .split('\n')
          .map((l) => l.length),
      );
  }
}

export function clampWidth(col: ColumnSpec, chars: number): number {
  const min = col.minWidth ?? DEFAULT_MIN_WIDTH;
  const max = col.maxWidth ?? DEFAULT_MAX_WIDTH;
  return Math.min(max, Math.max(min, chars + 2));
}

/** Spreadsheet column letters: 1 -> A, 27 -> AA. */
export function columnLetter(n: number): string {
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
