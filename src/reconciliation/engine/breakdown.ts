import { DomainError } from '../../common/errors';
import { formatFiscalYear } from '../../common/fiscal';
import { compareText } from './format';
import type { AllocationGroup } from './types';

/**
 * Pure breakdown of allocation groups into a matrix with exact totals. Every total is
 * computed by integer addition of the same cells it claims to sum, so rows, columns and
 * the grand total always agree to the penny. Cells and totals are bigint: amounts are capped
 * per field (MAX_AMOUNT), but a total over enough of them passes 2^53 pence, where a number
 * stops being exact.
 */

export type Dimension = 'sourceKind' | 'status' | 'year' | 'theme' | 'project';
export const DIMENSIONS: readonly Dimension[] = ['sourceKind', 'status', 'year', 'theme', 'project'];

/** The column used when only one dimension is asked for (rows keyed by it). */
export const TOTAL_COLUMN = 'total';
export const UNPROFILED = 'unprofiled';
export const UNATTRIBUTED = 'unattributed';
export const POOLED_PREFIX = 'pooled:';

export class UnknownDimensionError extends DomainError {
  constructor(
    readonly given: string,
    readonly reason: 'unknown' | 'repeated',
    readonly valid: readonly Dimension[] = DIMENSIONS,
  ) {
    super(
      'UNKNOWN_DIMENSION',
      reason === 'unknown'
        ? `by: "${given}" is not a dimension; use one or more of ${valid.join(', ')}`
        : `by: "${given}" is given more than once; each of ${valid.join(', ')} may be used once`,
      400,
      { field: 'by', given, valid: [...valid] },
    );
  }
}

export interface BreakdownRow {
  /** The row's bucket per row dimension, e.g. { year: '2015-16', theme: 'SITES' }. */
  key: Partial<Record<Dimension, string>>;
  /** The same labels in the order of rowDimensions. */
  labels: string[];
  /** Every column is present (0 where no money falls). */
  cells: Record<string, bigint>;
  total: bigint;
  allocationIds: number[];
}

export interface Breakdown {
  by: Dimension[];
  rowDimensions: Dimension[];
  /** The last dimension when two or more are given; otherwise null and the one column is 'total'. */
  columnDimension: Dimension | null;
  columns: string[];
  rows: BreakdownRow[];
  columnTotals: Record<string, bigint>;
  grandTotal: bigint;
}

/** A group as the breakdown reads it: its amount a number (a row's pence) or an exact bigint sum. */
export type BreakdownGroup = Omit<AllocationGroup, 'pence'> & { pence: number | bigint };

function exact(pence: number | bigint): bigint {
  if (typeof pence === 'bigint') return pence;
  if (!Number.isSafeInteger(pence)) throw new RangeError(`${pence} is not a whole number of pence`);
  return BigInt(pence);
}

/** Validates dimension names: unknown or repeated names throw UnknownDimensionError. */
export function parseDimensions(by: readonly string[] | string): Dimension[] {
  const list =
    typeof by === 'string'
      ? by
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : by;
  const seen = new Set<string>();
  for (const d of list) {
    if (!(DIMENSIONS as readonly string[]).includes(d)) throw new UnknownDimensionError(d, 'unknown');
    if (seen.has(d)) throw new UnknownDimensionError(d, 'repeated');
    seen.add(d);
  }
  return list as Dimension[];
}

/** '2015-16', '2016-17 to 2020-21', '2016-17 onwards' or 'unprofiled'. */
export function yearLabel(g: Pick<AllocationGroup, 'periodKind' | 'yearFrom' | 'yearTo'>): string {
  if (g.periodKind === 'unprofiled' || g.yearFrom === null) return UNPROFILED;
  if (g.periodKind === 'year' || g.yearTo === g.yearFrom) return formatFiscalYear(g.yearFrom);
  if (g.yearTo === null) return `${formatFiscalYear(g.yearFrom)} onwards`;
  return `${formatFiscalYear(g.yearFrom)} to ${formatFiscalYear(g.yearTo)}`;
}

