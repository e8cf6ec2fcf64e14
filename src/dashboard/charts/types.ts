import type { Money } from '../../common/money';

/**
 * What every chart draws and every data table / CSV repeats: the same numbers, once.
 * Money values are integer pence (a total may be an exact bigint); counts are whole numbers.
 */
export interface ChartCategory {
  key: string;
  label: string;
  /** A shorter form for a chart axis ("2016-17 Q4" for "2016-17 Q4 (not yet submitted)"); tables keep `label`. */
  axisLabel?: string;
  /** Set (true or false) where each row says whether illustrative data moved its figures: the CSV's "Illustrative" column. */
  illustrative?: boolean;
  /**
   * The row's money as the deal agreed it beside now (changes/engine/agreed.ts), where the row is
   * approved allocations: the table's "Agreed vs now" column and the CSV's agreed total and change.
   */
  agreed?: { pence: Money; changePence: Money; words: string };
}

export interface ChartData {
  /** URL-safe id, also the CSV file name (`<id>.csv`). */
  id: string;
  title: string;
  /** One or two plain sentences saying what the chart shows (the SVG <desc>). */
  description: string;
  unit: 'pence' | 'count';
  categories: ChartCategory[];
  series: ChartCategory[];
  /** values[category][series]; null where there is no figure (never drawn as zero). */
  values: (Money | null)[][];
  /** Demo data the source does not contain: said on the chart, the table and the CSV. */
  illustrative?: boolean;
  /** Several series side by side (promised vs delivered) instead of stacked parts of one whole. */
  grouped?: boolean;
  /** Values are running totals (cumulative spend) or not additive: the table has no total row. */
  noTotal?: boolean;
}

/** Milestone timeline input: dates as YYYY-MM-DD strings. */
export interface TimelineRow {
  key: string;
  label: string;
  baseline: string | null;
  forecast: string | null;
  actual: string | null;
}

export interface TimelineData {
  id: string;
  title: string;
  description: string;
  rows: TimelineRow[];
  illustrative?: boolean;
}

/** Okabe–Ito colours (distinguishable with common colour blindness), darkened where needed for contrast. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#8A6D00', '#56B4E9', '#000000'];
