/**
 * Pure: from a submitted return's JSON snapshot, each project's spend for one financial year and
 * for the years after it, as that return had them (its forecast outturn: actuals of quarters
 * before the return's own, forecasts from it on; prior-period adjustments in the quarters they correct). Slippage since the last
 * return compares these with today's figures.
 */
import { parsePounds } from '../common/money';
import { closedBefore } from '../spend/outturn';

export interface YearSplit {
  yearPence: number;
  laterPence: number;
}

interface SnapshotRow {
  project?: unknown;
  quarter?: unknown;
  line?: unknown;
  correctsQuarter?: unknown;
  forecast?: unknown;
  actual?: unknown;
  adjustment?: unknown;
}

const pence = (v: unknown): number => (typeof v === 'string' ? parsePounds(v) : 0);

/** Null when the snapshot holds no finance rows (an older format or another kind of return). */
export function yearSplitFromSnapshot(
  snapshot: string,
  returnQuarter: string,
  yearFrom: string,
  yearTo: string,
): Map<string, YearSplit> | null {
  let rows: SnapshotRow[] | undefined;
  try {
    const doc = JSON.parse(snapshot) as { sections?: { key?: string; rows?: SnapshotRow[] }[] };
    rows = doc.sections?.find((s) => s.key === 'finance')?.rows;
  } catch {
    return null;
  }
  if (!Array.isArray(rows)) return null;
  const out = new Map<string, YearSplit>();
  for (const r of rows) {
    if (typeof r.project !== 'string' || typeof r.quarter !== 'string') continue;
    let q: string;
    let amount: number;
    if (r.line === 'prior-period adjustment') {
      q = typeof r.correctsQuarter === 'string' ? r.correctsQuarter : r.quarter;
      amount = pence(r.adjustment);
    } else {
      q = r.quarter;
      // The one outturn rule (spend/outturn.ts): actuals of quarters closed before the return's own, forecasts after.
      amount = closedBefore(q, returnQuarter) ? pence(r.actual) : pence(r.forecast);
    }
    const s = out.get(r.project) ?? { yearPence: 0, laterPence: 0 };
    if (q >= yearFrom && q <= yearTo) s.yearPence += amount;
    else if (q > yearTo) s.laterPence += amount;
    out.set(r.project, s);
  }
  return out;
}
