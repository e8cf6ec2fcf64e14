import { exactSum, toBigInt, toBool, toInt, toIntOrNull } from '../database/sql-values';
import { narrowPence } from '../common/money';
import { EntityManager } from 'typeorm';
import { leanQuery } from '../database/lean-read';
import { Provenance } from '../common/provenance';
import type { AllocationGroup } from '../reconciliation/engine';

/**
 * The few aggregate queries the public pages render from. None of them runs per project:
 * each returns every row it needs in one statement, so the page costs the same number of
 * queries for 8 projects or 6,000. Only approved allocations are public: drafts never appear.
 */

export type DbKind = 'sqlite' | 'postgres';

/** One row per finest grain of approved allocations, with the theme of its project or pool. */
export interface PublicGroup extends AllocationGroup {
  illustrative: boolean;
}

function idList(kind: DbKind): string {
  return kind === 'postgres' ? `string_agg(CAST(a.id AS varchar), ',')` : `group_concat(a.id)`;
}

/**
 * Approved allocations summed by every dimension the engine needs. `projectId` narrows to
 * one project's own allocations plus the pools it belongs to (for its page).
 */
export async function approvedGroups(
  m: EntityManager,
  kind: DbKind,
  programmeId: number,
  projectId?: number,
): Promise<PublicGroup[]> {
  const pg = kind === 'postgres';
  const p = (n: number) => (pg ? `$${n}` : `?${n}`);
  const one =
    projectId === undefined
      ? ''
      : ` AND (a.project_id = ${p(2)} OR a.pool_id IN (SELECT pm.pool_id FROM project_pool_member pm WHERE pm.project_id = ${p(2)}))`;
  // The lean path (a named prepared statement on PostgreSQL, no query builder): the hottest public read.
  // Ordered: the page's per-project sums keep the groups' order, which a GROUP BY alone leaves to the plan.
  const sql = `SELECT a.source_kind AS source_kind, a.commitment_status AS commitment_status, a.period_kind AS period_kind,
         a.year_from AS year_from, a.year_to AS year_to, p.code AS project_code, pl.code AS pool_code,
         COALESCE(tp.code, tpl.code) AS theme_code, sk.capital AS capital, a.source_illustrative AS illustrative,
         ${exactSum('a.amount_pence')} AS pence, ${idList(kind)} AS ids
    FROM allocation a INNER JOIN source_kind sk ON sk.code = a.source_kind
    LEFT JOIN project p ON p.id = a.project_id LEFT JOIN theme tp ON tp.id = p.theme_id
    LEFT JOIN project_pool pl ON pl.id = a.pool_id LEFT JOIN theme tpl ON tpl.id = pl.theme_id
   WHERE a.programme_id = ${p(1)} AND a.approval_state = 'approved'${one}
   GROUP BY a.source_kind, a.commitment_status, a.period_kind, a.year_from, a.year_to, p.code, pl.code, tp.code, tpl.code,
         sk.capital, a.source_illustrative
   ORDER BY a.source_kind, a.commitment_status, a.period_kind, a.year_from, a.year_to, p.code, pl.code, tp.code, tpl.code,
         sk.capital, a.source_illustrative`;
  const rows = await leanQuery(m.connection, sql, projectId === undefined ? [programmeId] : [programmeId, projectId]);
  return rows.map((r) => ({
    sourceKind: String(r.source_kind),
    commitmentStatus: String(r.commitment_status),
    periodKind: r.period_kind as AllocationGroup['periodKind'],
    yearFrom: toIntOrNull(r.year_from),
    yearTo: toIntOrNull(r.year_to),
    themeCode: (r.theme_code as string | null) ?? null,
    projectCode: (r.project_code as string | null) ?? null,
    poolCode: (r.pool_code as string | null) ?? null,
    capital: toBool(r.capital),
    illustrative: toBool(r.illustrative),
    pence: narrowPence(toBigInt(r.pence)),
    allocationIds: String(r.ids ?? '')
      .split(',')
      .filter((s) => s !== '')
      .map(Number)
      .sort((x, y) => x - y),
  }));
}

/** Numbered placeholders for the lean path: $n on PostgreSQL, ?n on SQLite. */
function placeholder(m: EntityManager): (n: number) => string {
  return m.connection.options.type === 'postgres' ? (n) => `$${n}` : (n) => `?${n}`;
}

/** A table's provenance columns in a raw select, read back by `sourceOf`. */
function sourceColumns(alias: string): string[] {
  const a = alias;
  return [
    `${a}.source_document AS sd`,
    `${a}.source_section AS ss`,
    `${a}.source_quote AS sq`,
    `${a}.source_printed AS sp`,
    `${a}.source_illustrative AS si`,
  ];
}

function sourceOf(r: Record<string, unknown>) {
  return {
    document: (r.sd as string) ?? null,
    section: (r.ss as string) ?? null,
    quote: (r.sq as string) ?? null,
    printed: (r.sp as string) ?? null,
    illustrative: toBool(r.si),
  };
}

