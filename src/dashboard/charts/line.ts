import { esc } from '../html';
import { exact, n, short } from './format';
import { maxOf, svgOpen } from './svg';
import { PALETTE, type ChartData } from './types';

export const L = { width: 640, height: 300, left: 70, right: 10, top: 10, bottom: 50 };

/**
 * Line chart over ordered categories (quarters): one <polyline class="series"> per series,
 * e.g. cumulative spend against the baseline and latest profile. A null value breaks nothing:
 * the line simply has no point there (future quarters have no actual).
 */
export function lineChart(data: ChartData): string {
  const plotW = L.width - L.left - L.right;
  const plotH = L.height - L.top - L.bottom;
  const max = maxOf(data, false);
  const step = data.categories.length > 1 ? plotW / (data.categories.length - 1) : 0;
  const x = (ci: number) => L.left + ci * step;
  const y = (v: number) => L.top + plotH - (v / max) * plotH;
  let out = svgOpen(data.id, data.title, data.description, L.width, L.height, data.illustrative);
  out += `<line x1="${L.left}" y1="${L.top + plotH}" x2="${L.width - L.right}" y2="${L.top + plotH}" stroke="#333"/>`;
  out += `<text x="${L.left - 6}" y="${L.top + 10}" text-anchor="end" font-size="11">${esc(short(data.unit, max))}</text>`;
  data.categories.forEach((c, ci) => {
    out += `<text x="${n(x(ci))}" y="${L.top + plotH + 16}" text-anchor="middle" font-size="10">${esc(c.label)}</text>`;
  });
  data.series.forEach((s, si) => {
    const pts: string[] = [];
    let dots = '';
    data.categories.forEach((c, ci) => {
      const v = data.values[ci][si];
      if (v === null) return;
      pts.push(`${n(x(ci))},${n(y(Number(v)))}`);
      dots += `<circle cx="${n(x(ci))}" cy="${n(y(Number(v)))}" r="3" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(`${s.label}, ${c.label}: ${exact(data.unit, v)}`)}</title></circle>`;
    });
    const dash = si === 0 ? '' : ` stroke-dasharray="${si * 3 + 3},3"`;
    out += `<g class="series" data-key="${esc(s.key)}"><polyline points="${pts.join(' ')}" fill="none" stroke="${PALETTE[si % PALETTE.length]}" stroke-width="2"${dash}/>${dots}</g>`;
  });
  return out + '</svg>';
}
