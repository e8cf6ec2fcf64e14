import { addQuarters, formatQuarter, parseQuarter } from '../../common/fiscal';
import { displayPounds, formatPounds as formatP } from '../../common/money';
import { chartQuarters } from '../../periods/programme-clock';
import { figureView, type ChartData, type FigureView } from '../charts';
import {
  loadByReading,
  type DashboardSection,
  type DashboardSectionProvider,
  type SectionContext,
  type SectionShaper,
  type ShapeOptions,
} from '../sections';
import { spendByQuarter, type QuarterSpend } from './delivery.queries';
import { csvHref } from './links';

/** The spend-to-date section as the page shows it (the `spendToDate` macro of views/public/sections.njk). */
export interface SpendToDateView {
  /** The last quarter whose return has been submitted. */
  quarter: string;
  spentPence: number;
  profiledPence: number;
  /** Spent less profiled (negative: behind profile), and its size. */
  variancePence: number;
  gapPence: number;
  wholeProfilePence: number;
  closed: boolean;
  reportingQuarter: string;
  figure: FigureView;
}

/** A project's spend section as the page shows it (the `projectSpend` macro). */
export interface ProjectSpendView {
  spentPence: number;
  profiledPence: number;
  closed: boolean;
  reportingQuarter: string;
  figure: FigureView;
}

/**
 * Pure: every quarter from the first with spend up to (not including) `submittedBefore`, with
 * running totals; adjustments count where recorded. The chart runs to the last submitted quarter
 * (at programme close, the final one) even where the last quarters have no spend lines: they
 * carry the totals flat rather than the chart stopping at the last quarter with spend.
 */
export function cumulativeSpend(rows: readonly QuarterSpend[], submittedBefore: string) {
  let baseline = 0;
  let actual = 0;
  const out: { quarter: string; baselinePence: number; actualPence: number }[] = [];
  const byQuarter = new Map(rows.map((r) => [r.quarter, r]));
  const first = rows.reduce<string | null>((min, r) => (min === null || r.quarter < min ? r.quarter : min), null);
  const lastSubmitted = formatQuarter(addQuarters(parseQuarter(submittedBefore), -1));
  for (const quarter of chartQuarters(first, lastSubmitted)) {
    const r = byQuarter.get(quarter);
    baseline += r?.baselinePence ?? 0;
    actual += r ? (r.actualPence ?? 0) + r.adjustmentsPence : 0;
    out.push({ quarter, baselinePence: baseline, actualPence: actual });
  }
  const whole = rows.reduce((s, r) => s + r.baselinePence, 0);
  return { quarters: out, wholeProfilePence: whole };
}

/** Overview and briefing: spend to date against the baseline profile, submitted quarters only. */
async function readSpendToDate(ctx: SectionContext): Promise<SectionShaper | null> {
  const rows = await spendByQuarter(ctx.m, ctx.programme.id);
  const c = {
    submittedBefore: ctx.submittedBefore,
    closed: ctx.closed,
    reportingQuarter: ctx.reportingQuarter,
    href: csvHref(ctx, 'spend-to-date'),
  };
  return (o) => shapeSpendToDate(rows, c, o);
}

