import {
  illustrativeParts,
  illustrativeWords,
  mergeIllustrativeParts,
  type IllustrativeParts,
} from '../changes/agreed.queries';
import { exactPence, narrowPence, type Money } from '../common/money';
import { keyValueRows, type ColumnSpec, type RowInput, type SheetSpec, type TotalSpec } from '../xlsx';
import type { IllustrativeMarks } from './national-return.marks';
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

/** A synthetic programme's rows are generated as a whole: this says so, whatever else is marked. */
export const SYNTHETIC_MARK = 'synthetic programme';

const NOTHING: IllustrativeParts = { changeRequests: [], allocation: false, figures: false };

/** What on a finance row is illustrative, marked as the programme return's Finance sheet marks it. */
export function rowIllustrative(r: NationalRow, marks?: IllustrativeMarks): IllustrativeParts {
  const p = marks?.get(r.programme);
  const key = `${r.project}|${r.sourceKind}`;
  return illustrativeParts(p?.lines.get(key), r.spendIllustrative || !!p?.adjusted.has(key));
}

export function financeRow(r: NationalRow, parts: IllustrativeParts = rowIllustrative(r)): RowInput {
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
    illustrative: r.synthetic ? SYNTHETIC_MARK : illustrativeWords(parts),
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
  private readonly sums = new Map<string, { rows: number; parts: IllustrativeParts } & Record<MoneyKey, bigint>>();

  add(r: RowInput, parts: IllustrativeParts = NOTHING): void {
    const code = r.programme as string;
    let s = this.sums.get(code);
    if (!s)
      this.sums.set(
        code,
        (s = {
          rows: 0,
          parts: NOTHING,
          allocation: 0n,
          baseline: 0n,
          forecast: 0n,
          actual: 0n,
          actualToDate: 0n,
          forecastProgramme: 0n,
        }),
      );
    s.rows++;
    s.parts = mergeIllustrativeParts(s.parts, parts);
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
        illustrative: p.synthetic ? SYNTHETIC_MARK : illustrativeWords(s?.parts ?? NOTHING),
      };
    });
  }
}

/**
 * The cover: what the workbook is, and what its Illustrative column means. `illustrative` lists
 * the real programmes that illustrative data touched (found before any row is written).
 */
export function coverRows(
  quarter: string,
  programmes: ProgrammeInfoRow[],
  generatedAt: string,
  illustrative: readonly string[] = [],
): RowInput[] {
  const synthetic = programmes.filter((p) => p.synthetic).length;
  return keyValueRows([
    ['Return', 'National quarterly return: finance by project and source'],
    ['Quarter', quarter],
    ['Programmes', { type: 'integer', value: programmes.length }],
    ['Synthetic programmes', { type: 'integer', value: synthetic }],
    [
      'Note',
      synthetic
        ? `Rows marked "${SYNTHETIC_MARK}" come from programmes generated for scale testing: they are not real deals.`
        : 'Live figures as at the quarter; a programme’s submitted return remains its official version.',
    ],
    [
      'Illustrative',
      `The Illustrative column says what on a row is not from the source documents: "${SYNTHETIC_MARK}", "allocation moved by change request N" (an illustrative change request moved the allocation), "allocation" (illustrative allocation data), "spend figures" (illustrative demo spend or adjustments); empty when nothing is.`,
    ],
    ['Real programmes with illustrative data', illustrative.length ? illustrative.join(', ') : 'none'],
    ['Money', 'Pounds; actual in quarter includes prior-period adjustments recorded in it'],
    ['Generated at (UTC)', { type: 'datetime', value: generatedAt }],
  ]);
}

export const COVER_COLUMNS: ColumnSpec[] = [
  { key: 'field', header: 'Field', type: 'text' },
  { key: 'value', header: 'Value', type: 'text', maxWidth: 100 },
];

export function sheetNames() {
  return { cover: 'Cover', finance: 'Finance', programmes: 'Programmes' } as const;
}

export type NationalSheets = SheetSpec[];
