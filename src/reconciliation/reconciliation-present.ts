import Decimal from 'decimal.js';
import { spreadsheetCsv } from '../common/csv';
import { exactPence, formatPounds, type Money } from '../common/money';
import type { HeadlineUnit } from '../headlines/headline-figure.entity';
import { agreedFigures, changeRequestWords, presentAgreedLine, type AgreedLine } from '../changes/agreed.queries';
import type { Breakdown, Conflict, ReconciliationLine } from './engine';
import type { LineAgreed } from './engine/report';
import type { BreakdownResult, NationalBreakdownResult, ReconciliationResult } from './reconciliation.service';

/**
 * What HTTP, CSV and the CLI's json show: money as two-place pound strings, counts as whole
 * numbers, each line keeping its `unit` so a reader knows which is which.
 */

export const AMOUNTS_NOTE =
  'Amounts in pounds are strings with two decimal places; counts (jobs, homes, projects, sites) are whole numbers; each line names its unit.';

/** A value in its unit: "78100000.00" for pounds, 8 for counts. */
export function inUnit(unit: HeadlineUnit, v: Money): string | number;
export function inUnit(unit: HeadlineUnit, v: Money | null): string | number | null;
export function inUnit(unit: HeadlineUnit, v: Money | null): string | number | null {
  if (v === null) return null;
  if (unit === 'pounds') return formatPounds(v);
  return typeof v === 'bigint' ? String(v) : v; // a count past 2^53 stays exact as text
}

/** Half a precision: exact, so an odd number of pence keeps its half. */
function tolerance(unit: HeadlineUnit, precision: number): string | number {
  if (unit !== 'pounds') return precision / 2;
  const d = new Decimal(precision).dividedBy(200);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
}

export function presentLine(l: ReconciliationLine) {
  return {
    headlineCode: l.headlineCode,
    check: l.check,
    comparison: l.comparison,
    label: l.label,
    measure: l.measure,
    unit: l.unit,
    qualifier: l.qualifier,
    status: l.status,
    stated: inUnit(l.unit, l.stated),
    computed: inUnit(l.unit, l.computed),
    variance: inUnit(l.unit, l.variance),
    precision: inUnit(l.unit, l.precision),
    tolerance: tolerance(l.unit, l.precision),
    unattributed: inUnit(l.unit, l.unattributed),
    explanation: l.explanation,
    provenance: l.provenance,
    table: l.table,
    notes: l.notes,
    contributingAllocationIds: l.contributingAllocationIds,
    contributingHeadlines: l.contributingHeadlines,
    suggestion: l.suggestion,
    illustrative: l.illustrative ?? false,
    agreedVsNow: l.agreed ? presentLineAgreed(l.agreed) : null,
  };
}

/** A line's status for a reader: the public pages and the return workbook say the same. */
export const STATUS_WORDS: Record<string, string> = {
  reconciled: 'Agrees exactly',
  within_rounding: 'Agrees within rounding',
  unreconciled: 'Does not agree',
  met: 'Promise met',
  not_met: 'Not met yet',
  not_comparable: 'Cannot be compared yet',
};

/**
 * A line's verdict with the comparison it is ("Against the allocations: does not agree", "The
 * table’s own arithmetic: agrees exactly"): one headline can give two lines with opposite
 * verdicts, and each must say which comparison it is.
 */
export function verdictWords(l: Pick<ReconciliationLine, 'comparison' | 'status'>): string {
  const words = STATUS_WORDS[l.status] ?? l.status;
  return `${l.comparison.charAt(0).toUpperCase()}${l.comparison.slice(1)}: ${words.charAt(0).toLowerCase()}${words.slice(1)}`;
}

/**
 * An allocations line's figure as agreed beside now, in the words every surface uses ("agreed
 * £4.0m · now £4.2m (+£0.2m, change request 1)"; "agreed £11.6m · now £11.6m (no net change:
 * change request 1 moved money within it)"; "agreed £16.1m · unchanged"), marked where
 * illustrative data touched the line; null where it has no figure to set beside it (a year the
 * unprofiled money cannot be split into, or a line that does not compare allocations).
 */
