import { exactPence, Money, narrowPence, parsePoundsExact } from '../common/money';

/**
 * "Variance to last return": live figures set beside the same figures in the last submitted
 * version's frozen snapshot (never recomputed from today's data).
 */
export interface ParsedReturn {
  quarter: string;
  version: number;
  contentHash: string;
  document: {
    sections: {
      key: string;
      columns: { key: string; type: string }[];
      rows: Record<string, string | number | null>[];
    }[];
  };
}

export function parseSnapshot(quarter: string, version: number, contentHash: string, bytes: string): ParsedReturn {
  return { quarter, version, contentHash, document: JSON.parse(bytes) as ParsedReturn['document'] };
}

/** A money column of a section in the last return, by row key, in pence (exact: a total may pass 2^53). */
export function lastReturnMoney(
  last: ParsedReturn | null,
  section: string,
  keyColumn: string,
  valueColumn: string,
): Map<string, Money> | null {
  if (!last) return null;
  const s = last.document.sections.find((x) => x.key === section);
  if (!s || !s.columns.some((c) => c.key === valueColumn)) return null;
  const out = new Map<string, Money>();
  for (const r of s.rows) {
    const v = r[valueColumn];
    if (typeof v === 'string') out.set(String(r[keyColumn]), narrowPence(parsePoundsExact(v)));
  }
  return out;
}

export interface Variance {
  key: string;
  live: Money;
  last: Money | null;
  /** live - last; null when the last return has no such line. */
  variance: Money | null;
}

/** Line-by-line variance, exact; a line missing from the last return counts as new (last 0). */
export function varianceToLast(live: Map<string, Money>, last: Map<string, Money> | null): Map<string, Variance> {
  const out = new Map<string, Variance>();
  const minus = (a: Money, b: Money) => narrowPence(exactPence(a) - exactPence(b));
  for (const [key, v] of live) {
    if (!last) out.set(key, { key, live: v, last: null, variance: null });
    else {
      const prev = last.get(key) ?? 0;
      out.set(key, { key, live: v, last: prev, variance: minus(v, prev) });
    }
  }
  if (last)
    for (const [key, prev] of last)
      if (!live.has(key)) out.set(key, { key, live: 0, last: prev, variance: minus(0, prev) });
  return out;
}
