import { exactSum, toBigInt, toBool } from '../database/sql-values';
import { narrowPence, type Money } from '../common/money';
import type { EntityManager } from 'typeorm';
import { outturnSql } from '../spend/outturn';

/**
 * The national return's one aggregate, per batch of projects: every programme's projects in
 * (programme code, project code) order, a keyset page at a time, each project × source kind
 * summed in SQL (allocation, spend in the quarter, to date and the programme forecast as at the
 * quarter, prior-period adjustments recorded up to it). Never one query per project, never
 * every row at once.
 */
export type DbKind = 'sqlite' | 'postgres';

/** Columns of a finance row, in pence (money) and text. */
export interface NationalRow {
  programme: string;
  project: string;
  sourceKind: string;
  /** SQL sums read exactly: a bigint only past 2^53 pence. */
  allocation: Money;
  baselineInQuarter: Money;
  forecastInQuarter: Money;
  actualInQuarter: Money;
  actualToDate: Money;
  forecastProgramme: Money;
  /** The row belongs to a synthetic programme (generated for scale testing). */
  synthetic: boolean;
  /** One of the row's spend lines is illustrative demo data. */
  spendIllustrative: boolean;
}

/** $n placeholders for PostgreSQL; SQLite's numbered ?n (each may be used more than once). */
const ph = (kind: DbKind, sql: string) => (kind === 'postgres' ? sql : sql.replace(/\$(\d+)/g, '?$1'));

/**
 * One table's rows of the page's projects, summed per project × source kind, reading the
 * covering index in (project, source kind) order.
 * SQLite: the page's ids lead a CROSS JOIN, which fixes the join order (otherwise SQLite scans
 * the whole index once per page). For the spend lines (70 per project) the ids come as an IN
 * list over project's rowid, which SQLite walks in order, so the groups arrive one after another
 * and are summed as they stream; joined to the page in its code order they went through a
 * temporary B-tree, a quarter of the statement's time. (The small tables keep the plain join:
 * given the IN list, SQLite picks a worse index for allocations.)
 * PostgreSQL: a LATERAL aggregate per project; as a plain join the page's spend rows were
 * sorted together, spilling to disk at the default work_mem.
 */
function perProject(kind: DbKind, from: string, alias: string, sums: string, where = '', many = false): string {
  if (kind === 'sqlite' && many) {
    return `SELECT b_${alias}.id AS project_id, ${alias}.source_kind, ${sums}
         FROM project b_${alias} CROSS JOIN ${from} ${alias}
        WHERE b_${alias}.id IN (SELECT id FROM batch) AND ${alias}.project_id = b_${alias}.id ${where}
        GROUP BY b_${alias}.id, ${alias}.source_kind`;
  }
  if (kind === 'sqlite') {
    return `SELECT ${alias}.project_id, ${alias}.source_kind, ${sums}
         FROM batch b_${alias} CROSS JOIN ${from} ${alias} WHERE ${alias}.project_id = b_${alias}.id ${where}
        GROUP BY ${alias}.project_id, ${alias}.source_kind`;
  }
  return `SELECT b_${alias}.id AS project_id, x_${alias}.*
         FROM batch b_${alias} CROSS JOIN LATERAL (
           SELECT ${alias}.source_kind, ${sums} FROM ${from} ${alias}
            WHERE ${alias}.project_id = b_${alias}.id ${where} GROUP BY ${alias}.source_kind) x_${alias}`;
}

/**
 * One statement: $1 quarter, $2/$3 the last (programme, project) codes read ('' to start), $4
 * page size.
 */
