import { exactSum, toBigInt, toBool, toInt, toIntOrNull } from '../database/sql-values';
import { narrowPence } from '../common/money';
import { EntityManager } from 'typeorm';
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
  const qb = m
    .createQueryBuilder()
    .from('allocation', 'a')
    .innerJoin('source_kind', 'sk', 'sk.code = a.source_kind')
    .leftJoin('project', 'p', 'p.id = a.project_id')
    .leftJoin('theme', 'tp', 'tp.id = p.theme_id')
    .leftJoin('project_pool', 'pl', 'pl.id = a.pool_id')
    .leftJoin('theme', 'tpl', 'tpl.id = pl.theme_id')
    .select('a.source_kind', 'source_kind')
    .addSelect('a.commitment_status', 'commitment_status')
    .addSelect('a.period_kind', 'period_kind')
    .addSelect('a.year_from', 'year_from')
    .addSelect('a.year_to', 'year_to')
    .addSelect('p.code', 'project_code')
    .addSelect('pl.code', 'pool_code')
    .addSelect('COALESCE(tp.code, tpl.code)', 'theme_code')
    .addSelect('sk.capital', 'capital')
    .addSelect('a.source_illustrative', 'illustrative')
    .addSelect(exactSum('a.amount_pence'), 'pence')
    .addSelect(idList(kind), 'ids')
    .where('a.programme_id = :programmeId', { programmeId })
    .andWhere("a.approval_state = 'approved'");
  if (projectId !== undefined) {
    qb.andWhere(
      '(a.project_id = :projectId OR a.pool_id IN (SELECT pm.pool_id FROM project_pool_member pm WHERE pm.project_id = :projectId))',
      { projectId },
    );
  }
  qb.groupBy('a.source_kind')
    .addGroupBy('a.commitment_status')
    .addGroupBy('a.period_kind')
    .addGroupBy('a.year_from')
    .addGroupBy('a.year_to')
    .addGroupBy('p.code')
    .addGroupBy('pl.code')
    .addGroupBy('tp.code')
    .addGroupBy('tpl.code')
    .addGroupBy('sk.capital')
    .addGroupBy('a.source_illustrative');
  const rows: Record<string, unknown>[] = await qb.getRawMany();
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
  const qb = m
    .createQueryBuilder()
    .from('project', 'p')
    .leftJoin('theme', 't', 't.id = p.theme_id')
    .leftJoin('organisation', 'o', 'o.id = p.lead_organisation_id')
    .select([
      'p.id AS id',
      'p.code AS code',
      'p.name AS name',
      'p.description AS description',
      'p.location AS location',
      'p.status AS status',
    ])
    .addSelect(['t.code AS theme_code', 't.name AS theme_name', 't.position AS theme_position', 'o.name AS lead_name'])
    .addSelect(sourceColumns('p'))
    .where('p.programme_id = :programmeId', { programmeId })
    .orderBy('t.position', 'ASC')
    .addOrderBy('p.code', 'ASC');
  if (code !== undefined) qb.andWhere('p.code = :code', { code });
  const rows: Record<string, unknown>[] = await qb.getRawMany();
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
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('project_pool', 'pl')
    .leftJoin('theme', 't', 't.id = pl.theme_id')
    .leftJoin('project_pool_member', 'pm', 'pm.pool_id = pl.id')
    .leftJoin('project', 'p', 'p.id = pm.project_id')
    .select([
      'pl.code AS code',
      'pl.name AS name',
      't.code AS theme_code',
      'p.code AS project_code',
      'p.name AS project_name',
    ])
    .addSelect(sourceColumns('pl'))
    .where('pl.programme_id = :programmeId', { programmeId })
    .orderBy('pl.code', 'ASC')
    .addOrderBy('p.code', 'ASC')
    .getRawMany();
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
