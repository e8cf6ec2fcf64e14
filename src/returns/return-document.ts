import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { FiscalQuarter } from '../common/fiscal';
import { formatPounds, Money, narrowPence, sumMoney } from '../common/money';
import { Programme } from '../programmes/programme.entity';
import { CellInput, ColumnSpec, isTyped, quantityText, RowInput } from '../xlsx/columns';
import type { TotalSpec } from '../xlsx/writer';
import type { ParsedReturn } from './variance';

/**
 * A quarterly return, assembled from sections in a fixed order. Sections hold values in the
 * system's units (pence, "YYYY-MM-DD"); the JSON snapshot speaks pound strings; the xlsx
 * writes real numbers and dates. One structure, two presenters.
 */
export const SECTION_ORDER = [
  'cover',
  'summary',
  'finance',
  'forecastYears',
  'milestones',
  'outputs',
  'changes',
  'reconciliation',
  'checks',
] as const;
export type SectionKey = (typeof SECTION_ORDER)[number];

export const SECTION_TITLES: Record<SectionKey, string> = {
  cover: 'Cover',
  summary: 'Summary by source',
  finance: 'Finance',
  forecastYears: 'Forecast by year',
  milestones: 'Milestones',
  outputs: 'Outputs',
  changes: 'Change requests',
  reconciliation: 'Reconciliation',
  checks: 'Checks',
};

