import Decimal from 'decimal.js';

/**
 * Money is integer pence everywhere inside the system. These helpers are the only
 * places where pounds (as strings) become pence and back, so float never touches money.
 */

export type Pence = number;

/** The API form: optional minus, digits, a point and exactly two decimals. */
const CANONICAL = /^-?(0|[1-9]\d*)\.\d{2}$/;
/** What the CLI and spreadsheets accept: ordinary numbers, thousands commas, up to 2 dp. */
const LOOSE = /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/;

export class MoneyFormatError extends Error {
  constructor(
    readonly input: unknown,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function toSafePence(d: Decimal, input: unknown): Pence {
  const pence = d.times(100);
  if (!pence.isInteger()) throw new MoneyFormatError(input, 'has more than two decimal places');
  const n = pence.toNumber();
  if (!Number.isSafeInteger(n)) throw new MoneyFormatError(input, 'is too large');
  return n === 0 ? 0 : n; // never -0
}

/**
 * The largest amount any one money field accepts, either sign: £1,000,000,000.00. Far above any
 * real figure (the whole 2014 deal is £101.3m; the national Local Growth Fund was £12bn over
 * all 39 LEPs), and far below where a total stops being exact: summing 90,071 fields of
 * this size still stays under 2^53 pence.
 */
export const MAX_AMOUNT_PENCE = 100_000_000_000;
export const MAX_AMOUNT = '1000000000.00';

function inRange(pence: Pence, input: unknown): Pence {
  if (pence > MAX_AMOUNT_PENCE || pence < -MAX_AMOUNT_PENCE)
    throw new MoneyFormatError(input, `must be at most ${MAX_AMOUNT} (either sign)`);
  return pence;
}

/** An amount someone sends (API field, change-request payload, seed or import file): canonical and at most MAX_AMOUNT. */
export function parseAmount(input: unknown): Pence {
  return inRange(parsePounds(input), input);
}

/** Parses the canonical API form ("2400000.00") into pence (any safe amount: totals too). */
export function parsePounds(input: unknown): Pence {
  if (typeof input !== 'string')
    throw new MoneyFormatError(input, 'must be a string of pounds with two decimal places, e.g. "2400000.00"');
  if (!CANONICAL.test(input))
    throw new MoneyFormatError(input, 'must be pounds with exactly two decimal places, e.g. "2400000.00"');
  return toSafePence(new Decimal(input), input);
}

/** Parses what a person types in a CSV or spreadsheet: 2400000, "2,400,000.5", 12.30 (at most MAX_AMOUNT). */
export function parseLoosePounds(input: unknown): Pence {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new MoneyFormatError(input, 'is not a finite number');
    // Spreadsheet numbers are binary floats: accept them only if they are whole pence when
    // printed to 2 dp and re-read (so 0.1+0.2 style noise is tolerated, 1.005 is not).
    const d = new Decimal(input);
    if (d.decimalPlaces() > 2) {
      const rounded = d.toDecimalPlaces(2);
      if (!rounded.minus(d).abs().lt('1e-9')) throw new MoneyFormatError(input, 'has more than two decimal places');
      return inRange(toSafePence(rounded, input), input);
    }
    return inRange(toSafePence(d, input), input);
  }
  if (typeof input !== 'string') throw new MoneyFormatError(input, 'must be a number');
  const s = input.trim().replace(/^£/, '');
  if (!LOOSE.test(s)) throw new MoneyFormatError(input, 'must be a number of pounds with at most two decimal places');
  return inRange(toSafePence(new Decimal(s.replace(/,/g, '')), input), input);
}

/**
 * Pence to the canonical API form. A total may be a bigint: sums of many amounts can pass 2^53
 * pence, where a JavaScript number stops being exact (see exactSum in database/sql-values.ts).
 */
export function formatPounds(pence: Pence | bigint): string {
  if (typeof pence === 'bigint') {
    const abs = pence < 0n ? -pence : pence;
    const cents = abs % 100n;
    return `${pence < 0n ? '-' : ''}${abs / 100n}.${cents < 10n ? '0' : ''}${cents}`;
  }
  assertPence(pence);
  // Integer arithmetic is exact for safe integers: the remainder and the multiple of 100 below it.
  const abs = pence < 0 ? -pence : pence;
  const cents = abs % 100;
  return `${pence < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Pence (or an exact bigint total) to a readable "£2,400,000.00" for tables and pages. */
export function displayPounds(pence: Pence | bigint): string {
  const negative = pence < 0;
  const s = formatPounds(typeof pence === 'bigint' ? (negative ? -pence : pence) : Math.abs(pence));
  const [whole, frac] = s.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}£${grouped}.${frac}`;
}

/**
 * A money figure as the code carries it: one field's pence (a number, at most MAX_AMOUNT) or
 * an exact total (a bigint). Totals are added with addMoney/sumMoney, never with `+` on numbers.
 */
export type Money = Pence | bigint;

/** A money figure as an exact bigint. */
export function exactPence(v: Money): bigint {
  if (typeof v === 'bigint') return v;
  assertPence(v);
  return BigInt(v);
}

/** a + b exactly, whatever their size. */
export function addMoney(a: Money, b: Money): bigint {
  return exactPence(a) + exactPence(b);
}

/** The exact sum of money figures (0n when there are none). */
export function sumMoney(values: Iterable<Money>): bigint {
  let total = 0n;
  for (const v of values) total += exactPence(v);
  return total;
}

/** Parses the canonical API form into exact pence, however large (a total read back from a snapshot). */
export function parsePoundsExact(input: unknown): bigint {
  if (typeof input !== 'string' || !CANONICAL.test(input))
    throw new MoneyFormatError(input, 'must be pounds with exactly two decimal places, e.g. "2400000.00"');
  const negative = input.startsWith('-');
  const [whole, frac] = input.replace('-', '').split('.');
  const pence = BigInt(whole) * 100n + BigInt(frac);
  return negative ? -pence : pence;
}

/** An exact total as pence for code that still computes in numbers; refused (not rounded) past 2^53. */
export function penceOf(total: bigint): Pence {
  const n = Number(total);
  if (!Number.isSafeInteger(n)) throw new MoneyFormatError(total, 'total is too large to compute with here');
  return n;
}

/** An exact total as a number when it is one (a safe integer), else the bigint itself. */
export function narrowPence(total: bigint): Pence | bigint {
  const n = Number(total);
  return Number.isSafeInteger(n) ? n : total;
}

/** Pence to "£2.4m" (one decimal, half away from zero) for summaries. */
export function displayMillions(pence: Money, places = 1): string {
  const m = new Decimal(pence.toString()).dividedBy(100_000_000).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  return `${m.isNegative() ? '-' : ''}£${m.abs().toFixed(places)}m`;
}

/** A figure as printed in a source ("£2.4m", "£250,000", "13.6" in a £m table, "21.") to pence. */
export function parsePrinted(printed: string, scale: 'pounds' | 'millions'): { pence: Pence; precisionPence: Pence } {
  let s = printed.trim().replace(/^£/, '');
  let unit = scale;
  if (/m$/i.test(s)) {
    unit = 'millions';
    s = s.slice(0, -1);
  }
  s = s.replace(/,/g, '');
  if (!/^\d+(\.\d*)?$/.test(s)) throw new MoneyFormatError(printed, 'is not a printed amount');
  const places = s.includes('.') ? s.split('.')[1].length : 0;
  const factor = unit === 'millions' ? 100_000_000 : 100;
  const value = new Decimal(s.endsWith('.') ? s.slice(0, -1) : s);
  const pence = toSafePence(value.times(factor).dividedBy(100), printed);
  const precisionPence = new Decimal(factor).dividedBy(new Decimal(10).pow(places)).toNumber();
  return { pence, precisionPence };
}

export function assertPence(pence: unknown): asserts pence is Pence {
  if (typeof pence !== 'number' || !Number.isSafeInteger(pence)) {
    throw new MoneyFormatError(pence, 'is not a whole number of pence');
  }
}

/** a + b, refused once the total stops being exact (for hot loops: no array per addition). */
export function addPence(a: Pence, b: Pence): Pence {
  const total = a + b;
  if (!Number.isSafeInteger(total)) throw new MoneyFormatError(total, 'total is too large');
  return total;
}

/** Exact sum of pence; throws rather than lose precision. */
export function sumPence(values: Iterable<Pence>): Pence {
  let total = 0;
  for (const v of values) total = addPence(total, v);
  return total;
}
