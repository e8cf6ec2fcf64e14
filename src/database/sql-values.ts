/**
 * What the drivers return for one SQL value, made into one JavaScript type. PostgreSQL gives
 * SUM()/COUNT() and BIGINT as strings and booleans as booleans; SQLite gives numbers and 0/1.
 * Every raw query reads through these, so both databases give the same figures.
 */

/** A SQL integer or aggregate as a safe integer; NULL (an empty SUM) is 0. */
export function toInt(v: unknown, what = 'aggregate'): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`${what} ${String(v)} is not a safe integer`);
  return n;
}

/** As toInt, but NULL stays null (a value that may be absent, not a sum). */
export function toIntOrNull(v: unknown, what = 'value'): number | null {
  return v === null || v === undefined ? null : toInt(v, what);
}

/** A SQL boolean: true, 1, '1', 't' (PostgreSQL text form) or 'true'. */
export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
}
