import Decimal from 'decimal.js';
import { displayPounds, exactPence, Money, narrowPence } from '../../common/money';
import type { HeadlineUnit, Qualifier } from '../../headlines/headline-figure.entity';

/**
 * Wording helpers for explanations. Amounts are shown exactly: a figure that is not a
 * whole number of the displayed unit gets more places (or whole pounds), never rounded.
 */

const PENCE_PER_MILLION = 100_000_000;
const MINUS = '\u2212';

/** "£6.9m" for multiples of £0.1m, "£27.65m" down to £1,000, else exact pounds ("£250,000", "£12.34"). */
export function money(pence: Money, minPlaces = 1): string {
  const exact = exactPence(pence);
  const sign = exact < 0n ? MINUS : '';
  const abs = exact < 0n ? -exact : exact;
  for (let places = minPlaces; places <= 3; places++) {
    if (abs % BigInt(PENCE_PER_MILLION / 10 ** places) === 0n) {
      return `${sign}£${new Decimal(abs.toString()).dividedBy(PENCE_PER_MILLION).toFixed(places)}m`;
    }
  }
  const pounds = displayPounds(abs).replace(/\.00$/, '');
  return `${sign}${pounds}`;
}

/** A possibly fractional amount of pence (half a precision): "£0.05m", "£0.5m", or exact pounds. */
export function halfMoney(precisionPence: number): string {
  if (precisionPence % 2 === 0) return money(precisionPence / 2, 0);
  return `£${new Decimal(precisionPence).dividedBy(200).toString()}`;
}

const SINGULAR: Record<string, string> = { jobs: 'job', homes: 'home', projects: 'project', sites: 'site' };

function grouped(n: Money | string): string {
  const [whole, frac] = String(n).split('.');
  const g = whole.replace(/^-/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole.startsWith('-') ? MINUS : ''}${g}${frac ? `.${frac}` : ''}`;
}

/** A value in a headline's unit: money for pounds, "5,000 jobs" for counts. */
export function amount(unit: HeadlineUnit, value: Money): string {
  if (unit === 'pounds') return money(value);
  return `${grouped(value)} ${value === 1 || value === -1 || value === 1n || value === -1n ? (SINGULAR[unit] ?? unit) : unit}`;
}

/** "£0.1m (±£0.05m)" or "100 jobs (±50 jobs)": the rounding a printed figure carries. */
export function roundingText(unit: HeadlineUnit, precision: number): string {
  if (unit === 'pounds') return `${money(precision, 0)} (±${halfMoney(precision)})`;
  const half = new Decimal(precision).dividedBy(2).toString();
  return `the nearest ${grouped(precision)} ${precision === 1 ? (SINGULAR[unit] ?? unit) : unit} (±${grouped(half)} ${unit})`;
}

export function qualified(qualifier: Qualifier, unit: HeadlineUnit, value: number): string {
  const v = amount(unit, value);
  if (qualifier === 'at_least') return `at least ${v}`;
  if (qualifier === 'about') return `about ${v}`;
  return v;
}

export function capitalise(s: string): string {
  return s.length ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Locale-independent ordering, so output order never depends on the host's ICU data. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Exact integer addition: a number while the total is a safe integer, else a bigint. */
export function add(a: Money, b: Money): Money {
  return narrowPence(exactPence(a) + exactPence(b));
}

/** a - b exactly (a number while safe). */
export function minus(a: Money, b: Money): Money {
  return narrowPence(exactPence(a) - exactPence(b));
}

/** The sign of a money figure: -1, 0 or 1. */
export function sign(v: Money): -1 | 0 | 1 {
  const e = exactPence(v);
  return e > 0n ? 1 : e < 0n ? -1 : 0;
}
