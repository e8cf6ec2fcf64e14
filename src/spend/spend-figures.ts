/**
 * Pure derivation of spend figures from SQL aggregates (pence, integers only). Rolls lines up
 * per project, per source kind and for the programme, so every total is the exact sum of its rows.
 */
import { formatPounds, narrowPence, sumMoney, type Money } from '../common/money';

/** One project × source kind, summed in SQL over its quarters. */
export interface SpendAggregate {
  project: string;
  sourceKind: string;
  /** A SQL sum over the line's approved allocations: exact (a bigint only past 2^53 pence). */
  allocationPence: Money;
  baselineTotalPence: number;
  baselineYearPence: number;
  /** Forecast for the reporting year / programme: actuals for closed quarters, latest forecast for open ones. */
  forecastYearPence: number;
  forecastProgrammePence: number;
  latestForecastTotalPence: number;
  actualToDatePence: number;
  actualInQuarterPence: number;
  adjustmentsPence: number;
  adjustmentsYearPence: number;
  adjustmentsInQuarterPence: number;
  /** The same line's forecastProgramme in the last submitted return, when that return holds it. */
  lastReturnForecastPence?: number | null;
}

export const FIGURE_KEYS = [
  'allocationPence',
  'baselineTotalPence',
  'baselineYearPence',
  'forecastYearPence',
  'forecastProgrammePence',
  'actualToDatePence',
  'adjustmentsPence',
  'spendToDatePence',
  'spendInQuarterPence',
  'slippagePence',
  'slippageYearPence',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];
/** Money: totals over many lines are exact (a bigint only past 2^53 pence). */
export type Figures = Record<FigureKey, Money> & { varianceToLastReturnPence: Money | null };

/** The derived figures of one line. Adjustments count in spend to date and in the forecasts of the quarters they correct. */
export function deriveLine(a: SpendAggregate): Figures {
  const forecastYear = a.forecastYearPence + a.adjustmentsYearPence;
  const forecastProgramme = a.forecastProgrammePence + a.adjustmentsPence;
  return {
    allocationPence: a.allocationPence,
    baselineTotalPence: a.baselineTotalPence,
    baselineYearPence: a.baselineYearPence,
    forecastYearPence: forecastYear,
    forecastProgrammePence: forecastProgramme,
    actualToDatePence: a.actualToDatePence,
    adjustmentsPence: a.adjustmentsPence,
    spendToDatePence: a.actualToDatePence + a.adjustmentsPence,
    spendInQuarterPence: a.actualInQuarterPence + a.adjustmentsInQuarterPence,
    slippagePence: forecastProgramme - a.baselineTotalPence,
    slippageYearPence: forecastYear - a.baselineYearPence,
    varianceToLastReturnPence:
      a.lastReturnForecastPence === null || a.lastReturnForecastPence === undefined
        ? null
        : forecastProgramme - a.lastReturnForecastPence,
  };
}

/** Exact sums of figures; a variance is summed only if every part has one. */
export function sumFigures(parts: Figures[]): Figures {
  const out = {} as Figures;
  for (const k of FIGURE_KEYS) out[k] = narrowPence(sumMoney(parts.map((p) => p[k])));
  out.varianceToLastReturnPence =
    parts.length && parts.every((p) => p.varianceToLastReturnPence !== null)
      ? narrowPence(sumMoney(parts.map((p) => p.varianceToLastReturnPence!)))
      : null;
  return out;
}

export function presentFigures(f: Figures) {
  const out: Record<string, string | null> = {};
  for (const k of FIGURE_KEYS) out[k.replace(/Pence$/, '')] = formatPounds(f[k]);
  out.varianceToLastReturn = f.varianceToLastReturnPence === null ? null : formatPounds(f.varianceToLastReturnPence);
  return out;
}

export interface RolledUp {
  lines: { project: string; sourceKind: string; figures: Figures }[];
  byProject: { project: string; figures: Figures }[];
  bySource: { sourceKind: string; figures: Figures }[];
  programme: Figures;
}

function groupSum<K extends string>(
  key: (l: { project: string; sourceKind: string }) => K,
  rows: { project: string; sourceKind: string; figures: Figures }[],
) {
  const groups = new Map<K, Figures[]>();
  for (const l of rows) {
    const k = key(l);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(l.figures);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, f]) => ({ key: k, figures: sumFigures(f) }));
}

export function rollUp(aggregates: SpendAggregate[]): RolledUp {
  const lines = aggregates
    .map((a) => ({ project: a.project, sourceKind: a.sourceKind, figures: deriveLine(a) }))
    .sort((a, b) => a.project.localeCompare(b.project) || a.sourceKind.localeCompare(b.sourceKind));
  return {
    lines,
    byProject: groupSum((l) => l.project, lines).map((g) => ({ project: g.key, figures: g.figures })),
    bySource: groupSum((l) => l.sourceKind, lines).map((g) => ({ sourceKind: g.key, figures: g.figures })),
    programme: sumFigures(lines.map((l) => l.figures)),
  };
}