export interface ProjectRow {
  id: number;
  code: string;
  name: string;
  description: string | null;
  location: string | null;
  status: string;
  themeCode: string | null;
  themeName: string | null;
  leadName: string | null;
  source: Omit<Provenance, 'illustrative'> & { illustrative: boolean };
}

/** Projects with their theme and lead body, in one query (one project when `code` is given). */
export async function projectRows(m: EntityManager, programmeId: number, code?: string): Promise<ProjectRow[]> {
  const p = placeholder(m);
  const sql = `SELECT p.id AS id, p.code AS code, p.name AS name, p.description AS description, p.location AS location,
         p.status AS status, t.code AS theme_code, t.name AS theme_name, t.position AS theme_position, o.name AS lead_name,
         ${sourceColumns('p').join(', ')}
    FROM project p LEFT JOIN theme t ON t.id = p.theme_id LEFT JOIN organisation o ON o.id = p.lead_organisation_id
   WHERE p.programme_id = ${p(1)}${code === undefined ? '' : ` AND p.code = ${p(2)}`}
   ORDER BY t.position ASC, p.code ASC`;
  const rows = await leanQuery(m.connection, sql, code === undefined ? [programmeId] : [programmeId, code]);
  return rows.map((r) => ({
    id: toInt(r.id),
    code: String(r.code),
    name: String(r.name),
    description: (r.description as string | null) ?? null,
    location: (r.location as string | null) ?? null,
    status: String(r.status),
    themeCode: (r.theme_code as string | null) ?? null,
    themeName: (r.theme_name as string | null) ?? null,
    leadName: (r.lead_name as string | null) ?? null,
    source: sourceOf(r),
  }));
}

export interface PoolRow {
  code: string;
  name: string;
  themeCode: string | null;
  members: { code: string; name: string }[];
  source: { document: string | null; section: string | null; quote: string | null };
}

/** Pools and their member projects in one query. */
export async function poolRows(m: EntityManager, programmeId: number): Promise<PoolRow[]> {
  const p = placeholder(m);
  const rows = await leanQuery(
    m.connection,
    `SELECT pl.code AS code, pl.name AS name, t.code AS theme_code, p.code AS project_code, p.name AS project_name,
            ${sourceColumns('pl').join(', ')}
       FROM project_pool pl LEFT JOIN theme t ON t.id = pl.theme_id
       LEFT JOIN project_pool_member pm ON pm.pool_id = pl.id LEFT JOIN project p ON p.id = pm.project_id
      WHERE pl.programme_id = ${p(1)} ORDER BY pl.code ASC, p.code ASC`,
    [programmeId],
  );
  const out = new Map<string, PoolRow>();
  for (const r of rows) {
    const code = String(r.code);
    let pool = out.get(code);
    if (!pool) {
      const { document, section, quote } = sourceOf(r);
      pool = {
        code,
        name: String(r.name),
        themeCode: (r.theme_code as string) ?? null,
        members: [],
        source: { document, section, quote },
      };
      out.set(code, pool);
    }
    if (r.project_code) pool.members.push({ code: String(r.project_code), name: String(r.project_name) });
  }
  return [...out.values()];
}

export interface AllocationDetail {
  sourceKind: string;
  poolCode: string | null;
  periodKind: string;
  yearFrom: number | null;
  yearTo: number | null;
  pence: number;
  commitmentStatus: string;
  description: string | null;
  source: {
    document: string | null;
    section: string | null;
    quote: string | null;
    printed: string | null;
    illustrative: boolean;
  };
}

/** One project's approved allocations (and its pools'), each with its provenance: one query. */
export async function projectAllocations(
  m: EntityManager,
  programmeId: number,
  projectId: number,
): Promise<AllocationDetail[]> {
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('allocation', 'a')
    .leftJoin('project_pool', 'pl', 'pl.id = a.pool_id')
    .select([
      'a.source_kind AS source_kind',
      'pl.code AS pool_code',
      'a.period_kind AS period_kind',
      'a.year_from AS year_from',
      'a.year_to AS year_to',
      'a.amount_pence AS pence',
    ])
    .addSelect(['a.commitment_status AS commitment_status', 'a.description AS description', ...sourceColumns('a')])
    .where('a.programme_id = :programmeId', { programmeId })
    .andWhere("a.approval_state = 'approved'")
    .andWhere(
      '(a.project_id = :projectId OR a.pool_id IN (SELECT pm.pool_id FROM project_pool_member pm WHERE pm.project_id = :projectId))',
      { projectId },
    )
    .orderBy('a.id', 'ASC')
    .getRawMany();
  return rows.map((r) => ({
    sourceKind: String(r.source_kind),
    poolCode: (r.pool_code as string) ?? null,
    periodKind: String(r.period_kind),
    yearFrom: toIntOrNull(r.year_from),
    yearTo: toIntOrNull(r.year_to),
    pence: toInt(r.pence),
    commitmentStatus: String(r.commitment_status),
    description: (r.description as string) ?? null,
    source: sourceOf(r),
  }));
}
