import { parseDate } from '../common/fiscal';
import { exactPence, formatPounds, Money } from '../common/money';

/**
 * Typed spreadsheet columns. Values arrive in the system's own units (integer pence, integer
 * basis points, "YYYY-MM-DD" dates) and become real spreadsheet numbers and dates with a
 * format, never text that merely looks like a number.
 */
export type ColumnType = 'text' | 'integer' | 'money' | 'date' | 'datetime' | 'percent' | 'quantity';

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
  /** For a quantity: the stored integer's decimal places (km in metres: 3; ha in hundredths: 2). */
  places?: number;
  /** For a quantity: the unit shown by the number format ("km", "ha", "m²"). */
  unit?: string;
}
/** Money is pence: a number, or a bigint for an exact total. */
export type CellInput = string | number | bigint | TypedCell | null | undefined;
export type RowInput = Record<string, CellInput>;

export const MONEY_FORMAT = '£#,##0.00';
export const DATE_FORMAT = 'dd mmm yyyy';
export const DATETIME_FORMAT = 'dd mmm yyyy hh:mm:ss';
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

/** A quantity's format: its places and its unit, so a column of mixed units still reads "2.100 km". */
export function quantityFormat(places: number, unit?: string): string {
  const base = places > 0 ? `#,##0.${'0'.repeat(places)}` : '#,##0';
  return unit ? `${base} "${unit.replace(/"/g, '')}"` : base;
}

/** A cell's own format where its type (or a quantity's places and unit) differs from its column's. */
export function numFmtOfCell(v: TypedCell): string | undefined {
  return v.type === 'quantity' ? quantityFormat(v.places ?? 0, v.unit) : numFmtFor(v.type);
}

export function numFmtFor(type: ColumnType): string | undefined {
  switch (type) {
    case 'datetime':
      return DATETIME_FORMAT;
    case 'quantity':
      return INTEGER_FORMAT;
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

/** An ISO timestamp ("2026-12-02T07:32:13.864Z") as the Date exceljs writes as a serial date-time (UTC). */
export function dateTimeCell(iso: string): Date {
  const d = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(d.getTime())) throw new Error(`"${iso}" is not a timestamp`);
  return d;
}

/**
 * Text as a cell shows it: no markup (a source quote's "<b>Total</b>" reads "Total") and no
 * tabs (a quoted table row's cells are separated by " | "); line breaks stay.
 */
export function plainText(s: string): string {
  return s.replace(/<\/?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?\/?>/g, '').replace(/[ ]*\t+[ ]*/g, ' | ');
}

/** A quantity stored as an integer of a smaller unit, as exact decimal text ("30.00"). */
export function quantityText(stored: number, places: number): string {
  if (places === 0) return String(stored);
  const s = String(Math.abs(stored)).padStart(places + 1, '0');
  return `${stored < 0 ? '-' : ''}${s.slice(0, -places)}.${s.slice(-places)}`;
}

/**
 * The value written to the cell. Money: pence / 100 is the double nearest the exact pound
 * amount (what a spreadsheet stores when a person types it). Percent: basis points / 10000.
 */
export function cellValue(col: ColumnSpec, input: CellInput): string | number | Date | null {
  if (isTyped(input)) {
    if (input.type === 'quantity' && input.value !== null && input.value !== '') {
      if (typeof input.value !== 'number' || !Number.isSafeInteger(input.value))
        throw new Error(
          `column ${col.key}: a quantity is a whole number of its stored unit, got ${String(input.value)}`,
        );
      // The nearest double to the exact decimal (as a person typing "2.1" gets).
      return Number(quantityText(input.value, input.places ?? 0));
    }
    return cellValue({ ...col, type: input.type }, input.value);
  }
  const v = input;
  if (v === null || v === undefined || v === '') return null;
  switch (col.type) {
    case 'text':
      return plainText(String(v));
    case 'quantity':
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
    case 'datetime':
      return dateTimeCell(String(v));
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
    case 'datetime':
      return 20;
    case 'quantity':
      return String(v).length + 4;
    case 'percent':
      return String(Math.round((v as number) / 10)).length + 3;
    default:
      return Math.max(
        ...plainText(String(v))
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

/** Cells for a two-column key/value sheet (a cover), each value keeping its own type. */
export function keyValueRows(entries: [string, CellInput][]): RowInput[] {
  return entries.map(([field, value]) => ({ field, value }));
}