export function lineAgreedWords(a: LineAgreed | undefined, illustrative: boolean): string | null {
  if (!a || a.agreed === null || a.now === null) return null;
  const mark = illustrative ? ' (illustrative)' : '';
  const f = agreedFigures({ agreedPence: a.agreed, nowPence: a.now, deltaPence: a.change } as AgreedLine);
  if (!a.changeRequests.length) return `agreed ${f.agreed} · unchanged${mark}`;
  const requests = changeRequestWords(a.changeRequests.map((c) => c.number));
  const why =
    exactPence(a.change) === 0n ? `no net change: ${requests} moved money within it` : `${f.change}, ${requests}`;
  return `agreed ${f.agreed} · now ${f.now} (${why})${mark}`;
}

/** An allocations line beside the deal as agreed, in pound strings; each request with the holders it moved. */
export function presentLineAgreed(a: LineAgreed) {
  return {
    agreed: a.agreed === null ? null : formatPounds(a.agreed),
    now: a.now === null ? null : formatPounds(a.now),
    change: formatPounds(a.change),
    changeRequests: a.changeRequests.map((c) => ({
      number: c.number,
      title: c.title,
      illustrative: c.illustrative,
      change: formatPounds(c.change),
      moves: c.moves.map((m) => ({
        project: m.project,
        pool: m.pool,
        sourceKind: m.sourceKind,
        change: formatPounds(m.change),
      })),
    })),
  };
}

/** "1: 0.00 (illustrative); 5: 20000.00": a line's approved requests and their net effect on it, for a CSV cell. */
export function changeRequestsCell(a: LineAgreed | undefined): string {
  return (a?.changeRequests ?? [])
    .map((c) => `${c.number}: ${formatPounds(c.change)}${c.illustrative ? ' (illustrative)' : ''}`)
    .join('; ');
}

export function presentConflict(c: Conflict) {
  return {
    measure: c.measure,
    unit: c.unit,
    spread: inUnit(c.unit, c.spread),
    explanation: c.explanation,
    headlines: c.headlines.map((h) => ({ ...h, stated: inUnit(c.unit, h.stated) })),
  };
}

export function presentReconciliation(r: ReconciliationResult) {
  const { report } = r;
  return {
    programme: r.programme,
    basis: 'approved allocations of every commitment status except withdrawn',
    amounts: AMOUNTS_NOTE,
    delivered: r.delivered,
    summary: {
      lines: report.summary.lines,
      byStatus: report.summary.byStatus,
      conflicts: report.summary.conflicts,
      // The engine's sum of every line's unattributed figure is left out: headlines overlap
      // (five state the LGF total), so that sum counts the same gap many times over.
    },
    // Whether illustrative data (demo data, or an illustrative change request) touched any figure here.
    illustrative:
      report.lines.some((l) => l.illustrative === true) || (report.agreed ?? []).some((l) => l.illustrative),
    lines: report.lines.map(presentLine),
    conflicts: report.conflicts.map(presentConflict),
    // The deal as agreed beside now, by project (pool, programme) and source: every money line, changed or not.
    agreed: (report.agreed ?? []).map(presentAgreedLine),
  };
}

const pounds = (cells: Record<string, bigint>) => {
  const out: Record<string, string> = {};
  for (const k in cells) out[k] = formatPounds(cells[k]);
  return out;
};

/** The matrix part both breakdowns share; a programme's rows also name their allocations. */
function presentMatrix(b: Breakdown, withIds: boolean) {
  return {
    by: b.by,
    rowDimensions: b.rowDimensions,
    columnDimension: b.columnDimension,
    columns: b.columns,
    rows: b.rows.map((row) => ({
      key: row.key,
      labels: row.labels,
      cells: pounds(row.cells),
      total: formatPounds(row.total),
      ...(withIds ? { allocationIds: row.allocationIds } : {}),
    })),
    columnTotals: pounds(b.columnTotals),
    grandTotal: formatPounds(b.grandTotal),
  };
}

