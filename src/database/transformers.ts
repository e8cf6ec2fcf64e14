import { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL BIGINT arrives as a string through `pg`, SQLite INTEGER as a number:
 * both become a safe JS integer (pence, or counts in a metric's base unit).
 */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null): number | null => {
    if (v === null || v === undefined) return null;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`integer column holds ${String(v)}, outside the safe range`);
    return n;
  },
};

/** JSON kept as text so both databases store the same bytes. */
export const jsonText: ValueTransformer = {
  to: (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v)),
  from: (v: string | null) => (v === null || v === undefined ? null : JSON.parse(v)),
};
