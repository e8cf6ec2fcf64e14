import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ForbiddenError } from '../common/errors';
import { Db } from '../database/db.service';
import { HeadlineFigure } from '../headlines/headline-figure.entity';
import { findProgramme } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import {
  breakdown,
  parseDimensions,
  reconcile,
  type AllocationGroup,
  type Breakdown,
  type HeadlineInput,
  type ProjectRef,
  type ReconciliationReport,
} from './engine';
import { OutputTotalsPort, totalsOf, type DeliveredByMetric } from './output-totals.port';

export const APPROVAL_FILTERS = ['approved', 'draft', 'all'] as const;
export type ApprovalFilter = (typeof APPROVAL_FILTERS)[number];

export interface GroupFilter {
  approval: ApprovalFilter;
  includeWithdrawn: boolean;
}

export interface ProgrammeRef {
  code: string;
  name: string;
}

export interface BreakdownResult {
  programme: ProgrammeRef;
  filters: GroupFilter;
  breakdown: Breakdown;
}

export interface ReconciliationResult {
  programme: ProgrammeRef;
  report: ReconciliationReport;
}

interface GroupRow {
  source_kind: string;
  commitment_status: string;
  period_kind: AllocationGroup['periodKind'];
  year_from: number | string | null;
  year_to: number | string | null;
  theme_code: string | null;
  project_code: string | null;
  pool_code: string | null;
  capital: boolean | number | string | null;
  pence: number | string;
  ids: string;
}

function int(v: number | string, what: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`${what} ${String(v)} is not a safe integer`);
  return n;
}

function intOrNull(v: number | string | null, what: string): number | null {
  return v === null || v === undefined ? null : int(v, what);
}

/** SQLite gives 0/1, PostgreSQL true/false; a kind missing from source_kind counts as capital (the column default). */
function bool(v: GroupRow['capital']): boolean {
  if (v === null || v === undefined) return true;
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
}