export function presentBreakdown(r: BreakdownResult) {
  return {
    programme: r.programme,
    filters: r.filters,
    unit: 'pounds' as const,
    amounts: AMOUNTS_NOTE,
    ...presentMatrix(r.breakdown, true),
  };
}

/** Every programme together: national dimensions only, rows without allocation ids (tens of thousands). */
export function presentNationalBreakdown(r: NationalBreakdownResult) {
  return {
    scope: 'national' as const,
    filters: r.filters,
    unit: 'pounds' as const,
    amounts: AMOUNTS_NOTE,
    ...presentMatrix(r.breakdown, false),
  };
}

export const RECONCILIATION_CSV_HEADER = [
  'headline_code',
  'check',
  'comparison',
  'label',
  'status',
  'unit',
  'qualifier',
  'stated',
  'computed',
  'variance',
  'precision',
  'unattributed',
  'explanation',
  'document',
  'section',
  'quote',
  'printed',
  'table',
  'table_row',
  'table_column',
  'allocation_ids',
  'contributing_headlines',
  'suggested_allocation_id',
  'suggested_with',
  'illustrative',
  'agreed',
  'change_since_agreed',
  'change_requests',
];

/** One row per line; amounts as plain numbers (pounds to two places), ids space-separated. */
export function reconciliationCsv(r: ReconciliationResult): string {
  const rows = r.report.lines.map((l) => [
    l.headlineCode,
    l.check,
    l.comparison,
    l.label,
    l.status,
    l.unit,
    l.qualifier,
    inUnit(l.unit, l.stated),
    inUnit(l.unit, l.computed) ?? '',
    inUnit(l.unit, l.variance) ?? '',
    inUnit(l.unit, l.precision),
    inUnit(l.unit, l.unattributed) ?? '',
    l.explanation,
    l.provenance.document ?? '',
    l.provenance.section ?? '',
    l.provenance.quote ?? '',
    l.provenance.printed ?? '',
    l.table?.name ?? '',
    l.table?.row ?? '',
    l.table?.column ?? '',
    l.contributingAllocationIds.join(' '),
    l.contributingHeadlines.join(' '),
    l.suggestion?.allocationId ?? '',
    l.suggestion?.withHeadlineCode ?? '',
    l.illustrative ? 'yes' : 'no',
    l.agreed?.agreed === null || l.agreed === undefined ? '' : formatPounds(l.agreed.agreed),
    l.agreed?.agreed === null || l.agreed === undefined ? '' : formatPounds(l.agreed.change),
    changeRequestsCell(l.agreed),
  ]);
  return spreadsheetCsv([RECONCILIATION_CSV_HEADER, ...rows]);
}

/** Rows as in JSON, then a Total row whose cells are the column totals. */
export function breakdownCsv(r: Pick<BreakdownResult, 'breakdown'> & Partial<BreakdownResult>, withIds = true): string {
  const b = r.breakdown;
  const cols = b.columnDimension ? b.columns : [];
  const ids = withIds ? ['allocation_ids'] : [];
  const header = [...b.rowDimensions, ...cols, 'total', ...ids];
  const rows = b.rows.map((row) => [
    ...row.labels,
    ...cols.map((c) => formatPounds(row.cells[c])),
    formatPounds(row.total),
    ...(withIds ? [row.allocationIds.join(' ')] : []),
  ]);
  const blanks = b.rowDimensions.slice(1).map(() => '');
  const total = [
    'Total',
    ...blanks,
    ...cols.map((c) => formatPounds(b.columnTotals[c])),
    formatPounds(b.grandTotal),
    ...ids.map(() => ''),
  ];
  return spreadsheetCsv([header, ...rows, total]);
}

export function csvFilename(programme: string, what: 'breakdown' | 'reconciliation', by?: string[]): string {
  const safe = programme.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${safe}-${what}${by?.length ? `-by-${by.join('-')}` : ''}.csv`;
}
