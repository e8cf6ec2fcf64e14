import ExcelJS from 'exceljs';
import { readFile, stat } from 'node:fs/promises';
import { DomainError } from '../common/errors';
import { formatDate, parseDate } from '../common/fiscal';
import { parseLoosePounds } from '../common/money';
import { ColumnSpec, columnLetter } from './columns';

/**
 * Reading a partner's workbook: size, signature and zip integrity are checked before any
 * parsing; cells are read by header name; every problem is collected as a
 * `Sheet!Cell: problem` line and any problem rejects the whole file (all or nothing).
 */
export const MAX_XLSX_BYTES = 50 * 1024 * 1024;

/** The whole file is refused, with every reason (422). */
export class XlsxRejectedError extends DomainError {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super('XLSX_REJECTED', problems.length ? `${message}:\n${problems.join('\n')}` : message, 422, { problems });
  }
}

const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

function describeSize(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Refuses anything that is not a plausible, complete xlsx before exceljs sees it. */
export function checkXlsxBytes(bytes: Buffer, name = 'the file'): void {
  if (bytes.length > MAX_XLSX_BYTES)
    throw new XlsxRejectedError(`${name} is ${describeSize(bytes.length)}: the limit is 50 MB`, []);
  if (bytes.length < 22 || !bytes.subarray(0, 4).equals(ZIP_LOCAL)) {
    throw new XlsxRejectedError(
      `${name} is not an xlsx workbook (an .xlsx file is a zip archive; this one does not start like one). Save it from your spreadsheet program as "Excel Workbook (.xlsx)"`,
      [],
    );
  }
  // The end-of-central-directory record sits in the last 22 + up to 65535 (comment) bytes;
  // a truncated or partly overwritten download has none.
  const tail = bytes.subarray(Math.max(0, bytes.length - 65557));
  if (tail.lastIndexOf(ZIP_END) < 0)
    throw new XlsxRejectedError(
      `${name} is damaged: the zip archive is incomplete (was the download or copy cut short?)`,
      [],
    );
}

/** Loads a workbook from bytes or a path, after the checks above. */
export async function loadXlsx(input: Buffer | string, name?: string): Promise<ExcelJS.Workbook> {
  let bytes: Buffer;
  if (typeof input === 'string') {
    const label = name ?? input;
    let size: number;
    try {
      size = (await stat(input)).size;
    } catch {
      throw new XlsxRejectedError(`${label} cannot be read`, []);
    }
    if (size > MAX_XLSX_BYTES) throw new XlsxRejectedError(`${label} is ${describeSize(size)}: the limit is 50 MB`, []);
    bytes = await readFile(input);
  } else {
    bytes = input;
  }
  const label = name ?? (typeof input === 'string' ? input : 'the file');
  checkXlsxBytes(bytes, label);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new XlsxRejectedError(
      `${label} is damaged or is not an xlsx workbook (${(e as Error).message.split('\n')[0]})`,
      [],
    );
  }
  if (wb.worksheets.length === 0)
    throw new XlsxRejectedError(`${label} has no worksheets: it is not a spreadsheet workbook`, []);
  return wb;
}

export type ReadValue = string | number | null;

export interface ReadSheetSpec {
  name: string;
  columns: ColumnSpec[];
  /** Header row number (1-based); data starts on the next row. */
  headerRow?: number;
  /** Rows whose first column starts with this are skipped (totals, notes). */
  skipWhenFirstCellStartsWith?: string;
}

export interface ReadRow {
  /** Spreadsheet row number, for messages. */
  row: number;
  values: Record<string, ReadValue>;
}

/** The raw value of a cell: formula results, rich text joined, hyperlinks' text. */
function rawValue(cell: ExcelJS.Cell): unknown {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('error' in o) return { error: o.error };
    // exceljs drops a cached formula result of 0 when loading (it keeps only truthy fields);
    // spreadsheet programs always save the result, so a formula without one is a 0.
    if ('formula' in o || 'sharedFormula' in o) return o.result ?? 0;
    if ('result' in o) return o.result ?? null;
    if ('richText' in o) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('text' in o) return o.text;
  }
  return v;
}

