import { displayMillions, displayPounds, formatPounds, type Money } from '../../common/money';
import { esc } from '../html';
import type { ChartData } from './types';

/** SVG coordinates: at most two decimals, no trailing zeros, so geometry is testable exactly. */
export function n(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return x.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** Summary form for chart labels: "£2.4m" or "1,200". */
export function short(unit: ChartData['unit'], v: Money): string {
  return unit === 'pence' ? displayMillions(v) : v.toLocaleString('en-GB');
}

/** Exact form for tables and hover titles: "£2,400,000.00" or "1,200". */
export function exact(unit: ChartData['unit'], v: Money): string {
  return unit === 'pence' ? displayPounds(v) : String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** CSV form: canonical pounds ("2400000.00") or the plain count. */
export function csvValue(unit: ChartData['unit'], v: Money | null): string {
  if (v === null) return '';
  return unit === 'pence' ? formatPounds(v) : String(v);
}

/**
 * A label broken at spaces into lines of at most `chars` characters (a word longer than that
 * stands on its own line): never cut mid-word, never an ellipsis, so the whole name is drawn.
 */
export function wrapWords(label: string, chars: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const last = lines.length ? lines[lines.length - 1] : undefined;
    if (last !== undefined && last.length + 1 + word.length <= chars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [''];
}

/** Line height of wrapped chart labels, in viewBox units, for a 12-unit font. */
export const LABEL_LINE = 13;

/**
 * A right-aligned label of one or more lines centred on `cy`: one <text>, a <tspan> per line.
 * Sized for a 12-unit font in a column `width` wide (about 7 units a character, generously).
 */
export function labelText(label: string, xEnd: number, cy: number, width: number): { svg: string; lines: number } {
  const lines = wrapWords(label, Math.max(8, Math.floor(width / 7)));
  const first = cy + 4 - ((lines.length - 1) * LABEL_LINE) / 2;
  const spans = lines
    .map((l, i) => `<tspan x="${n(xEnd)}" y="${n(first + i * LABEL_LINE)}">${esc(l)}</tspan>`)
    .join('');
  return {
    svg: `<text class="label" x="${n(xEnd)}" y="${n(first)}" text-anchor="end" font-size="12">${spans}</text>`,
    lines: lines.length,
  };
}

/** How many wrapped lines a label takes in a column `width` wide (see labelText). */
export function labelLines(label: string, width: number): number {
  return wrapWords(label, Math.max(8, Math.floor(width / 7))).length;
}
