import { esc } from '../html';
import { exact, n, short } from './format';
import { maxOf, svgOpen } from './svg';
import { PALETTE, type ChartCategory, type ChartData } from './types';

export const L = { width: 640, height: 300, left: 70, right: 10, top: 10, bottom: 50 };

const AXIS_FONT = 11;

/** What the x axis prints for a category: its short form when it has one ("2016-17 Q4"). */
export function axisLabel(c: ChartCategory): string {
  return c.axisLabel ?? c.label;
}

/**
 * Label every category, or every 2nd, 4th, 8th… so that no two labels overlap: the step is the
 * smallest power of two whose spacing fits the widest label (about 0.62 of the font size a
 * character, plus a gap). Powers of two keep quarters aligned (every 4th is one label a year).
 */
export function axisLabelEvery(labels: readonly string[], step: number): number {
  if (labels.length < 2 || step <= 0) return 1;
  const widest = Math.max(...labels.map((l) => l.length)) * AXIS_FONT * 0.62 + 8;
  let every = 1;
  while (every * step < widest && every < labels.length) every *= 2;
  return every;
}

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
  const every = axisLabelEvery(data.categories.map(axisLabel), step);
  data.categories.forEach((c, ci) => {
    if (ci % every) return;
    out += `<text class="x-label" x="${n(x(ci))}" y="${L.top + plotH + 16}" text-anchor="middle" font-size="${AXIS_FONT}">${esc(axisLabel(c))}</text>`;
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
