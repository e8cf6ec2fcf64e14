import type ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { addMoney, narrowPence } from '../common/money';
import {
  cellValue,
  clampWidth,
  moneyCell,
  ColumnSpec,
  columnLetter,
  displayLength,
  isTyped,
  numFmtFor,
  numFmtOfCell,
  RowInput,
} from './columns';

/**
 * Streaming xlsx output on exceljs's WorkbookWriter: rows are written and released as they
 * come (from arrays or async iterables), so a national return of thousands of rows never sits
 * in memory. Column widths are fitted to the header and the first WIDTH_SAMPLE rows (held
 * back uncommitted until then, because the <cols> element precedes the sheet's data).
 */

/**
 * exceljs's streaming WorkbookWriter alone: its index loads the whole library (the reader, with
 * jszip, unzipper and fast-csv), 11 MB and a fifth of a second more for every command that
 * only writes. The class is the one `ExcelJS.stream.xlsx.WorkbookWriter` names.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a path inside the package, which its types do not declare
const WorkbookWriter = require('exceljs/lib/stream/xlsx/workbook-writer') as typeof ExcelJS.stream.xlsx.WorkbookWriter;

/** A totals row: the exact sum, in integer pence, of the rows it covers. */
export interface TotalSpec {
  label: string;
  /** Only rows whose `column` cell equals `equals` (written as SUMIF). */
  where?: { column: string; equals: string };
  /** Columns to total; default every money column. */
  columns?: string[];
}

export interface SheetSpec {
  name: string;
  columns: ColumnSpec[];
  rows: Iterable<RowInput> | AsyncIterable<RowInput>;
  totals?: TotalSpec[];
  /**
   * For templates: the keys of the columns a person fills in. The sheet is then protected
   * (without a password: a guard against slips, not a secret): on the rows written every other
   * cell is locked, the header too; the rows below stay open for new lines.
   */
  inputs?: string[];
  /** For templates: a dropdown of the allowed codes of a column, on the rows written and OPEN_ROWS more. */
  choices?: Record<string, string[]>;
}

/** How many empty rows below a template's data carry its dropdowns (for new lines). */
export const OPEN_ROWS = 200;
/** Excel's limit on a dropdown written as an inline list ("A,B,C"). */
const INLINE_LIST_MAX = 255;

export interface SheetResult {
  name: string;
  rows: number;
  /** Per totals row: column key -> exact sum (pence for money; a bigint only past 2^53). */
  totals: { label: string; values: Record<string, number | bigint> }[];
}

export interface WriteOptions {
  creator?: string;
  /** Fixed creation time so two writes of the same content differ as little as possible. */
  created?: Date;
  /** Called after each committed batch with the running row count of the sheet. */
  onProgress?: (sheet: string, rowsWritten: number) => void;
  /** Every printed page's footer (e.g. the programme; the return and quarter); the sheet name and "page n of m" follow. */
  footer?: string | FooterSpec;
}

/** Paper size 9 is A4 in the OOXML page setup. */
const A4 = 9;

/** A printed page's footer: what is printed (left) and which return or quarter (centre). */
export interface FooterSpec {
  left: string;
  centre?: string;
}

/** '&' starts a header/footer code: a literal one is doubled. */
const footerText = (s: string) => s.replace(/&/g, '&&');

/**
 * How every sheet prints: A4 landscape, all columns fitted to one page width (as many pages
 * down as needed), the header row repeated on each page, and an 8-point footer naming what is
 * printed (left, centre) and the sheet and page (right). Set when the sheet is added, so it
 * holds on the streaming WorkbookWriter; the one place page setup is decided.
 */
export function printSettings(footer?: string | FooterSpec): Partial<ExcelJS.AddWorksheetOptions> {
  const f = typeof footer === 'string' ? { left: footer } : footer;
  const left = f ? `&L&8${footerText(f.left)}` : '';
  const centre = f?.centre ? `&C&8${footerText(f.centre)}` : '';
  return {
    pageSetup: {
      paperSize: A4,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    } as Partial<ExcelJS.PageSetup>,
    headerFooter: { oddFooter: `${left}${centre}&R&8&A, page &P of &N` } as Partial<ExcelJS.HeaderFooter>,
  };
}

export const WIDTH_SAMPLE = 200;
const YIELD_EVERY = 500;
/** Uncompressed sheet XML allowed to wait for the zip's deflate before more rows are produced. */
const PENDING_MAX = 512 * 1024;

/** What `drained` reads of exceljs's sheet stream: the archiver entry stream it writes into. */
interface SheetStream {
  stream?: {
    pipes?: {
      _writableState?: { length: number };
      once(e: string, f: () => void): unknown;
      off(e: string, f: () => void): unknown;
    }[];
  };
}

/**
 * exceljs's sheet stream writes into archiver's entry stream without heeding its backpressure:
 * when deflate (on the thread pool) falls behind, as on a busy machine, the sheet's
 * uncompressed XML piles up in memory (16 MB at 50,000 rows, and more the busier the machine).
 * This waits until it has drained past a bound. It reads internals of exceljs and archiver's
 * stream (typed loosely): where they are missing, nothing waits.
 */
