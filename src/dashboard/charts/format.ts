import { displayMillions, displayPounds, formatPounds, type Money } from '../../common/money';
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
