import type { AgreedLine, AgreedLineView } from '../../changes/agreed.queries';
import { agreedFigures } from '../../changes/agreed.queries';
import { exactPence } from '../../common/money';
import type { LineAgreed } from '../../reconciliation/engine/report';
import { dataTable, horizontalBarChart, verticalBarChart, type ChartData } from '../../dashboard/charts';
import { PALETTE } from '../../dashboard/charts/types';
import { raw, type Html } from '../../dashboard/html';
import type { DashboardSection } from '../../dashboard/sections';

/** One agreed-vs-now line as the `agreedLine` macro (views/public/parts.njk) shows it. */
export function agreedView(l: AgreedLine | AgreedLineView, changeHref: (n: number) => string) {
  const f = agreedFigures(l);
  return {
    agreed: f.agreed,
    now: f.now,
    change: f.change,
    agreedPence: l.agreedPence,
    nowPence: l.nowPence,
    changed: l.changed,
    illustrative: l.illustrative,
    links: l.changes.map((c) => ({ number: c.number, href: changeHref(c.number) })),
    // Requests moved money within the line, and it adds up to what was agreed.
    within: false,
  };
}

/**
 * A reconciliation line's figure as agreed beside now (the JSON's `agreedVsNow`), as the
 * `agreedLine` macro shows it: null where the line has no figure to set beside it (a year the
 * unprofiled money cannot be split into, or not a comparison with the allocations). Each request
 * links to where it is listed: the page of the first project it moved, else `elsewhere`.
 */
export function lineAgreedView(
  a: LineAgreed | undefined,
  illustrative: boolean,
  changeHref: (n: number, project: string | null) => string,
) {
  if (!a || a.agreed === null || a.now === null) return null;
  const f = agreedFigures({ agreedPence: a.agreed, nowPence: a.now, deltaPence: a.change } as AgreedLine);
  const changed = a.changeRequests.length > 0;
  return {
    agreed: f.agreed,
    now: f.now,
    change: f.change,
    agreedPence: a.agreed,
    nowPence: a.now,
    changed,
    illustrative,
    links: a.changeRequests.map((c) => ({
      number: c.number,
      href: changeHref(c.number, c.moves.find((m) => m.project !== null)?.project ?? null),
    })),
    within: changed && exactPence(a.change) === 0n,
  };
}

/**
 * A chart as the `chartFigure` macro shows it: caption, SVG, legend, the table of its exact
 * figures and a CSV link. The SVG and its companion table stay TypeScript (charts/): they are
 * data graphics drawn from the numbers, not page layout, and are built by the charts' own
 * escaping code (dashboard/html.ts), which is why the template may take them as markup.
 */
export function chartFigureView(c: ChartData, csvHref: string, orientation: 'h' | 'v' = 'h') {
  return {
    id: c.id,
    title: c.title,
    illustrative: c.illustrative,
    svg: raw(orientation === 'h' ? horizontalBarChart(c) : verticalBarChart(c)),
    legend:
      c.series.length > 1 ? c.series.map((s, i) => ({ label: s.label, colour: PALETTE[i % PALETTE.length] })) : [],
    table: dataTable(c, csvHref),
  };
}

/** A delivery section: its heading and mark here, its body built by the section (Html, escaped). */
export function sectionView(s: DashboardSection): { id: string; heading: string; illustrative: boolean; body: Html } {
  return { id: s.id, heading: s.heading, illustrative: !!s.illustrative, body: s.body };
}