async function drained(ws: ExcelJS.Worksheet): Promise<void> {
  const entry = (ws as unknown as SheetStream).stream?.pipes?.[0];
  if (!entry?._writableState || entry._writableState.length < PENDING_MAX) return;
  // A write past the stream's high-water mark set needDrain: 'drain' follows once it is empty.
  await new Promise<void>((res) => {
    const done = () => {
      entry.off('drain', done);
      entry.off('close', done);
      res();
    };
    entry.once('drain', done);
    entry.once('close', done);
  });
}
const SHEET_NAME_MAX = 31;

export function checkSheetName(name: string): void {
  if (!name || name.length > SHEET_NAME_MAX || /[[\]:*?/\\]/.test(name))
    throw new Error(`"${name}" is not a valid sheet name (1-31 characters, none of []:*?/\\)`);
}

function totalColumns(sheet: SheetSpec, t: TotalSpec): ColumnSpec[] {
  const keys = t.columns ?? sheet.columns.filter((c) => c.type === 'money').map((c) => c.key);
  return keys.map((k) => {
    const c = sheet.columns.find((x) => x.key === k);
    if (!c || (c.type !== 'money' && c.type !== 'integer'))
      throw new Error(`sheet ${sheet.name}: totals column "${k}" is not a money or integer column`);
    return c;
  });
}