/** Pure: the spend-to-date section from the programme's spend by quarter. */
export function shapeSpendToDate(
  rows: readonly QuarterSpend[],
  ctx: { submittedBefore: string; closed: boolean; reportingQuarter: string; href: string },
  o: ShapeOptions,
): DashboardSection | null {
  const href = ctx.href;
  const { quarters, wholeProfilePence } = cumulativeSpend(rows, ctx.submittedBefore);
  if (!quarters.length) return null;
  const last = quarters[quarters.length - 1];
  const illustrative = rows.some((r) => r.illustrative);
  const variance = last.actualPence - last.baselinePence;
  const chart: ChartData = {
    id: 'spend-to-date',
    title: `Spend to date against the baseline profile, ${quarters[0].quarter} to ${last.quarter} (submitted quarters)`,
    description: `Cumulative actual spend against the cumulative baseline profile at the end of each quarter whose return has been submitted. By ${last.quarter}: ${displayPounds(last.actualPence)} spent against ${displayPounds(last.baselinePence)} profiled.`,
    unit: 'pence',
    categories: quarters.map((q) => ({ key: q.quarter, label: q.quarter })),
    series: [
      { key: 'baseline', label: 'Baseline profile (cumulative)' },
      { key: 'actual', label: 'Actual spend (cumulative)' },
    ],
    values: quarters.map((q) => [q.baselinePence, q.actualPence]),
    illustrative,
    noTotal: true,
  };
  const view: SpendToDateView | undefined = !o.view
    ? undefined
    : {
        quarter: last.quarter,
        spentPence: last.actualPence,
        profiledPence: last.baselinePence,
        variancePence: variance,
        gapPence: Math.abs(variance),
        wholeProfilePence,
        closed: ctx.closed,
        reportingQuarter: ctx.reportingQuarter,
        figure: figureView(chart, href, 'line'),
      };
  return {
    id: 'spend-to-date',
    heading: 'Spend to date against profile',
    view,
    charts: [chart],
    illustrative,
    data: {
      lastSubmittedQuarter: last.quarter,
      notYetSubmitted: ctx.closed ? null : ctx.reportingQuarter,
      spentToDate: formatP(last.actualPence),
      profiledToDate: formatP(last.baselinePence),
      variance: formatP(variance),
      wholeProfile: formatP(wholeProfilePence),
      quarters: quarters.map((q) => ({
        quarter: q.quarter,
        cumulativeBaseline: formatP(q.baselinePence),
        cumulativeActual: formatP(q.actualPence),
      })),
    },
  };
}

export const spendToDateSection: DashboardSectionProvider = {
  id: 'spend-to-date',
  order: 400,
  pages: ['overview', 'briefing'],
  read: readSpendToDate,
  load: loadByReading(readSpendToDate),
};

/** Project page: baseline, latest forecast and actual spend per quarter. */
export const projectSpendSection: DashboardSectionProvider = {
  id: 'project-spend',
  order: 400,
  pages: ['project'],
  async load(ctx: SectionContext): Promise<DashboardSection | null> {
    if (!ctx.project) return null;
    const rows = await spendByQuarter(ctx.m, ctx.programme.id, ctx.project.id);
    if (!rows.length) return null;
    const illustrative = rows.some((r) => r.illustrative);
    const submitted = (q: string) => q < ctx.submittedBefore;
    const chart: ChartData = {
      id: 'spend-by-quarter',
      title: `${ctx.project.name}: spend by quarter, baseline against latest forecast and actual`,
      description:
        'For each quarter: the approved baseline profile, the latest forecast and the actual spend. Actuals are shown only for quarters whose return has been submitted.',
      unit: 'pence',
      categories: rows.map((r) => ({
        key: r.quarter,
        label: submitted(r.quarter) ? r.quarter : `${r.quarter} (not yet submitted)`,
        axisLabel: r.quarter,
      })),
      series: [
        { key: 'baseline', label: 'Baseline profile' },
        { key: 'forecast', label: 'Latest forecast' },
        { key: 'actual', label: 'Actual (submitted quarters)' },
      ],
      values: rows.map((r) => [
        r.baselinePence,
        r.forecastPence,
        submitted(r.quarter) ? (r.actualPence ?? 0) + r.adjustmentsPence : null,
      ]),
      illustrative,
      grouped: true,
    };
    const spent = rows
      .filter((r) => submitted(r.quarter))
      .reduce((s, r) => s + (r.actualPence ?? 0) + r.adjustmentsPence, 0);
    const profiled = rows.filter((r) => submitted(r.quarter)).reduce((s, r) => s + r.baselinePence, 0);
    const view: ProjectSpendView = {
      spentPence: spent,
      profiledPence: profiled,
      closed: ctx.closed,
      reportingQuarter: ctx.reportingQuarter,
      figure: figureView(chart, csvHref(ctx, chart.id), 'line'),
    };
    return {
      id: 'project-spend',
      heading: 'Spend against profile',
      view,
      charts: [chart],
      illustrative,
      data: { spentInSubmittedQuarters: formatP(spent), profiledForThem: formatP(profiled) },
    };
  },
};