/** The bucket a group falls in along one dimension. */
export function bucketLabel(g: BreakdownGroup, dim: Dimension): string {
  switch (dim) {
    case 'sourceKind':
      return g.sourceKind;
    case 'status':
      return g.commitmentStatus;
    case 'year':
      return yearLabel(g);
    case 'theme':
      return g.themeCode ?? UNATTRIBUTED;
    case 'project':
      if (g.projectCode !== null) return g.projectCode;
      return g.poolCode !== null ? `${POOLED_PREFIX}${g.poolCode}` : UNATTRIBUTED;
  }
}

const YEAR_RE = /^(\d{4})-\d{2}(?: to (\d{4})-\d{2}| (onwards))?$/;

/** [from, to] with onwards as +Infinity and unprofiled after every year. */
function yearRank(label: string): [number, number] {
  const m = YEAR_RE.exec(label);
  if (!m) return [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const from = Number(m[1]);
  const to = m[3] ? Number.POSITIVE_INFINITY : m[2] ? Number(m[2]) : from;
  return [from, to];
}

/** Codes alphabetically, then pooled buckets, then unattributed. */
function codeRank(label: string): number {
  if (label === UNATTRIBUTED) return 2;
  return label.startsWith(POOLED_PREFIX) ? 1 : 0;
}

export function compareBuckets(dim: Dimension, a: string, b: string): number {
  if (dim === 'year') {
    const [af, at] = yearRank(a);
    const [bf, bt] = yearRank(b);
    if (af !== bf) return af < bf ? -1 : 1;
    if (at !== bt) return at < bt ? -1 : 1;
    return compareText(a, b);
  }
  const ra = codeRank(a);
  const rb = codeRank(b);
  return ra !== rb ? ra - rb : compareText(a, b);
}

interface RowAcc {
  labels: string[];
  cells: Map<string, bigint>;
  ids: Set<number>;
}

export function breakdown(groups: readonly BreakdownGroup[], by: readonly string[]): Breakdown {
  const dims = parseDimensions(by);
  const rowDims = dims.length >= 2 ? dims.slice(0, -1) : dims;
  const colDim = dims.length >= 2 ? dims[dims.length - 1] : null;

  const rows = new Map<string, RowAcc>();
  const columnSet = new Set<string>();
  for (const g of groups) {
    const pence = exact(g.pence);
    const labels = rowDims.map((d) => bucketLabel(g, d));
    const column = colDim ? bucketLabel(g, colDim) : TOTAL_COLUMN;
    // JSON of the label list is an unambiguous key whatever characters codes contain.
    const rowKey = JSON.stringify(labels);
    let row = rows.get(rowKey);
    if (!row) {
      row = { labels, cells: new Map(), ids: new Set() };
      rows.set(rowKey, row);
    }
    row.cells.set(column, (row.cells.get(column) ?? 0n) + pence);
    for (const id of g.allocationIds) row.ids.add(id);
    columnSet.add(column);
  }

  const columns = [...columnSet].sort((a, b) => (colDim ? compareBuckets(colDim, a, b) : 0));
  const sortedRows = [...rows.values()].sort((a, b) => {
    for (let i = 0; i < rowDims.length; i++) {
      const c = compareBuckets(rowDims[i], a.labels[i], b.labels[i]);
      if (c !== 0) return c;
    }
    return 0;
  });

  const columnTotals = new Map<string, bigint>(columns.map((c) => [c, 0n]));
  let grandTotal = 0n;
  const outRows: BreakdownRow[] = sortedRows.map((r) => {
    let total = 0n;
    const cells: [string, bigint][] = columns.map((c) => {
      const v = r.cells.get(c) ?? 0n;
      total += v;
      columnTotals.set(c, (columnTotals.get(c) ?? 0n) + v);
      return [c, v];
    });
    grandTotal += total;
    const key: Partial<Record<Dimension, string>> = {};
    rowDims.forEach((d, i) => (key[d] = r.labels[i]));
    return {
      key,
      labels: r.labels,
      cells: Object.fromEntries(cells),
      total,
      allocationIds: [...r.ids].sort((a, b) => a - b),
    };
  });

  return {
    by: dims,
    rowDimensions: rowDims,
    columnDimension: colDim,
    columns,
    rows: outRows,
    columnTotals: Object.fromEntries(columnTotals),
    grandTotal,
  };
}
