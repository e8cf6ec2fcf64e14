import { raw, type Html } from '../html';
import { horizontalBarChart, verticalBarChart } from './bar';
import { lineChart } from './line';
import { dataTable, timelineTable } from './table';
import { timelineChart } from './timeline';
import { PALETTE, type ChartData, type TimelineData } from './types';

/**
 * A chart as the public pages' figure macros (web/views/public/parts.njk `chartFigure`,
 * sections.njk `timelineFigure`) show it: caption, SVG, legend, the table of its exact figures
 * and a CSV link. The SVG and its companion table stay TypeScript: they are data graphics whose
 * every coordinate is computed from the numbers (scales, ticks, wrapped labels), not page layout,
 * and they are built by the charts' own escaping code (../html.ts), which is why a template may
 * take them as markup.
 */
export interface FigureView {
  id: string;
  title: string;
  illustrative?: boolean;
  svg: Html;
  legend: { label: string; colour: string }[];
  table: Html;
}

/** A bar or line chart's figure; the legend names each series when there is more than one. */
export function figureView(c: ChartData, csvHref: string, kind: 'h' | 'v' | 'line' = 'h'): FigureView {
  const svg = kind === 'line' ? lineChart(c) : kind === 'h' ? horizontalBarChart(c) : verticalBarChart(c);
  return {
    id: c.id,
    title: c.title,
    illustrative: c.illustrative,
    svg: raw(svg),
    legend:
      c.series.length > 1 ? c.series.map((s, i) => ({ label: s.label, colour: PALETTE[i % PALETTE.length] })) : [],
    table: dataTable(c, csvHref),
  };
}

/** A milestone timeline's figure (its legend is the marks' shapes, in the template). */
export function timelineFigureView(c: TimelineData, csvHref: string): Omit<FigureView, 'legend'> {
  return {
    id: c.id,
    title: c.title,
    illustrative: c.illustrative,
    svg: raw(timelineChart(c)),
    table: timelineTable(c, csvHref),
  };
}
