import type { AgreedLineView } from '../../changes/agreed.queries';
import { agreedFigures } from '../../changes/agreed.queries';
import { dataTable, horizontalBarChart, verticalBarChart, type ChartData } from '../../dashboard/charts';
import { PALETTE } from '../../dashboard/charts/types';
import { raw, type Html } from '../../dashboard/html';
import type { DashboardSection } from '../../dashboard/sections';

/** One agreed-vs-now line as the `agreedLine` macro (views/public/parts.njk) shows it. */
export function agreedView(l: AgreedLineView, changeHref: (n: number) => string) {
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