/**
 * Feeds the pure engine: one aggregate query for the allocations, one for the headlines,
 * one for the projects. Drafts are not public: only a signed-in caller (or the CLI) may ask.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly db: Db,
    private readonly outputs: OutputTotalsPort,
  ) {}

  breakdown(code: string, by: string, filter: GroupFilter, mayReadDrafts: boolean): Promise<BreakdownResult> {
    // Validate the dimensions before touching the database: a bad `by` is a 400 whatever the code.
    const dims = parseDimensions(by);
    if (filter.approval !== 'approved' && !mayReadDrafts) {
      throw new ForbiddenError(`approval: only approved allocations are public; sign in to see ${filter.approval === 'all' ? 'drafts as well' : 'drafts'}`);
    }
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const groups = await this.groups(m, prog.id, filter);
      return { programme: ref(prog), filters: filter, breakdown: breakdown(groups, dims) };
    });
  }

  /** The deal's approved figures against its headlines (withdrawn money never counts). */
  reconciliation(code: string): Promise<ReconciliationResult> {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const groups = await this.groups(m, prog.id, { approval: 'approved', includeWithdrawn: true });
      const headlines = await this.headlines(m, prog.id);
      const projects = await this.projects(m, prog.id);
      const outputs = await this.outputs.totals(m, prog.id);
      return { programme: ref(prog), report: reconcile({ headlines, groups, projects, outputs }) };
    });
  }

  /**
   * The public reconciliation of given approved allocation groups (the dashboard sums its own,
   * with their illustrative flag): headlines, and outputs delivered in quarters before
   * `outputsBefore` (the submitted ones), each double claim counted once. Three queries.
   */
  async reportForGroups(
    m: EntityManager,
    programmeId: number,
    input: { groups: readonly AllocationGroup[]; projects: readonly ProjectRef[]; outputsBefore?: string },
  ): Promise<{ report: ReconciliationReport; headlines: HeadlineInput[]; delivered: DeliveredByMetric }> {
    const headlines = await this.headlines(m, programmeId);
    const delivered = await this.outputs.delivered(m, programmeId, input.outputsBefore);
    const report = reconcile({ headlines, groups: input.groups, projects: input.projects, outputs: totalsOf(delivered) });
    return { report, headlines, delivered };
  }

  /** Allocations summed at the finest grain the engine needs, in SQL. */
  async groups(m: EntityManager, programmeId: number, filter: GroupFilter): Promise<AllocationGroup[]> {
    const pg = this.db.type === 'postgres';
    const params: unknown[] = [programmeId];
    const p = () => (pg ? `$${params.length}` : '?');
    const where = [`a.programme_id = ${p()}`];
    if (filter.approval !== 'all') {
      params.push(filter.approval);
      where.push(`a.approval_state = ${p()}`);
    }
    if (!filter.includeWithdrawn) where.push(`a.commitment_status <> 'withdrawn'`);
    const theme = 'COALESCE(pt.code, lt.code)';
    const ids = pg ? `string_agg(CAST(a.id AS varchar), ',')` : `GROUP_CONCAT(a.id)`;
    const keys = ['a.source_kind', 'a.commitment_status', 'a.period_kind', 'a.year_from', 'a.year_to', theme, 'p.code', 'l.code', 'sk.capital'];
    const sql = `
      SELECT a.source_kind AS source_kind, a.commitment_status AS commitment_status, a.period_kind AS period_kind,
             a.year_from AS year_from, a.year_to AS year_to, ${theme} AS theme_code,
             p.code AS project_code, l.code AS pool_code, sk.capital AS capital,
             SUM(a.amount_pence) AS pence, ${ids} AS ids
        FROM allocation a
        LEFT JOIN source_kind sk ON sk.code = a.source_kind
        LEFT JOIN project p ON p.id = a.project_id
        LEFT JOIN theme pt ON pt.id = p.theme_id
        LEFT JOIN project_pool l ON l.id = a.pool_id
        LEFT JOIN theme lt ON lt.id = l.theme_id
       WHERE ${where.join(' AND ')}
       GROUP BY ${keys.join(', ')}`;
    const rows: GroupRow[] = await m.query(sql, params);
    return rows.map((r) => ({
      sourceKind: r.source_kind,
      commitmentStatus: r.commitment_status,
      periodKind: r.period_kind,
      yearFrom: intOrNull(r.year_from, 'year_from'),
      yearTo: intOrNull(r.year_to, 'year_to'),
      themeCode: r.theme_code,
      projectCode: r.project_code,
      poolCode: r.pool_code,
      capital: bool(r.capital),
      pence: int(r.pence, 'sum of amount_pence'),
      allocationIds: String(r.ids)
        .split(',')
        .map((s) => int(s, 'allocation id'))
        .sort((a, b) => a - b),
    }));
  }

  private async headlines(m: EntityManager, programmeId: number): Promise<HeadlineInput[]> {
    const hs = await m.find(HeadlineFigure, { where: { programmeId }, order: { id: 'ASC' } });
    return hs.map((h) => ({
      id: h.id,
      code: h.code,
      measure: h.measure,
      label: h.label,
      qualifier: h.qualifier,
      unit: h.unit,
      value: h.value,
      precision: h.precision,
      rule: h.rule ?? {},
      tableName: h.tableName,
      tableRow: h.tableRow,
      tableColumn: h.tableColumn,
      notes: h.notes,
      source: { document: h.source.document, section: h.source.section, quote: h.source.quote, printed: h.source.printed },
    }));
  }

  private async projects(m: EntityManager, programmeId: number): Promise<ProjectRef[]> {
    const pg = this.db.type === 'postgres';
    const rows: { code: string; theme_code: string | null; status: string }[] = await m.query(
      `SELECT p.code AS code, t.code AS theme_code, p.status AS status
         FROM project p LEFT JOIN theme t ON t.id = p.theme_id
        WHERE p.programme_id = ${pg ? '$1' : '?'} ORDER BY p.code`,
      [programmeId],
    );
    return rows.map((r) => ({ code: r.code, themeCode: r.theme_code, status: r.status }));
  }
}

function ref(p: Programme): ProgrammeRef {
  return { code: p.code, name: p.name };
}