export function nationalBatchSql(kind: DbKind): string {
  const truth = kind === 'postgres' ? 'true' : '1';
  const sp = perProject(
    kind,
    'spend_profile',
    's',
    `${exactSum('CASE WHEN s.quarter = $1 THEN s.baseline_pence ELSE 0 END')} AS baseline_q,
              ${exactSum('CASE WHEN s.quarter = $1 THEN s.forecast_pence ELSE 0 END')} AS forecast_q,
              ${exactSum(outturnSql.actualInQuarter('s', '$1'))} AS actual_q,
              ${exactSum(outturnSql.actualToDate('s', '$1'))} AS actual_to_date,
              ${exactSum(outturnSql.forecast('s', '$1'))} AS forecast_programme,
              MAX(CASE WHEN s.illustrative = ${truth} THEN 1 ELSE 0 END) AS ill`,
    '',
    true,
  );
  const al = perProject(
    kind,
    'allocation',
    'a',
    `${exactSum('a.amount_pence')} AS allocation`,
    "AND a.approval_state = 'approved' AND a.commitment_status <> 'withdrawn'",
  );
  const adj = perProject(
    kind,
    'spend_adjustment',
    'j',
    `${exactSum('j.amount_pence')} AS to_date, ${exactSum(outturnSql.adjustmentInQuarter('j', '$1'))} AS in_quarter`,
    'AND j.recorded_in_quarter <= $1',
  );
  return ph(
    kind,
    `WITH batch AS (
       SELECT p.id, g.code AS programme, p.code AS project, g.synthetic
         FROM project p JOIN programme g ON g.id = p.programme_id
        WHERE g.code > $2 OR (g.code = $2 AND p.code > $3)
        ORDER BY g.code, p.code LIMIT $4),
     sp AS (${sp}),
     al AS (${al}),
     adj AS (${adj}),
     k AS (SELECT project_id, source_kind FROM sp UNION SELECT project_id, source_kind FROM al UNION SELECT project_id, source_kind FROM adj)
     SELECT b.programme, b.project, b.synthetic, k.source_kind, al.allocation, sp.baseline_q, sp.forecast_q, sp.actual_q, sp.actual_to_date,
            sp.forecast_programme, sp.ill, adj.to_date AS adj_to_date, adj.in_quarter AS adj_q
       FROM batch b
       LEFT JOIN k ON k.project_id = b.id
       LEFT JOIN sp ON sp.project_id = k.project_id AND sp.source_kind = k.source_kind
       LEFT JOIN al ON al.project_id = k.project_id AND al.source_kind = k.source_kind
       LEFT JOIN adj ON adj.project_id = k.project_id AND adj.source_kind = k.source_kind
      ORDER BY b.programme, b.project, k.source_kind`,
  );
}

/** Raw batch rows → finance rows; projects with nothing to report (no allocation, profile or adjustment) give no row. */
export function toNationalRows(raw: Record<string, unknown>[]): {
  rows: NationalRow[];
  projects: number;
  last: [string, string] | null;
} {
  const rows: NationalRow[] = [];
  let projects = 0;
  let lastProject = '';
  let last: [string, string] | null = null;
  for (const r of raw) {
    const key = `${r.programme as string}\u0000${r.project as string}`;
    if (key !== lastProject) {
      projects++;
      lastProject = key;
      last = [r.programme as string, r.project as string];
    }
    if (r.source_kind === null || r.source_kind === undefined) continue;
    const sum = (v: unknown) => toBigInt(v);
    const adjToDate = sum(r.adj_to_date);
    rows.push({
      programme: r.programme as string,
      project: r.project as string,
      sourceKind: r.source_kind as string,
      allocation: narrowPence(sum(r.allocation)),
      baselineInQuarter: narrowPence(sum(r.baseline_q)),
      forecastInQuarter: narrowPence(sum(r.forecast_q)),
      actualInQuarter: narrowPence(sum(r.actual_q) + sum(r.adj_q)),
      actualToDate: narrowPence(sum(r.actual_to_date) + adjToDate),
      forecastProgramme: narrowPence(sum(r.forecast_programme) + adjToDate),
      synthetic: toBool(r.synthetic),
      spendIllustrative: toBool(r.ill),
    });
  }
  return { rows, projects, last };
}

/**
 * Pages of finance rows, one statement each. The next page is asked for before the current one
 * is handed over, so the database (SQLite's worker thread, or the PostgreSQL server) computes
 * it while the caller writes: one read ahead, never more.
 */
export async function* nationalRowPages(
  m: EntityManager,
  kind: DbKind,
  quarter: string,
  pageSize: number,
): AsyncGenerator<NationalRow[]> {
  const sql = nationalBatchSql(kind);
  const fetch = async (after: [string, string]) =>
    toNationalRows(await m.query(sql, [quarter, after[0], after[1], pageSize]));
  let next = fetch(['', '']);
  try {
    for (;;) {
      const page = await next;
      const more = page.projects === pageSize && page.last !== null;
      if (more) next = fetch(page.last!);
      if (page.rows.length) yield page.rows;
      if (!more) return;
    }
  } finally {
    // A consumer that stops early must not leave the read-ahead's failure unhandled.
    next.catch(() => undefined);
  }
}

export interface ProgrammeInfoRow {
  code: string;
  name: string;
  synthetic: boolean;
}

export async function programmeList(m: EntityManager): Promise<ProgrammeInfoRow[]> {
  const rows: Record<string, unknown>[] = await m.query('SELECT code, name, synthetic FROM programme ORDER BY code');
  return rows.map((r) => ({ code: r.code as string, name: r.name as string, synthetic: toBool(r.synthetic) }));
}

export async function sourceKindList(m: EntityManager): Promise<{ code: string; label: string }[]> {
  return m.query('SELECT code, label FROM source_kind ORDER BY position, code');
}
