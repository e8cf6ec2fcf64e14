/** Pure SVG charts with companion data tables and CSV: no Nest, no database. */
export { horizontalBarChart, verticalBarChart } from './bar';
export { lineChart } from './line';
export { timelineChart } from './timeline';
export { chartCsv, dataTable, timelineCsv, timelineTable } from './table';
export type { ChartCategory, ChartData, TimelineData, TimelineRow } from './types';
export { figureView, timelineFigureView, type FigureView } from './figure';
