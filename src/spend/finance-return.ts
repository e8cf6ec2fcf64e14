/**
 * Pure: the return's finance figures "as at" one quarter, from every spend line and the
 * prior-period adjustments recorded up to it. Integers (pence) only. A quarter after the
 * return's quarter shows no actual (not yet reported), whatever the live data holds today.
 */
import { addPence, exactPence, Money, narrowPence, sumMoney } from '../common/money';
import { outturnOf } from './outturn';

export interface SpendLineIn {
  project: string;
  sourceKind: string;
  quarter: string;
  baselinePence: number;
  forecastPence: number;
  actualPence: number | null;
  illustrative: boolean;
}

export interface AdjustmentIn {
  project: string;
  sourceKind: string;
  recordedInQuarter: string;
  correctsQuarter: string;
  amountPence: number;
  reason: string;
}

/** One project × source kind, as the snapshot's `finance.lines[]` holds it (in pence here). */
export interface FinanceLine {
  project: string;
  sourceKind: string;
  /** The sum of the line's approved allocations: exact (a bigint only past 2^53 pence). */
  allocation: Money;
  hasBaseline: boolean;
  baselineTotal: number;
  baselineInQuarter: number;
  forecastInQuarter: number;
  actualInQuarter: number | null;
  adjustmentsInQuarter: number;
  spendInQuarter: number;
  spendToDate: number;
  /** Actuals for quarters before the return's, latest forecast from it on, plus adjustments. */
  forecastYear: number;
  forecastProgramme: number;
}

/** Totals over every project of a source kind: exact. */
export interface SourceTotals {
  spendInQuarter: Money;
  spendToDate: Money;
  forecastYear: Money;
  forecastProgramme: Money;
}

export interface FinanceFigures {
  lines: FinanceLine[];
  bySource: Map<string, SourceTotals>;
}

const key = (p: string, k: string) => `${p}|${k}`;

export function financeAsAt(
  quarter: string,
  yearQuarters: [string, string],
  spend: SpendLineIn[],
  adjustments: AdjustmentIn[],
  allocations: Map<string, Money>,
): FinanceFigures {
  const lines = new Map<string, FinanceLine>();
  const line = (project: string, sourceKind: string) => {
    let l = lines.get(key(project, sourceKind));
    if (!l) {
      l = {
        project,
        sourceKind,
        allocation: allocations.get(key(project, sourceKind)) ?? 0,
        hasBaseline: false,
        baselineTotal: 0,
        baselineInQuarter: 0,
        forecastInQuarter: 0,
        actualInQuarter: null,
        adjustmentsInQuarter: 0,
        spendInQuarter: 0,
        spendToDate: 0,
        forecastYear: 0,
        forecastProgramme: 0,
      };
      lines.set(key(project, sourceKind), l);
    }
    return l;
  };
  for (const k of allocations.keys()) {
    const [p, s] = k.split('|');
    line(p, s);
  }
  // Group each line's rows, then take its outturn from the one definition (spend/outturn.ts).
  const rows = new Map<string, { spend: SpendLineIn[]; adjustments: AdjustmentIn[] }>();
  const rowsOf = (p: string, k: string) => {
    let r = rows.get(key(p, k));
    if (!r) rows.set(key(p, k), (r = { spend: [], adjustments: [] }));
    line(p, k);
    return r;
  };
  for (const s of spend) {
    const l = line(s.project, s.sourceKind);
    rowsOf(s.project, s.sourceKind).spend.push(s);
    if (s.baselinePence !== 0) l.hasBaseline = true;
    l.baselineTotal = addPence(l.baselineTotal, s.baselinePence);
    if (s.quarter === quarter) {
      l.baselineInQuarter = s.baselinePence;
      l.forecastInQuarter = s.forecastPence;
      l.actualInQuarter = s.actualPence;
    }
  }
  for (const a of adjustments) rowsOf(a.project, a.sourceKind).adjustments.push(a);
  for (const [k, r] of rows) {
    const l = lines.get(k)!;
    const o = outturnOf(quarter, yearQuarters, r.spend, r.adjustments);
    l.adjustmentsInQuarter = o.adjustmentsInQuarter;
    l.spendInQuarter = o.spendInQuarter;
    l.spendToDate = o.spendToDate;
    l.forecastYear = o.forecastYear;
    l.forecastProgramme = o.forecastProgramme;
  }
  const sorted = [...lines.values()].sort(
    (a, b) => a.project.localeCompare(b.project) || a.sourceKind.localeCompare(b.sourceKind),
  );
  const bySource = new Map<string, SourceTotals>();
  const total = (ls: FinanceLine[], f: (l: FinanceLine) => number) => narrowPence(sumMoney(ls.map(f)));
  for (const k of [...new Set(sorted.map((l) => l.sourceKind))]) {
    const ls = sorted.filter((l) => l.sourceKind === k);
    bySource.set(k, {
      spendInQuarter: total(ls, (l) => l.spendInQuarter),
      spendToDate: total(ls, (l) => l.spendToDate),
      forecastYear: total(ls, (l) => l.forecastYear),
      forecastProgramme: total(ls, (l) => l.forecastProgramme),
    });
  }
  return { lines: sorted, bySource };
}

/** Spend in the quarter more than this share below its baseline raises a warning. */
export const SPEND_VARIANCE_PERCENT = 10;

export interface FinanceProblem {
  code: 'BASELINE_NOT_ALLOCATION' | 'MISSING_ACTUAL' | 'FORECAST_BELOW_SPEND' | 'SPEND_BELOW_BASELINE';
  line: FinanceLine;
}

/**
 * The finance checks. Errors: a baseline profile that does not add up to its approved
 * allocation (exactly: both are pence, so "within rounding" is to the penny); a quarter
 * forecast with no actual; a programme forecast below the spend already made. Warning: spend
 * in the quarter more than 10 % below its baseline.
 */
export function financeProblems(lines: FinanceLine[]): FinanceProblem[] {
  const out: FinanceProblem[] = [];
  for (const l of lines) {
    if (l.hasBaseline && exactPence(l.baselineTotal) !== exactPence(l.allocation))
      out.push({ code: 'BASELINE_NOT_ALLOCATION', line: l });
    if (l.forecastInQuarter !== 0 && l.actualInQuarter === null) out.push({ code: 'MISSING_ACTUAL', line: l });
    if (l.forecastProgramme < l.spendToDate) out.push({ code: 'FORECAST_BELOW_SPEND', line: l });
    // actual < baseline × (100 − 10) %, in integers.
    if (
      l.baselineInQuarter > 0 &&
      l.actualInQuarter !== null &&
      l.actualInQuarter * 100 < l.baselineInQuarter * (100 - SPEND_VARIANCE_PERCENT)
    )
      out.push({ code: 'SPEND_BELOW_BASELINE', line: l });
  }
  return out;
}
