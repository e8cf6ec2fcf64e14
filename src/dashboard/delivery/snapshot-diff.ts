import { displayPounds, parsePounds } from '../../common/money';

/**
 * Pure: differences between two submitted returns' frozen JSON snapshots, section by section,
 * in plain words. Works on the return document format (`sections[]` of `{key, title, columns
 * [{key, header, type}], rows}`): rows are matched on their text columns, and every money,
 * number or date cell that differs is reported. Sections only one return has are named.
 */
export interface SnapshotSection {
  key: string;
  title?: string;
  columns: { key: string; header?: string; type: string }[];
  rows: Record<string, string | number | null>[];
}

export interface SectionDiff {
  key: string;
  title: string;
  changes: string[];
  /** Rows only in the later or only in the earlier return. */
  added: string[];
  removed: string[];
}

const SKIP = new Set(['cover', 'checks']);
const VALUE_TYPES = new Set(['money', 'number', 'integer', 'count', 'date', 'percent']);

export function sectionsOf(snapshot: unknown): SnapshotSection[] {
  const s = (snapshot as { sections?: unknown } | null)?.sections;
  if (!Array.isArray(s)) return [];
  return s.filter(
    (x): x is SnapshotSection =>
      !!x &&
      typeof x === 'object' &&
      typeof (x as SnapshotSection).key === 'string' &&
      Array.isArray((x as SnapshotSection).columns) &&
      Array.isArray((x as SnapshotSection).rows),
  );
}

function show(type: string, v: string | number | null): string {
  if (v === null || v === undefined || v === '') return 'nothing';
  if (type === 'money' && typeof v === 'string') {
    try {
      return displayPounds(parsePounds(v));
    } catch {
      return String(v);
    }
  }
  return String(v);
}

function delta(type: string, a: string | number | null, b: string | number | null): string {
  if (type !== 'money' || typeof a !== 'string' || typeof b !== 'string') return '';
  try {
    const d = parsePounds(b) - parsePounds(a);
    return ` (${d > 0 ? '+' : ''}${displayPounds(d)})`;
  } catch {
    return '';
  }
}

export function diffSnapshots(earlier: unknown, later: unknown, maxPerSection = 40): SectionDiff[] {
  const before = new Map(sectionsOf(earlier).map((s) => [s.key, s]));
  const out: SectionDiff[] = [];
  for (const s of sectionsOf(later)) {
    if (SKIP.has(s.key)) continue;
    const prev = before.get(s.key);
    const title = s.title ?? s.key;
    if (!prev) {
      out.push({
        key: s.key,
        title,
        changes: [`${title} is new in this return (the earlier return did not have it).`],
        added: [],
        removed: [],
      });
      continue;
    }
    const keyCols = s.columns.filter((c) => !VALUE_TYPES.has(c.type)).map((c) => c.key);
    const valueCols = s.columns.filter((c) => VALUE_TYPES.has(c.type));
    const keyOf = (r: Record<string, unknown>) => keyCols.map((k) => String(r[k] ?? '')).join(' · ');
    const prevRows = new Map(prev.rows.map((r) => [keyOf(r), r]));
    const diff: SectionDiff = { key: s.key, title, changes: [], added: [], removed: [] };
    const seen = new Set<string>();
    for (const r of s.rows) {
      const k = keyOf(r);
      seen.add(k);
      const p = prevRows.get(k);
      if (!p) {
        diff.added.push(k);
        continue;
      }
      for (const c of valueCols) {
        const a = p[c.key] ?? null;
        const b = r[c.key] ?? null;
        if (a === b) continue;
        diff.changes.push(
          `${k}: ${c.header ?? c.key} changed from ${show(c.type, a)} to ${show(c.type, b)}${delta(c.type, a, b)}.`,
        );
      }
    }
    for (const k of prevRows.keys()) if (!seen.has(k)) diff.removed.push(k);
    diff.changes = diff.changes.slice(0, maxPerSection);
    out.push(diff);
  }
  return out;
}