export const SEVERITIES = ['error', 'warning', 'note'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ReturnCheck {
  code: string;
  severity: Severity;
  section: SectionKey;
  message: string;
}

export interface RankedCheck extends ReturnCheck {
  rank: number;
  comment: string | null;
}

export interface SectionTable {
  key: SectionKey;
  title: string;
  /** Sheet name in the xlsx (at most 31 characters). */
  sheet: string;
  columns: ColumnSpec[];
  rows: RowInput[];
  totals?: TotalSpec[];
}

export interface SectionResult {
  table: SectionTable | null;
  checks: ReturnCheck[];
  /** Extra JSON the snapshot keeps under the section's key (e.g. `finance.lines[]`); not a sheet. */
  data?: Record<string, unknown>;
}

export interface ReturnContext {
  m: EntityManager;
  programme: Programme;
  quarter: FiscalQuarter;
  /** The last submitted return before the one being assembled (for "variance to last return"). */
  lastReturn: ParsedReturn | null;
  /** True while the return is being frozen: its own quarter then counts as submitted. */
  submitting: boolean;
}

/**
 * Extra summary columns per source kind (e.g. spend: in quarter, cumulative, latest forecast
 * for the year and the programme). Values are keyed by source kind code; money in pence. They
 * appear after the allocation columns and are totalled.
 */
export interface SummaryColumnsProvider {
  key: string;
  columns: ColumnSpec[];
  values(ctx: ReturnContext): Promise<Map<string, RowInput>>;
}

/** One section of the return (returns/sections/), built from the features' own data. */
export interface SectionProvider {
  key: Exclude<SectionKey, 'cover' | 'checks'>;
  /** Set when what the section says depends on `ctx.submitting` (its own quarter counted as submitted). */
  readonly changesWhenSubmitted?: boolean;
  build(ctx: ReturnContext): Promise<SectionResult>;
}

export interface ReturnCover {
  programme: string;
  programmeName: string;
  quarter: string;
  quarterStart: string;
  quarterEnd: string;
  version: number;
  status: 'draft' | 'submitted';
  preparedBy: string;
  /** Wall-clock instant, recorded. */
  preparedAt: string;
  /** Programme date of the submission (or, for a draft, the programme's as-of date). */
  preparedOn: string;
  reason: string | null;
  lastReturn: { quarter: string; version: number; contentHash: string } | null;
  sectionsNotIncluded: string[];
  checkCounts: Record<Severity, number>;
}

export interface ReturnDocument {
  cover: ReturnCover;
  sections: SectionTable[];
  checks: RankedCheck[];
  /** Per section key, the providers' extra JSON. */
  data?: Partial<Record<SectionKey, Record<string, unknown>>>;
}

export const RETURN_FORMAT = 'growth-deal-return/1';

function jsonCell(col: ColumnSpec, v: CellInput): string | number | null {
  // A quantity keeps its unit's exact decimal text ("2.100"), as the API speaks it.
  if (isTyped(v) && v.type === 'quantity' && typeof v.value === 'number' && (v.places ?? 0) > 0)
    return quantityText(v.value, v.places!);
  if (isTyped(v)) return jsonCell({ ...col, type: v.type }, v.value);
  if (v === null || v === undefined || v === '') return null;
  switch (col.type) {
    case 'money':
      return formatPounds(v as Money);
    case 'percent':
      return formatPounds(v as number); // basis points print as a percentage with two places
    default:
      return typeof v === 'bigint' ? String(v) : v;
  }
}

/** A cell's canonical JSON text, the same as `JSON.stringify(sortKeys(jsonCell(col, v)))`. */
type CellEncoder = (v: CellInput) => string;

/**
 * The encoder for one column, chosen once per section: the plain values that make up nearly every
 * cell skip jsonCell's and sortKeys' detours (a pounds string needs no escaping; a primitive no key
 * sorting). Anything else (typed cells, booleans, bigints in a text column) takes the general path.
 */
function cellEncoder(col: ColumnSpec): CellEncoder {
  const general = (v: CellInput) => JSON.stringify(sortKeys(jsonCell(col, v)));
  if (col.type === 'money' || col.type === 'percent')
    return (v) => {
      if (typeof v === 'number' || typeof v === 'bigint') return `"${formatPounds(v)}"`;
      return v === null || v === undefined || v === '' ? 'null' : general(v);
    };
  // Text repeats down a column (project codes, source kinds, quarters): each distinct string is
  // escaped once and its JSON shared, not made again per row (a bounded cache: free text is unique).
  const seen = new Map<string, string>();
  return (v) => {
    if (typeof v === 'string') {
      let json = seen.get(v);
      if (json === undefined) {
        json = v === '' ? 'null' : JSON.stringify(v);
        if (seen.size < TEXT_CACHE) seen.set(v, json);
      }
      return json;
    }
    if (typeof v === 'number') return JSON.stringify(v);
    return v === null || v === undefined ? 'null' : general(v);
  };
}

/** At most this many distinct strings per column keep their JSON for reuse. */
const TEXT_CACHE = 4096;

/** Rows are gathered into pieces of about this many characters (few hash updates, few string joins). */
const CHUNK = 64 * 1024;

/** A section's totals rows as JSON values: each the exact sum of the rows it covers. */
function jsonTotals(s: SectionTable) {
  return (s.totals ?? []).map((t) => {
    const cols = t.columns ?? s.columns.filter((c) => c.type === 'money').map((c) => c.key);
    const values: Record<string, string | number | null> = {};
    for (const k of cols) {
      const col = s.columns.find((c) => c.key === k)!;
      const rows = s.rows.filter((r) => !t.where || String(r[t.where.column] ?? '') === t.where.equals);
      const sum = sumMoney(
        rows.map((r) => r[k]).filter((v): v is Money => typeof v === 'number' || typeof v === 'bigint'),
      );
      values[k] = jsonCell(col, col.type === 'money' ? sum : narrowPence(sum));
    }
    return { label: t.label, ...(t.where ? { where: t.where } : {}), values };
  });
}

/** The totals of the Summary sheet as the snapshot holds them ("Total, all sources"), without parsing it. */
export function summaryTotals(doc: ReturnDocument): Record<string, string | number | null> | null {
  const s = doc.sections.find((x) => x.key === 'summary');
  const values = s && jsonTotals(s).find((t) => !('where' in t))?.values;
  // As a parsed snapshot gives them: keys in canonical order.
  return values ? (JSON.parse(canonicalJson(values)) as Record<string, string | number | null>) : null;
}

/** The document as JSON values (pounds as canonical strings). */
export function toJsonDocument(doc: ReturnDocument) {
  return {
    ...(doc.data ?? {}),
    format: RETURN_FORMAT,
    cover: doc.cover,
    sections: doc.sections.map((s) => ({
      key: s.key,
      title: s.title,
      columns: s.columns.map((c) => ({ key: c.key, header: c.header, type: c.type })),
      rows: s.rows.map((r) => Object.fromEntries(s.columns.map((c) => [c.key, jsonCell(c, r[c.key])]))),
      totals: jsonTotals(s),
    })),
    checks: doc.checks,
  };
}

/**
 * The canonical JSON of `toJsonDocument(doc)` in pieces, the same bytes once joined: a section's
 * rows are written one at a time (no second copy of every row as JSON values, nor a third with
 * sorted keys), so hashing a return never holds its JSON twice over.
 */
export function* canonicalJsonChunks(doc: ReturnDocument): Generator<string> {
  const top: Record<string, unknown> = {
    ...(doc.data ?? {}),
    format: RETURN_FORMAT,
    cover: doc.cover,
    checks: doc.checks,
  };
  const keys = [...Object.keys(top).filter((k) => top[k] !== undefined), 'sections'].sort();
  yield '{';
  let first = true;
  for (const k of keys) {
    yield `${first ? '' : ','}${JSON.stringify(k)}:`;
    first = false;
    if (k !== 'sections') {
      yield canonicalJson(top[k]);
      continue;
    }
    yield '[';
    for (let i = 0; i < doc.sections.length; i++) {
      const s = doc.sections[i];
      const columns = s.columns.map((c) => ({ key: c.key, header: c.header, type: c.type }));
      // Keys sorted as sortKeys sorts them; a repeated key keeps its last column, as Object.fromEntries does.
      const byKey = new Map(s.columns.map((c) => [c.key, c]));
      const keys = [...byKey.keys()].sort();
      // Per column, once: the text before its value ('{"key":' or ',"key":') and its encoder.
      const prefixes = keys.map((key, c) => `${c ? ',' : '{'}${JSON.stringify(key)}:`);
      const encoders = keys.map((key) => cellEncoder(byKey.get(key)!));
      const n = keys.length;
      yield `${i ? ',' : ''}{"columns":${canonicalJson(columns)},"key":${JSON.stringify(s.key)},"rows":[`;
      let text = '';
      for (let j = 0; j < s.rows.length; j++) {
        const r = s.rows[j];
        if (j) text += ',';
        for (let c = 0; c < n; c++) text += prefixes[c] + encoders[c](r[keys[c]]);
        text += n ? '}' : '{}';
        if (text.length >= CHUNK) {
          yield text;
          text = '';
        }
      }
      if (text) yield text;
      yield `],"title":${JSON.stringify(s.title)},"totals":${canonicalJson(jsonTotals(s))}}`;
    }
    yield ']';
  }
  yield '}';
}

/** JSON with keys sorted at every level: the same content always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

export function sha256(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The frozen bytes of a return and their hash (the cover's content hash). */
export function snapshotOf(doc: ReturnDocument): { bytes: string; sha256: string } {
  const hash = createHash('sha256');
  // Appended piece by piece (V8 keeps a rope, flattened once): no array of pieces beside the whole.
  let bytes = '';
  for (const c of canonicalJsonChunks(doc)) {
    hash.update(c, 'utf8');
    bytes += c;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * The frozen JSON is stored in pieces of at least this many characters (in practice one of
 * canonicalJsonChunks' chunks each). Smaller pieces die young in V8's new space; 256K-character
 * pieces went to the large-object space and waited for a full collection (the largest
 * programme's submit: 142–153 MB at 256K, 137–142 MB at 64K, four runs each, alternated).
 */
export const SNAPSHOT_PIECE = 64 * 1024;

/**
 * The frozen JSON of a return in pieces of about SNAPSHOT_PIECE characters, each whole
 * characters (a chunk never ends inside one): joined, they are exactly `snapshotOf(doc).bytes`.
 * Never the whole text at once: a large programme's 10 MB return would be held as 20 MB once
 * one character is past Latin-1 (a source kind named "Local partners’ match funding" is
 * enough), and a driver given 10 MB at once copies it several times over. The pieces are
 * stored as they come (returns/store-version.ts).
 */
export function* snapshotPieces(doc: ReturnDocument): Generator<string> {
  let text = '';
  for (const c of canonicalJsonChunks(doc)) {
    text += c;
    if (text.length >= SNAPSHOT_PIECE) {
      yield text;
      text = '';
    }
  }
  if (text) yield text;
}

/** Only the content hash of a return (an export's cover): its JSON is hashed piece by piece, never held whole. */
export function snapshotHash(doc: ReturnDocument): string {
  const hash = createHash('sha256');
  for (const c of canonicalJsonChunks(doc)) hash.update(c, 'utf8');
  return hash.digest('hex');
}
