/**
 * Output quantities travel as the metric's unit (km, ha, m², £, counts) and are stored as
 * integers of a smaller unit (metres, hundredths of a hectare, m², pence, 1). Counts and m²
 * are JSON integers; the others decimal strings with exactly the places the unit allows.
 */
import { FieldProblem } from '../common/errors';

export interface MetricUnitInfo {
  unit: string;
  scale: number;
}

export function placesOf(scale: number): number {
  return Math.round(Math.log10(scale));
}

export const UNIT_SCALE: Record<string, number> = { count: 1, m2: 1, km: 1000, ha: 100, gbp: 100 };
export const UNIT_STORED: Record<string, string> = {
  count: 'count',
  m2: 'm2',
  km: 'metres',
  ha: 'hundredths of a hectare',
  gbp: 'pence',
};

/**
 * The largest whole part a quantity may have, in its unit (9,999,999,999,999 jobs, km, ha, m² or
 * pounds): the one limit of every door that takes a quantity (the API, the staff form, the
 * partner workbook), which read loose text and then obey this.
 */
export const MAX_WHOLE_DIGITS = 13;
export const MAX_WHOLE = 10 ** MAX_WHOLE_DIGITS - 1;

function describe(m: MetricUnitInfo): string {
  const p = placesOf(m.scale);
  if (p === 0) return `a whole number of ${m.unit === 'count' ? 'units' : m.unit} (a JSON integer, e.g. 12)`;
  const eg = `"${(12).toFixed(0)}.${'5'.padEnd(p, '0')}"`;
  return `a number of ${m.unit === 'gbp' ? 'pounds' : m.unit} as a string with exactly ${p} decimal places, e.g. ${eg}`;
}

/** Parses an API value into stored integers, or returns the problem naming the field. */
export function parseQuantity(
  input: unknown,
  m: MetricUnitInfo,
  field = 'value',
): { value: number } | { problem: FieldProblem } {
  const p = placesOf(m.scale);
  const bad = { problem: { field, problem: `must be ${describe(m)}, not negative, at most ${MAX_WHOLE}` } };
  if (p === 0) {
    if (typeof input !== 'number' || !Number.isSafeInteger(input) || input < 0 || input > MAX_WHOLE) return bad;
    return { value: input };
  }
  if (typeof input !== 'string') return bad;
  const re = new RegExp(`^(0|[1-9]\\d{0,${MAX_WHOLE_DIGITS - 1}})\\.(\\d{${p}})$`);
  const mm = re.exec(input);
  if (!mm) return bad;
  const value = Number(mm[1]) * m.scale + Number(mm[2]);
  if (!Number.isSafeInteger(value)) return bad;
  return { value };
}

/** Stored integers to the API form. */
export function formatQuantity(stored: number, m: MetricUnitInfo): string | number {
  const p = placesOf(m.scale);
  if (p === 0) return stored;
  const neg = stored < 0;
  const s = String(Math.abs(stored)).padStart(p + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -p)}.${s.slice(-p)}`;
}
