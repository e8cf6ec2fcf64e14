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

/**
 * SUM of a money column, read exactly: SQLite's SUM reaches JavaScript through the driver as a
 * double (inexact above 2^53 pence), so the database turns the total into text first; PostgreSQL
 * gives numeric as text anyway. Read the result with toBigInt.
 */
export function exactSum(expr: string): string {
  return `CAST(SUM(${expr}) AS TEXT)`;
}

/** A SQL integer or aggregate as an exact bigint (NULL, an empty SUM, is 0n). */
export function toBigInt(v: unknown, what = 'aggregate'): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`${what} ${String(v)} is not an exact integer`);
    return BigInt(v);
  }
  const s = String(v);
  if (!/^-?\d+$/.test(s)) throw new Error(`${what} ${s} is not an integer`);
  return BigInt(s);
}
