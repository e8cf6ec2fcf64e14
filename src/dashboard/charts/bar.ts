import { esc } from '../html';
import { exact, labelLines, labelText, LABEL_LINE, n, short, wrapWords } from './format';
import { maxOf, svgOpen } from './svg';
import { PALETTE, type ChartData } from './types';

/**
 * Bar charts (one series) and stacked bar charts (several series). Each bar is a
 * <g class="bar"> holding one <rect> per series, with its exact value in a <title>.
 */

export const H = { width: 640, labelWidth: 200, valueWidth: 90, barHeight: 24, gap: 8, top: 8, bottom: 8 };

function segments(
  data: ChartData,
  ci: number,
  place: (start: number, len: number) => { x: number; y: number; w: number; h: number },
  scale: number,
): string {
  let acc = 0;
  let out = '';
  data.series.forEach((s, si) => {
    const v = data.values[ci][si];
    if (v === null || v <= 0) return;
    const len = Number(v) / scale; // geometry only: the labels stay exact
    const r = place(acc, len);
    acc += len;
    const label = `${data.categories[ci].label}${data.series.length > 1 ? `, ${s.label}` : ''}: ${short(data.unit, v)} (${exact(data.unit, v)})`;
    out += `<rect class="seg" x="${n(r.x)}" y="${n(r.y)}" width="${n(r.w)}" height="${n(r.h)}" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(label)}</title></rect>`;
  });
  return out;
}

function total(data: ChartData, ci: number): number {
  return data.values[ci].reduce<number>((s, v) => s + Number(v ?? 0), 0);
}

/** Width, in viewBox units, a row label may take (it wraps onto more lines rather than being cut). */
const LABEL_COLUMN = H.labelWidth - 10;

/** Row heights: a label of three or more lines makes its row taller; one or two lines fit the bar. */
function rowHeights(data: ChartData, base: number): number[] {
  return data.categories.map((c) => Math.max(base, labelLines(c.label, LABEL_COLUMN) * LABEL_LINE - 2));
}

function offsets(heights: number[]): number[] {
  const out: number[] = [];
  let y = H.top;
  for (const h of heights) {
    out.push(y);
    y += h + H.gap;
  }
  return out;
}

function chartHeight(heights: number[]): number {
  return H.top + heights.reduce((s, h) => s + h + H.gap, 0) - (heights.length ? H.gap : 0) + H.bottom;
}

/** Horizontal bars, one row per category; stacked when there are several series (side by side when `grouped`). */
export function horizontalBarChart(data: ChartData): string {
  if (data.grouped) return groupedBarChart(data);
  const plot = H.width - H.labelWidth - H.valueWidth;
  const max = maxOf(data, true);
  const heights = rowHeights(data, H.barHeight);
  const tops = offsets(heights);
  let out = svgOpen(data.id, data.title, data.description, H.width, chartHeight(heights), data.illustrative);
  data.categories.forEach((c, ci) => {
    const y = tops[ci] + (heights[ci] - H.barHeight) / 2;
    const t = total(data, ci);
    out += `<g class="bar" data-key="${esc(c.key)}">`;
    out += labelText(c.label, H.labelWidth - 6, y + H.barHeight / 2, LABEL_COLUMN).svg;
    out += segments(
      data,
      ci,
      (start, len) => ({ x: H.labelWidth + start * plot, y, w: len * plot, h: H.barHeight }),
      max,
    );
    out += `<text x="${n(H.labelWidth + (t / max) * plot + 4)}" y="${n(y + H.barHeight / 2 + 4)}" font-size="12">${esc(short(data.unit, t))}</text>`;
    out += '</g>';
  });
  return out + '</svg>';
}

export const V = { width: 640, height: 300, left: 70, right: 10, top: 10, bottom: 50, fill: 0.6 };

/** Vertical bars (columns), one per category; stacked when there are several series. */
export function verticalBarChart(data: ChartData): string {
  const plotW = V.width - V.left - V.right;
  const plotH = V.height - V.top - V.bottom;
  const max = maxOf(data, true);
  const slot = data.categories.length ? plotW / data.categories.length : plotW;
  const barW = slot * V.fill;
  let out = svgOpen(data.id, data.title, data.description, V.width, V.height, data.illustrative);
  out += `<line x1="${V.left}" y1="${V.top + plotH}" x2="${V.width - V.right}" y2="${V.top + plotH}" stroke="#333"/>`;
  out += `<text x="${V.left - 6}" y="${V.top + 10}" text-anchor="end" font-size="11">${esc(short(data.unit, max))}</text>`;
  data.categories.forEach((c, ci) => {
    const x = V.left + ci * slot + (slot - barW) / 2;
    const t = total(data, ci);
    out += `<g class="bar" data-key="${esc(c.key)}">`;
    out += segments(
      data,
      ci,
      (start, len) => ({ x, y: V.top + plotH - (start + len) * plotH, w: barW, h: len * plotH }),
      max,
    );
    const cx = n(x + barW / 2);
    const lines = wrapWords(c.label, Math.max(8, Math.floor(slot / 7)));
    out += `<text class="label" x="${cx}" y="${V.top + plotH + 16}" text-anchor="middle" font-size="12">${lines.map((l, i) => `<tspan x="${cx}" y="${V.top + plotH + 16 + i * LABEL_LINE}">${esc(l)}</tspan>`).join('')}</text>`;
    out += `<text x="${n(x + barW / 2)}" y="${n(V.top + plotH - (t / max) * plotH - 4)}" text-anchor="middle" font-size="11">${esc(short(data.unit, t))}</text>`;
    out += '</g>';
  });
  return out + '</svg>';
}

/** One row per category, one thin bar per series within it (compare, not add up). */
function groupedBarChart(data: ChartData): string {
  const plot = H.width - H.labelWidth - H.valueWidth;
  const max = maxOf(data, false);
  const rowH = H.barHeight * Math.max(data.series.length, 1) * 0.75;
  const heights = rowHeights(data, rowH);
  const tops = offsets(heights);
  let out = svgOpen(data.id, data.title, data.description, H.width, chartHeight(heights), data.illustrative);
  data.categories.forEach((c, ci) => {
    const y = tops[ci] + (heights[ci] - rowH) / 2;
    const h = rowH / data.series.length;
    out += `<g class="bar" data-key="${esc(c.key)}">`;
    out += labelText(c.label, H.labelWidth - 6, y + rowH / 2, LABEL_COLUMN).svg;
    data.series.forEach((s, si) => {
      const v = data.values[ci][si];
      if (v === null) return;
      const w = (Math.max(Number(v), 0) / max) * plot;
      const label = `${c.label}, ${s.label}: ${exact(data.unit, v)}`;
      out += `<rect class="seg" x="${H.labelWidth}" y="${n(y + si * h)}" width="${n(w)}" height="${n(h - 1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(label)}</title></rect>`;
      out += `<text x="${n(H.labelWidth + w + 4)}" y="${n(y + si * h + h / 2 + 4)}" font-size="11">${esc(short(data.unit, v))}</text>`;
    });
    out += '</g>';
  });
  return out + '</svg>';
}