async function writeSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  sheet: SheetSpec,
  opts: WriteOptions,
): Promise<SheetResult> {
  checkSheetName(sheet.name);
  const ws = wb.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    ...printSettings(opts.footer),
  });
  const cols = sheet.columns;
  const widths = cols.map((c) => c.header.length);
  // Running exact sums (integer pence, bigint: a total may pass 2^53).
  const totals = (sheet.totals ?? []).map((t) => ({
    spec: t,
    cols: totalColumns(sheet, t),
    sums: new Map<string, bigint>(),
  }));
  for (const t of totals) for (const c of t.cols) t.sums.set(c.key, 0n);
  // A column's format is its style, which every cell added below inherits (as exceljs does for
  // column styles); only a cell whose type differs from its column's gets its own format.
  cols.forEach((c, i) => {
    const fmt = numFmtFor(c.type);
    if (fmt) ws.getColumn(i + 1).numFmt = fmt;
    // Long text wraps inside its column (top-aligned), so printing never runs past the page edge.
    if (c.type === 'text') ws.getColumn(i + 1).alignment = { wrapText: true, vertical: 'top' };
  });

  const inputs = sheet.inputs ? new Set(sheet.inputs) : undefined;
  // Protected: every column open by default (new lines below the data), the written cells of
  // other columns locked one by one below.
  if (inputs) cols.forEach((_, i) => (ws.getColumn(i + 1).protection = { locked: false }));
  const header = ws.addRow(cols.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.numFmt = undefined as unknown as string;
    if (inputs) cell.protection = { locked: true };
  });
  let n = 0;
  let widthsSet = false;
  const fitWidths = () => {
    cols.forEach((c, i) => (ws.getColumn(i + 1).width = clampWidth(c, widths[i])));
    widthsSet = true;
  };

  // exceljs gives each new cell its own copy of its column's style, then renders that copy to
  // XML to find its style id (a third of the time of writing a large sheet). A cell whose style
  // is its column's takes the first such cell's object instead, per column and value type (the
  // type picks a default format), which exceljs's style cache (by object) resolves without
  // rendering: the same style ids, the same bytes. A template's cells (locked one by one) keep their own.
  const shared = new Map<string, Partial<ExcelJS.Style>>();
  for await (const r of sheet.rows as AsyncIterable<RowInput>) {
    const row = ws.addRow(cols.map((c) => cellValue(c, r[c.key])));
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      const v = r[c.key];
      const cell = row.getCell(i + 1);
      if (isTyped(v) && (v.type !== c.type || v.type === 'quantity') && v.value !== null)
        cell.numFmt = numFmtOfCell(v) as string;
      else if (!inputs) {
        const key = `${i}|${cell.type}`;
        const style = shared.get(key);
        if (style) cell.style = style;
        else shared.set(key, cell.style);
      }
      if (inputs && !inputs.has(c.key)) cell.protection = { locked: true };
      if (!widthsSet) widths[i] = Math.max(widths[i], displayLength(c, v));
    }
    for (const t of totals) {
      if (t.spec.where && String(r[t.spec.where.column] ?? '') !== t.spec.where.equals) continue;
      for (const c of t.cols) {
        const v = r[c.key];
        if (typeof v === 'number' || typeof v === 'bigint') t.sums.set(c.key, addMoney(t.sums.get(c.key)!, v));
        else if (isTyped(v) || (v !== null && v !== undefined))
          throw new Error(`sheet ${sheet.name}: ${c.key} must be a number to be totalled`);
      }
    }
    n++;
    if (!widthsSet && n >= WIDTH_SAMPLE) fitWidths();
    // Once the widths are fixed, each row is written and released at once: rows held back
    // for a batch outlive the young generation and cost the garbage collector dearly.
    if (widthsSet) row.commit();
    if (widthsSet && n % YIELD_EVERY === 0) {
      opts.onProgress?.(sheet.name, n);
      // Let the zip stream drain before producing more.
      await new Promise((res) => setImmediate(res));
      await drained(ws);
    }
  }

  const result: SheetResult = { name: sheet.name, rows: n, totals: [] };
  const firstData = 2;
  const lastData = n + 1;
  for (const t of totals) {
    const values: Record<string, number | bigint> = {};
    const cells: (string | number | null | ExcelJS.CellFormulaValue)[] = cols.map(() => null);
    cells[0] = t.spec.label;
    for (const c of t.cols) {
      const sum = narrowPence(t.sums.get(c.key)!);
      values[c.key] = sum;
      const idx = cols.indexOf(c);
      const range = `${columnLetter(idx + 1)}${firstData}:${columnLetter(idx + 1)}${Math.max(lastData, firstData)}`;
      const result = c.type === 'money' ? moneyCell(sum) : typeof sum === 'bigint' ? String(sum) : sum;
      if (typeof result !== 'number') {
        // Past 2^53 pence a formula's result would be a rounded double: the exact figure as text.
        cells[idx] = result;
      } else if (n === 0) {
        cells[idx] = result;
      } else if (t.spec.where) {
        const wIdx = cols.findIndex((x) => x.key === t.spec.where!.column);
        const wRange = `$${columnLetter(wIdx + 1)}$${firstData}:$${columnLetter(wIdx + 1)}$${lastData}`;
        cells[idx] = {
          formula: `SUMIF(${wRange},"${t.spec.where.equals.replace(/"/g, '""')}",${range})`,
          result,
        } as ExcelJS.CellFormulaValue;
      } else {
        cells[idx] = { formula: `SUM(${range})`, result } as ExcelJS.CellFormulaValue;
      }
      widths[idx] = widthsSet ? widths[idx] : Math.max(widths[idx], displayLength(c, sum));
    }
    if (!widthsSet) widths[0] = Math.max(widths[0], t.spec.label.length);
    const row = ws.addRow(cells);
    row.font = { bold: true };
    for (const c of t.cols) row.getCell(cols.indexOf(c) + 1).numFmt = numFmtFor(c.type)!;
    result.totals.push({ label: t.spec.label, values });
  }
  if (!widthsSet) fitWidths();
  for (const [key, list] of Object.entries(sheet.choices ?? {})) {
    const idx = cols.findIndex((c) => c.key === key);
    if (idx < 0) throw new Error(`sheet ${sheet.name}: choices for "${key}", which is not one of its columns`);
    const inline = `"${list.join(',')}"`;
    // A list too long for Excel's inline form is left as a plain cell (the import still checks it).
    if (!list.length || inline.length > INLINE_LIST_MAX || list.some((x) => /[,"]/.test(x))) continue;
    const col = columnLetter(idx + 1);
    // The streaming sheet has exceljs's dataValidations (written at commit); its types omit them.
    (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
      `${col}2:${col}${n + 1 + OPEN_ROWS}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [inline],
        showErrorMessage: true,
        errorStyle: 'stop',
        errorTitle: cols[idx].header,
        error: `Choose one of the list: ${list.join(', ')}`,
      },
    );
  }
  if (inputs)
    await ws.protect('', {
      selectLockedCells: true,
      selectUnlockedCells: true,
      formatColumns: true,
      formatRows: true,
    });
  ws.commit();
  opts.onProgress?.(sheet.name, n);
  return result;
}

/** Writes the sheets to `out` (ended when done) and reports what each sheet holds. */
export async function writeXlsx(
  out: Writable,
  sheets: Iterable<SheetSpec> | AsyncIterable<SheetSpec>,
  opts: WriteOptions = {},
): Promise<SheetResult[]> {
  const wb = new WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = opts.creator ?? 'Growth Deal tracker';
  wb.created = opts.created ?? new Date();
  wb.modified = wb.created;
  const results: SheetResult[] = [];
  const names = new Set<string>();
  for await (const s of sheets as AsyncIterable<SheetSpec>) {
    if (names.has(s.name.toLowerCase())) throw new Error(`two sheets are named "${s.name}"`);
    names.add(s.name.toLowerCase());
    results.push(await writeSheet(wb, s, opts));
  }
  const done = finished(out);
  await wb.commit();
  await done;
  return results;
}

export async function writeXlsxToFile(
  path: string,
  sheets: Iterable<SheetSpec> | AsyncIterable<SheetSpec>,
  opts: WriteOptions = {},
): Promise<SheetResult[]> {
  return writeXlsx(createWriteStream(path), sheets, opts);
}

/** For small workbooks that are stored (a frozen return, a template): the bytes. */
export async function writeXlsxToBuffer(
  sheets: Iterable<SheetSpec> | AsyncIterable<SheetSpec>,
  opts: WriteOptions = {},
): Promise<{ bytes: Buffer; sheets: SheetResult[] }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const results = await writeXlsx(out, sheets, opts);
  return { bytes: Buffer.concat(chunks), sheets: results };
}
