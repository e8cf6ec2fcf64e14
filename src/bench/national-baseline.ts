import ExcelJS from 'exceljs';
import { nationalBatchSql, toNationalRows } from '../national-return/national-return.queries';
import {
  COVER_COLUMNS,
  coverRows,
  FINANCE_COLUMNS,
  financeRow,
  MONEY_KEYS,
  PROGRAMME_COLUMNS,
  ProgrammeSums,
} from '../national-return/national-return.sheets';
import { columnLetter, MONEY_FORMAT, INTEGER_FORMAT, type ColumnSpec, type RowInput } from '../xlsx';
import type { RawDb } from './raw-driver';

/**
 * The national return's baseline: exceljs's streaming WorkbookWriter writing the same cells
 * from memory (rows loaded beforehand by one statement on the raw driver, totals computed in
 * integer pence). Column styles carry the formats: the cheapest way exceljs offers.
 */
type Cell = string | number | Date | null | { formula: string; result: number };
export interface InMemoryBook {
  sheets: { name: string; columns: ColumnSpec[]; rows: Cell[][] }[];
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

function cellsOf(columns: ColumnSpec[], r: RowInput): Cell[] {
  return columns.map((c) => {
    const input = r[c.key];
    // A cover cell may carry its own type (a count, the generation time).
    const typed = input !== null && typeof input === 'object';
    const v = typed ? input.value : input;
    const type = typed ? input.type : c.type;
    if (v === null || v === undefined || v === '') return null;
    if (type === 'datetime') return new Date(String(v));
    return type === 'money' ? num(v) / 100 : type === 'integer' ? num(v) : String(v);
  });
}

/** Total rows as the app writes them: SUM / SUMIF formulas with their exact results. */
function totalRow(
  columns: ColumnSpec[],
  label: string,
  keys: string[],
  rows: RowInput[],
  where?: { column: string; equals: string },
): Cell[] {
  const out: Cell[] = columns.map(() => null);
  out[0] = label;
  const n = rows.length;
  for (const k of keys) {
    const i = columns.findIndex((c) => c.key === k);
    let sum = 0;
    for (const r of rows) if (!where || r[where.column] === where.equals) sum += r[k] as number;
    const result = columns[i].type === 'money' ? sum / 100 : sum;
    const range = `${columnLetter(i + 1)}2:${columnLetter(i + 1)}${n + 1}`;
    if (n === 0) out[i] = result;
    else if (where) {
      const w = columnLetter(columns.findIndex((c) => c.key === where.column) + 1);
      out[i] = { formula: `SUMIF($${w}$2:$${w}$${n + 1},"${where.equals}",${range})`, result };
    } else out[i] = { formula: `SUM(${range})`, result };
  }
  return out;
}

/** Loads everything the export shows, untimed: one statement for all rows, two small lists. */
export async function loadNationalBook(raw: RawDb, quarter: string, generatedAt: string): Promise<InMemoryBook> {
  const sql = nationalBatchSql(raw.kind);
  const { rows } = toNationalRows(await raw.all(sql, [quarter, '', '', 1_000_000_000]));
  const programmes = (
    await raw.all<{ code: string; name: string; synthetic: unknown }>(
      'SELECT code, name, synthetic FROM programme ORDER BY code',
    )
  ).map((p) => ({
    code: p.code,
    name: p.name,
    synthetic: p.synthetic === true || p.synthetic === 1,
  }));
  const kinds = await raw.all<{ code: string }>('SELECT code FROM source_kind ORDER BY position, code');
  // Bench datasets are synthetic programmes only (no seed, no demo): no illustrative marks to look up.
  const finance = rows.map((r) => financeRow(r));
  const sums = new ProgrammeSums();
  for (const r of finance) sums.add(r);
  const progRows = sums.rows(programmes);
  const money = [...MONEY_KEYS];
  return {
    sheets: [
      {
        name: 'Cover',
        columns: COVER_COLUMNS,
        rows: coverRows(quarter, programmes, generatedAt).map((r) => cellsOf(COVER_COLUMNS, r)),
      },
      {
        name: 'Finance',
        columns: FINANCE_COLUMNS,
        rows: [
          ...finance.map((r) => cellsOf(FINANCE_COLUMNS, r)),
          totalRow(FINANCE_COLUMNS, 'Total', money, finance),
          ...kinds.map((k) =>
            totalRow(FINANCE_COLUMNS, `Total ${k.code}`, money, finance, { column: 'source', equals: k.code }),
          ),
        ],
      },
      {
        name: 'Programmes',
        columns: PROGRAMME_COLUMNS,
        rows: [
          ...progRows.map((r) => cellsOf(PROGRAMME_COLUMNS, r)),
          totalRow(PROGRAMME_COLUMNS, 'Total', ['rows', ...money], progRows),
        ],
      },
    ],
  };
}

/** The timed part: stream the in-memory cells to an xlsx file. */
export async function writeBookWithExceljs(path: string, book: InMemoryBook): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  for (const s of book.sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.columns = s.columns.map((c) => ({
      header: c.header,
      width: 16,
      style: c.type === 'money' ? { numFmt: MONEY_FORMAT } : c.type === 'integer' ? { numFmt: INTEGER_FORMAT } : {},
    }));
    for (const r of s.rows) ws.addRow(r).commit();
    ws.commit();
  }
  await wb.commit();
}

type Value = string | number | Date | null;

/** Every sheet's cell values (a formula as its cached result; a date cell as a Date), to compare two workbooks. */
export async function workbookValues(path: string): Promise<Record<string, Value[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const out: Record<string, Value[][]> = {};
  wb.eachSheet((ws) => {
    const rows: Value[][] = [];
    // columnCount walks every row: read it once per sheet.
    const width = ws.columnCount;
    ws.eachRow({ includeEmpty: true }, (row) => {
      const vals: Value[] = [];
      for (let i = 1; i <= width; i++) {
        const v = row.getCell(i).value as unknown;
        vals.push(
          v === null || v === undefined
            ? null
            : typeof v === 'object' && v !== null && 'result' in v
              ? ((v as { result: number }).result ?? null)
              : (v as string | number | Date),
        );
      }
      rows.push(vals);
    });
    out[ws.name] = rows;
  });
  return out;
}
