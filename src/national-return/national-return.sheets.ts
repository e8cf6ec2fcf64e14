import { exactPence, narrowPence, type Money } from '../common/money';
import type { ColumnSpec, RowInput, SheetSpec, TotalSpec } from '../xlsx';
import type { NationalRow, ProgrammeInfoRow } from './national-return.queries';

/** The workbook's layout, shared by the app's export and the benchmark's in-memory baseline. */
/** What both sheets show after their own key columns: the six money figures, then the illustrative flag. */
const FIGURE_COLUMNS: ColumnSpec[] = [
  { key: 'allocation', header: 'Allocation', type: 'money' },
  { key: 'baseline', header: 'Baseline in quarter', type: 'money' },
  { key: 'forecast', header: 'Forecast in quarter', type: 'money' },
  { key: 'actual', header: 'Actual in quarter', type: 'money' },
  { key: 'actualToDate', header: 'Actual to date', type: 'money' },
  { key: 'forecastProgramme', header: 'Forecast for the programme', type: 'money' },
  { key: 'illustrative', header: 'Illustrative', type: 'text' },
];

export const FINANCE_COLUMNS: ColumnSpec[] = [
  { key: 'programme', header: 'Programme', type: 'text' },
  { key: 'project', header: 'Project', type: 'text' },
  { key: 'source', header: 'Source', type: 'text' },
  ...FIGURE_COLUMNS,
];

export const PROGRAMME_COLUMNS: ColumnSpec[] = [
  { key: 'programme', header: 'Programme', type: 'text' },
  { key: 'name', header: 'Name', type: 'text', maxWidth: 50 },
  { key: 'rows', header: 'Rows', type: 'integer' },
  ...FIGURE_COLUMNS,
];

export const MONEY_KEYS = [
  'allocation',
  'baseline',
  'forecast',
  'actual',
  'actualToDate',
  'forecastProgramme',
] as const;
export type MoneyKey = (typeof MONEY_KEYS)[number];

export function financeRow(r: NationalRow): RowInput {
  return {
    programme: r.programme,
    project: r.project,
    source: r.sourceKind,
    allocation: r.allocation,
    baseline: r.baselineInQuarter,
    forecast: r.forecastInQuarter,
    actual: r.actualInQuarter,
    actualToDate: r.actualToDate,
    forecastProgramme: r.forecastProgramme,
    illustrative: r.illustrative ? 'illustrative' : null,
  };
}

/** Grand total, then one SUMIF row per source kind present in the database. */
export function financeTotals(kinds: { code: string }[]): TotalSpec[] {
  return [
    { label: 'Total' },
    ...kinds.map((k) => ({ label: `Total ${k.code}`, where: { column: 'source', equals: k.code } })),
  ];
}

/** Per-programme sums (integer pence, exact: bigint), accumulated as the finance rows stream past. */
export class ProgrammeSums {
  private readonly sums = new Map<string, { rows: number; illustrative: boolean } & Record<MoneyKey, bigint>>();

  add(r: RowInput): void {
    const code = r.programme as string;
    let s = this.sums.get(code);
    if (!s)
      this.sums.set(
        code,
        (s = {
          rows: 0,
          illustrative: false,
          allocation: 0n,
          baseline: 0n,
          forecast: 0n,
          actual: 0n,
          actualToDate: 0n,
          forecastProgramme: 0n,
        }),
      );
    s.rows++;
    if (r.illustrative) s.illustrative = true;
    for (const k of MONEY_KEYS) s[k] += exactPence(r[k] as Money);
  }

  /** One row per programme in the database (those with nothing to report show zeros). */
  rows(programmes: ProgrammeInfoRow[]): RowInput[] {
    return programmes.map((p) => {
      const s = this.sums.get(p.code);
      return {
        programme: p.code,
        name: p.name,
        rows: s?.rows ?? 0,
        ...Object.fromEntries(MONEY_KEYS.map((k) => [k, narrowPence(s?.[k] ?? 0n)])),
        illustrative: p.synthetic || s?.illustrative ? 'illustrative' : null,
      };
    });
  }
}

export function coverRows(quarter: string, programmes: ProgrammeInfoRow[], generatedAt: string): RowInput[] {
  const synthetic = programmes.filter((p) => p.synthetic).length;
  return [
    { field: 'Return', value: 'National quarterly return: finance by project and source' },
    { field: 'Quarter', value: quarter },
    { field: 'Programmes', value: String(programmes.length) },
    { field: 'Synthetic programmes', value: String(synthetic) },
    {
      field: 'Note',
      value: synthetic
        ? 'Rows marked illustrative come from synthetic programmes generated for scale testing: they are not real deals.'
        : 'Live figures as at the quarter; a programme’s submitted return remains its official version.',
    },
    { field: 'Money', value: 'Pounds; actual in quarter includes prior-period adjustments recorded in it' },
    { field: 'Generated at', value: generatedAt },
  ];
}

export const COVER_COLUMNS: ColumnSpec[] = [
  { key: 'field', header: 'Field', type: 'text' },
  { key: 'value', header: 'Value', type: 'text', maxWidth: 100 },
];

export function sheetNames() {
  return { cover: 'Cover', finance: 'Finance', programmes: 'Programmes' } as const;
}

export type NationalSheets = SheetSpec[];
