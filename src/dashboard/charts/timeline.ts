import { daysBetween } from '../../common/fiscal';
import { esc } from '../html';
import { labelText, n } from './format';
import { svgOpen } from './svg';
import type { TimelineData } from './types';

export const T = { width: 640, labelWidth: 200, right: 20, rowHeight: 28, top: 24, bottom: 24 };

/**
 * Milestone timeline: one <g class="milestone"> row per milestone with up to three markers,
 * baseline (open diamond), forecast (circle) and actual (filled square), and a line from
 * baseline to forecast showing the slip. The x scale runs from the earliest to the latest date.
 */
export function timelineChart(data: TimelineData): string {
  const dates = data.rows
    .flatMap((r) => [r.baseline, r.forecast, r.actual])
    .filter((d): d is string => d !== null)
    .sort();
  const first = dates[0] ?? '2015-04-01';
  const last = dates[dates.length - 1] ?? first;
  const span = Math.max(daysBetween(first, last), 1);
  const plot = T.width - T.labelWidth - T.right;
  const x = (d: string) => T.labelWidth + (daysBetween(first, d) / span) * plot;
  const height = T.top + data.rows.length * T.rowHeight + T.bottom;
  let out = svgOpen(data.id, data.title, data.description, T.width, height, data.illustrative);
  out += `<text x="${T.labelWidth}" y="14" font-size="11">${esc(first)}</text><text x="${T.width - T.right}" y="14" font-size="11" text-anchor="end">${esc(last)}</text>`;
  data.rows.forEach((r, i) => {
    const cy = T.top + i * T.rowHeight + T.rowHeight / 2;
    out += `<g class="milestone" data-key="${esc(r.key)}">${labelText(r.label, T.labelWidth - 6, cy, T.labelWidth - 10).svg}`;
    if (r.baseline && r.forecast && r.baseline !== r.forecast) {
      out += `<line class="slip" x1="${n(x(r.baseline))}" y1="${n(cy)}" x2="${n(x(r.forecast))}" y2="${n(cy)}" stroke="#D55E00" stroke-width="2"/>`;
    }
    if (r.baseline) {
      const bx = x(r.baseline);
      out += `<path class="baseline" d="M${n(bx)},${n(cy - 6)} L${n(bx + 6)},${n(cy)} L${n(bx)},${n(cy + 6)} L${n(bx - 6)},${n(cy)} Z" fill="#fff" stroke="#0072B2" stroke-width="2"><title>${esc(`${r.label}: baseline ${r.baseline}`)}</title></path>`;
    }
    if (r.forecast)
      out += `<circle class="forecast" cx="${n(x(r.forecast))}" cy="${n(cy)}" r="5" fill="#D55E00"><title>${esc(`${r.label}: forecast ${r.forecast}`)}</title></circle>`;
    if (r.actual)
      out += `<rect class="actual" x="${n(x(r.actual) - 5)}" y="${n(cy - 5)}" width="10" height="10" fill="#009E73"><title>${esc(`${r.label}: actual ${r.actual}`)}</title></rect>`;
    out += '</g>';
  });
  return out + '</svg>';
}