/** Converts one cell to the column's unit, or says what is wrong with it. */
export function convertCell(col: ColumnSpec, raw: unknown): { value: ReadValue } | { problem: string } {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    return col.required ? { problem: `${col.header} is required` } : { value: null };
  }
  if (typeof raw === 'object' && raw !== null && 'error' in raw)
    return { problem: `holds the spreadsheet error ${String((raw as { error: unknown }).error)}` };
  const shown = raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw);
  switch (col.type) {
    case 'text':
      return { value: String(raw).trim() };
    case 'money':
      try {
        return { value: parseLoosePounds(typeof raw === 'number' ? raw : shown) };
      } catch (e) {
        return { problem: `${col.header} ${(e as Error).message} (found "${shown}")` };
      }
    case 'integer': {
      const n =
        typeof raw === 'number'
          ? raw
          : /^-?\d[\d,]*$/.test(shown.trim())
            ? Number(shown.trim().replace(/,/g, ''))
            : NaN;
      if (!Number.isSafeInteger(n)) return { problem: `${col.header} must be a whole number (found "${shown}")` };
      return { value: n };
    }
    case 'percent': {
      const n = typeof raw === 'number' ? raw * 10000 : NaN;
      if (!Number.isFinite(n) || Math.abs(n - Math.round(n)) > 1e-6)
        return { problem: `${col.header} must be a percentage with at most two decimal places (found "${shown}")` };
      return { value: Math.round(n) };
    }
    case 'datetime':
    case 'quantity':
      return { problem: `${col.header}: ${col.type} columns are written, not read` };
    case 'date': {
      if (raw instanceof Date) {
        if (Number.isNaN(raw.getTime())) return { problem: `${col.header} is not a date` };
        // exceljs reads serial day numbers as UTC midnights; a time part means it is not a plain date.
        if (raw.getUTCHours() || raw.getUTCMinutes() || raw.getUTCSeconds())
          return { problem: `${col.header} must be a date without a time (found "${raw.toISOString()}")` };
        return { value: formatDate({ y: raw.getUTCFullYear(), m: raw.getUTCMonth() + 1, d: raw.getUTCDate() }) };
      }
      try {
        return { value: formatDate(parseDate(shown.trim())) };
      } catch {
        return { problem: `${col.header} must be a date like 2015-06-30 (found "${shown}")` };
      }
    }
  }
}

/** Reads one sheet by header name; problems are appended as `Sheet!Cell: problem`. */
export function readSheet(wb: ExcelJS.Workbook, spec: ReadSheetSpec, problems: string[]): ReadRow[] {
  const ws = wb.getWorksheet(spec.name);
  if (!ws) {
    problems.push(`${spec.name}: the sheet is missing (sheets found: ${wb.worksheets.map((w) => w.name).join(', ')})`);
    return [];
  }
  const headerRow = spec.headerRow ?? 1;
  const positions = new Map<string, number>();
  ws.getRow(headerRow).eachCell((cell, colNumber) => {
    const text = String(rawValue(cell) ?? '').trim();
    if (text) positions.set(text.toLowerCase(), colNumber);
  });
  const colOf = new Map<string, number>();
  for (const c of spec.columns) {
    const at = positions.get(c.header.toLowerCase());
    if (at === undefined)
      problems.push(
        `${spec.name}!${columnLetter(ws.columnCount + 1 || 1)}${headerRow}: column "${c.header}" is missing from the header row`,
      );
    else colOf.set(c.key, at);
  }
  if (colOf.size < spec.columns.length) return [];
  const out: ReadRow[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const raws = spec.columns.map((c) => rawValue(row.getCell(colOf.get(c.key)!)));
    if (raws.every((v) => v === null || (typeof v === 'string' && v.trim() === ''))) continue;
    const first = raws[0];
    if (
      spec.skipWhenFirstCellStartsWith &&
      typeof first === 'string' &&
      first.startsWith(spec.skipWhenFirstCellStartsWith)
    )
      continue;
    const values: Record<string, ReadValue> = {};
    const rowProblems: [number, string][] = [];
    spec.columns.forEach((c, i) => {
      const res = convertCell(c, raws[i]);
      const at = colOf.get(c.key)!;
      if ('problem' in res) rowProblems.push([at, `${spec.name}!${columnLetter(at)}${r}: ${res.problem}`]);
      else values[c.key] = res.value;
    });
    // Left to right, as the person will fix them.
    problems.push(...rowProblems.sort((a, b) => a[0] - b[0]).map(([, p]) => p));
    out.push({ row: r, values });
  }
  return out;
}

/** Reads every sheet; any problem anywhere rejects the whole file with the full list. */
export async function readXlsx(
  input: Buffer | string,
  sheets: ReadSheetSpec[],
  name?: string,
): Promise<Record<string, ReadRow[]>> {
  const wb = await loadXlsx(input, name);
  const problems: string[] = [];
  const out: Record<string, ReadRow[]> = {};
  for (const s of sheets) out[s.name] = readSheet(wb, s, problems);
  if (problems.length)
    throw new XlsxRejectedError(
      `${name ?? 'the file'} was not imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was changed`,
      problems,
    );
  return out;
}
