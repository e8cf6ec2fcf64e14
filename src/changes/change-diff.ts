import { displayPounds, parsePoundsExact } from '../common/money';

/**
 * Pure: an approved change's before and after (as its kind recorded them) as readable rows,
 * one per changed field of each thing it touched: "allocation 12 (LICHFIELD, LGF, 2016-17)",
 * "amount", "£4,000,000.00", "£4,200,000.00". For the return's Change requests sheet, which
 * must not show JSON.
 */
export interface ChangeDiffRow {
  item: string;
  field: string;
  before: string;
  after: string;
}

type Fields = Map<string, string>;
type Items = Map<string, { label: string; fields: Fields }>;

/** Keys whose two-place strings are pounds. */
const MONEY_KEY = /amount|baseline|total|allocated|spent|released|delta|headroom/i;
/** Fields that name what an item is (shown in its label, not as a change unless they change). */
const CONTEXT_KEYS = ['project', 'pool', 'sourceKind', 'metric', 'period', 'quarter', 'title'];
/** Book-keeping, not content. */
const SKIP_KEYS = new Set(['id', 'version']);
const SINGULAR: Record<string, string> = {
  allocations: 'allocation',
  milestones: 'milestone',
  targets: 'target',
  quarters: 'quarter',
  headroom: 'headroom',
  spent: 'spent',
  baseline: 'baseline',
};

const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(key: string, v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string' && MONEY_KEY.test(key) && /^[+-]?\d+\.\d{2}$/.test(v))
    return displayPounds(parsePoundsExact(v.replace(/^\+/, '')));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v as string | number);
}

/** An array element's identity: its id, else the values that name it (project, metric, quarter...). */
function identity(el: Record<string, unknown>, index: number): string {
  if (el.id !== undefined && el.id !== null) return String(el.id as string | number);
  const named = ['code', ...CONTEXT_KEYS].filter((k) => typeof el[k] === 'string' || typeof el[k] === 'number');
  return named.length ? named.map((k) => String(el[k] as string)).join(' ') : String(index + 1);
}

/** Flattens an object's fields: nested objects as "a b", nested arrays by their elements' identity. */
function fieldsOf(o: Record<string, unknown>, prefix: string, into: Fields): void {
  for (const [k, v] of Object.entries(o)) {
    if (SKIP_KEYS.has(k)) continue;
    const name = prefix ? `${prefix} ${words(k)}` : words(k);
    if (Array.isArray(v)) {
      v.forEach((el, i) => {
        if (isObject(el)) fieldsOf(el, `${name} ${identity(el, i)}`, into);
        else into.set(`${name} ${i + 1}`, show(k, el));
      });
    } else if (isObject(v)) fieldsOf(v, name, into);
    else into.set(name, show(k, v));
  }
}

/** "allocation 12 (LICHFIELD, LGF, 2016-17)": an item with an id names its context too. */
function label(kind: string, el: Record<string, unknown>, id: string | null): string {
  const context =
    id === null || el.id !== undefined ? CONTEXT_KEYS.map((k) => el[k]).filter((v) => typeof v === 'string') : [];
  return `${kind}${id === null ? '' : ` ${id}`}${context.length ? ` (${context.join(', ')})` : ''}`;
}

function itemsOf(side: unknown): Items {
  const items: Items = new Map();
  if (!isObject(side)) {
    if (side !== null && side !== undefined)
      items.set('', { label: 'value', fields: new Map([['value', show('', side)]]) });
    return items;
  }
  for (const [k, v] of Object.entries(side)) {
    // A null side of a thing (a project before it was added) means it did not exist.
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      v.forEach((el, i) => {
        const kind = SINGULAR[k] ?? words(k);
        if (!isObject(el)) {
          items.set(`${k}:${i}`, { label: `${kind} ${i + 1}`, fields: new Map([['value', show(k, el)]]) });
          return;
        }
        const id = identity(el, i);
        const fields: Fields = new Map();
        fieldsOf(el, '', fields);
        items.set(`${k}:${id}`, { label: el.id !== undefined ? label(kind, el, id) : `${kind} ${id}`, fields });
      });
    } else if (isObject(v)) {
      const fields: Fields = new Map();
      fieldsOf(v, '', fields);
      const id = typeof v.code === 'string' ? v.code : null;
      fields.delete('code');
      items.set(k, { label: label(words(k), v, id), fields });
    } else {
      items.set(k, { label: words(k), fields: new Map([['value', show(k, v)]]) });
    }
  }
  return items;
}

/** Rows for every field that differs, and every field of a thing that exists on one side only. */
export function changeDiffRows(before: unknown, after: unknown): ChangeDiffRow[] {
  const b = itemsOf(before);
  const a = itemsOf(after);
  const rows: ChangeDiffRow[] = [];
  for (const key of [...new Set([...b.keys(), ...a.keys()])]) {
    const x = b.get(key);
    const y = a.get(key);
    const item = (y ?? x)!.label;
    const fields = [...new Set([...(x?.fields.keys() ?? []), ...(y?.fields.keys() ?? [])])];
    // A record that carries its own before and after ("baseline before", "baseline after"): one row per pair.
    const one = x ?? y!;
    const pairs =
      x && y ? [] : fields.filter((f) => f.endsWith(' before') && one.fields.has(`${f.slice(0, -7)} after`));
    if (pairs.length) {
      for (const f of pairs) {
        const stem = f.slice(0, -7);
        rows.push({ item, field: stem, before: one.fields.get(f)!, after: one.fields.get(`${stem} after`)! });
      }
      continue;
    }
    for (const f of fields) {
      const bv = x ? (x.fields.get(f) ?? '') : '(did not exist)';
      const av = y ? (y.fields.get(f) ?? '') : '(not in the after state)';
      if (x && y && bv === av) continue;
      rows.push({ item, field: f, before: bv, after: av });
    }
  }
  return rows;
}
