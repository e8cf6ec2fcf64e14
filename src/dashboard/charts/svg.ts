import { esc } from '../html';
import type { ChartData } from './types';

/** The accessible wrapper every chart shares: role="img", <title>, <desc>, linked by ids. */
export function svgOpen(
  id: string,
  title: string,
  description: string,
  width: number,
  height: number,
  illustrative = false,
): string {
  const desc = illustrative ? `${description} Illustrative data: not from the source documents.` : description;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-${esc(id)}" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `aria-labelledby="chart-${esc(id)}-title chart-${esc(id)}-desc"><title id="chart-${esc(id)}-title">${esc(title)}</title>` +
    `<desc id="chart-${esc(id)}-desc">${esc(desc)}</desc>`
  );
}

/** Largest value to scale against (at least 1, so an all-zero chart draws flat, not NaN). */
export function maxOf(data: ChartData, stacked: boolean): number {
  let max = 0;
  for (const row of data.values) {
    const vals = row.map((v) => Number(v ?? 0)); // geometry only
    const m = stacked ? vals.reduce((s, v) => s + Math.max(v, 0), 0) : Math.max(0, ...vals);
    if (m > max) max = m;
  }
  return max > 0 ? max : 1;
}
