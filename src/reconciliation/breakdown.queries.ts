import { exactSum, toBigInt, toInt, toIntOrNull } from '../database/sql-values';
import type { AllocationGroup, Dimension } from './engine';
import type { BreakdownGroup } from './engine/breakdown';

/**
 * The breakdown's one aggregate, grouped only by what the asked dimensions need and joining
 * only the tables they read: `by=sourceKind,year` groups a national-size programme's
 * allocations into a few dozen rows (grouping by every dimension gave 800 and the engine
 * re-added them). The programme is found in the same statement, so a call is one round trip;
 * the filter values come from closed lists and are literals, so the text is one of a few
 * fixed statements (prepared once per connection by `leanQuery`).
 */

/** Which allocations a breakdown counts (a light module: the command line's options read it). */
export const APPROVAL_FILTERS = ['approved', 'draft', 'all'] as const;
export type ApprovalFilter = (typeof APPROVAL_FILTERS)[number];

export interface BreakdownFilterSql {
  approval: ApprovalFilter;
  includeWithdrawn: boolean;
}

/** One row per group; `pid` and `pname` repeat the programme's, and a programme without allocations gives one row with null `pence`. */
export interface BreakdownRowSql {
  pid: number | string;
  pname: string;
  source_kind?: string;
  commitment_status?: string;
  period_kind?: AllocationGroup['periodKind'];
  year_from?: number | string | null;
  year_to?: number | string | null;
  theme_code?: string | null;
  project_code?: string | null;
  pool_code?: string | null;
  pence: number | string | null;
  ids: string | null;
}

const COLUMNS: Record<Dimension, string[]> = {
  sourceKind: ['a.source_kind'],
  status: ['a.commitment_status'],
  year: ['a.period_kind', 'a.year_from', 'a.year_to'],
  theme: ['COALESCE(pt.code, lt.code)'],
  project: ['p.code', 'l.code'],
};
const ALIASES: Record<string, string> = {
  'COALESCE(pt.code, lt.code)': 'theme_code',
  'p.code': 'project_code',
  'l.code': 'pool_code',
};

const statements = new Map<string, string>();

/** The statement for these dimensions and filters (built once per combination: there are a few hundred at most). */
export function breakdownSql(kind: 'sqlite' | 'postgres', dims: readonly Dimension[], f: BreakdownFilterSql): string {
  const key = `${kind}|${dims.join(',')}|${f.approval}|${f.includeWithdrawn}`;
  let sql = statements.get(key);
  if (sql === undefined) statements.set(key, (sql = buildSql(kind, dims, f)));
  return sql;
}

function buildSql(kind: 'sqlite' | 'postgres', dims: readonly Dimension[], f: BreakdownFilterSql): string {
  const cols = dims.flatMap((d) => COLUMNS[d]);
  const on = ['a.programme_id = g.id'];
  if (f.approval !== 'all') on.push(`a.approval_state = '${f.approval === 'draft' ? 'draft' : 'approved'}'`);
  if (!f.includeWithdrawn) on.push(`a.commitment_status <> 'withdrawn'`);
  const joins: string[] = [];
  const needTheme = dims.includes('theme');
  if (needTheme || dims.includes('project'))
    joins.push('LEFT JOIN project p ON p.id = a.project_id', 'LEFT JOIN project_pool l ON l.id = a.pool_id');
  if (needTheme) joins.push('LEFT JOIN theme pt ON pt.id = p.theme_id', 'LEFT JOIN theme lt ON lt.id = l.theme_id');
  const ids = kind === 'postgres' ? `string_agg(CAST(a.id AS varchar), ',')` : 'GROUP_CONCAT(a.id)';
  const select = cols.map((c) => `${c} AS ${ALIASES[c] ?? c.slice(2)}`);
  return `SELECT g.id AS pid, g.name AS pname, ${select.map((s) => `${s}, `).join('')}${exactSum('a.amount_pence')} AS pence, ${ids} AS ids
  FROM programme g LEFT JOIN allocation a ON ${on.join(' AND ')} ${joins.join(' ')}
 WHERE g.code = ${kind === 'postgres' ? '$1' : '?'}
 GROUP BY g.id, g.name${cols.map((c) => `, ${c}`).join('')}`;
}

/** Rows to the engine's groups; the dimensions not grouped by stay empty (the engine never reads them). */
export function groupsOf(rows: readonly BreakdownRowSql[]): BreakdownGroup[] {
  const out: BreakdownGroup[] = [];
  for (const r of rows) {
    if (r.pence === null) continue; // the programme exists but nothing matched
    const ids = r.ids === null ? [] : String(r.ids).split(',');
    out.push({
      sourceKind: r.source_kind ?? '',
      commitmentStatus: r.commitment_status ?? '',
      periodKind: r.period_kind ?? 'unprofiled',
      yearFrom: toIntOrNull(r.year_from, 'year_from'),
      yearTo: toIntOrNull(r.year_to, 'year_to'),
      themeCode: r.theme_code ?? null,
      projectCode: r.project_code ?? null,
      poolCode: r.pool_code ?? null,
      capital: true, // not a breakdown dimension
      pence: toBigInt(r.pence, 'sum of amount_pence'),
      allocationIds: ids.map((s) => toInt(s, 'allocation id')),
    });
  }
  return out;
}
