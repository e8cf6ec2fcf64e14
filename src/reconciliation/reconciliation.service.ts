import { narrowPence } from '../common/money';
import { exactSum, toBigInt, toInt, toIntOrNull, toBool } from '../database/sql-values';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ForbiddenError, NotFoundError } from '../common/errors';
import { Db } from '../database/db.service';
import { parsePounds } from '../common/money';
import { agreedDeal, type AgreedDeal } from '../changes/agreed.queries';
import { ChangeRequest } from '../changes/change-request.entity';
import { withAgreed } from './engine/moved';
import type { ApprovedChange } from './engine/report';
import { leanQuery } from '../database/lean-read';
import { breakdownSql, groupsOf, type BreakdownRowSql } from './breakdown.queries';
import {
  breakdown,
  parseDimensions,
  reconcile,
  type AllocationGroup,
  type Breakdown,
  type HeadlineInput,
  type PoolRef,
  type ProjectRef,
  type ReconciliationReport,
} from './engine';
import { UnknownDimensionError, type BreakdownGroup } from './engine/breakdown';
import {
  defineDelivered,
  markIllustrativeOutputs,
  OutputTotalsPort,
  totalsOf,
  type Delivered,
} from './output-totals.port';

export { APPROVAL_FILTERS, type ApprovalFilter } from './breakdown.queries';
import type { ApprovalFilter } from './breakdown.queries';

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

/** Dimensions that mean the same thing in every programme (themes and projects are per programme). */
export const NATIONAL_DIMENSIONS = ['sourceKind', 'status', 'year'] as const;

export interface NationalBreakdownResult {
  filters: GroupFilter;
  breakdown: Breakdown;
}

export interface ReconciliationResult {
  programme: ProgrammeRef;
  report: ReconciliationReport;
  /** What the outputs lines count as delivered (outputs/delivered.ts), in words. */
  delivered: { through: string | null; definition: string };
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
  ids?: string;
}

/** SQLite gives 0/1, PostgreSQL true/false; a kind missing from source_kind counts as capital (the column default). */
function capitalFlag(v: GroupRow['capital']): boolean {
  return v === null || v === undefined ? true : toBool(v);
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
      throw new ForbiddenError(
        `approval: only approved allocations are public; sign in to see ${filter.approval === 'all' ? 'drafts as well' : 'drafts'}`,
      );
    }
    // One aggregate at the grain asked (programme found in the same statement), on the lean path.
    return this.db.read(async () => {
      const rows = await leanQuery<BreakdownRowSql>(this.db.ds, breakdownSql(this.db.type, dims, filter), [code]);
      if (!rows.length) throw new NotFoundError('programme', code, 'programme');
      return {
        programme: { code, name: rows[0].pname },
        filters: filter,
        breakdown: breakdown(groupsOf(rows), dims),
      };
    });
  }

  /** The deal's approved figures against its headlines (withdrawn money never counts). */
  reconciliation(code: string): Promise<ReconciliationResult> {
    return this.db.read(async (m) => {
      const prog = await this.programmeRef(m, code);
      const { report, delivered } = await this.reportWithDelivered(m, prog.id);
      return {
        programme: ref(prog),
        report,
        delivered: { through: delivered.through, definition: delivered.definition },
      };
    });
  }

  /**
   * The reconciliation report inside a caller's unit of work (the quarterly return uses it, as
   * at its quarter). Outputs count to the end of the last submitted quarter.
   */
  async report(m: EntityManager, programmeId: number, outputsAsAt?: { asAt?: string; submitting?: boolean }) {
    return (await this.reportWithDelivered(m, programmeId, outputsAsAt)).report;
  }

  private async reportWithDelivered(
    m: EntityManager,
    programmeId: number,
    outputsAsAt?: { asAt?: string; submitting?: boolean },
  ): Promise<{ report: ReconciliationReport; delivered: Delivered }> {
    const groups = await this.groups(m, programmeId, { approval: 'approved', includeWithdrawn: true });
    const headlines = await this.headlines(m, programmeId);
    const { projects, pools } = await this.projects(m, programmeId);
    const delivered = await this.outputs.delivered(m, programmeId, outputsAsAt);
    const changes = await this.approvedChanges(m, programmeId);
    const deal = await agreedDeal(m, programmeId);
    const report = markIllustrativeOutputs(
      reconcile({
        headlines,
        groups,
        projects,
        pools,
        outputs: totalsOf(delivered.byMetric),
        outputsThrough: delivered.through,
        changes,
      }),
      delivered.byMetric,
      headlines,
    );
    return { report: withAgreed(defineDelivered(report, delivered), headlines, groups, deal), delivered };
  }

  /** Approved changes that moved approved money, with their net movement per source kind (recorded at approval). */
  private async approvedChanges(m: EntityManager, programmeId: number): Promise<ApprovedChange[]> {
    const rows = await m.find(ChangeRequest, {
      where: { programmeId, state: 'approved' },
      order: { number: 'ASC' },
      select: ['number', 'kind', 'title', 'after'],
    });
    return rows.flatMap((r) => {
      const envelope = (
        r.after as { envelope?: { sourceKind: string; approvedBefore: string; approvedAfter: string }[] }
      )?.envelope;
      const deltaBySource = Object.fromEntries(
        (envelope ?? [])
          .map((e) => [e.sourceKind, parsePounds(e.approvedAfter) - parsePounds(e.approvedBefore)] as const)
          .filter(([, d]) => d !== 0),
      );
      return Object.keys(deltaBySource).length
        ? [{ number: r.number, kind: r.kind, title: r.title, deltaBySource }]
        : [];
    });
  }

  /**
   * Every programme's allocations by national dimensions (default kind × year): one aggregate
   * query at the grain of those dimensions, then the pure engine. Rows carry no allocation ids
   * (tens of thousands nationally); a programme's own breakdown lists them.
   */
  nationalBreakdown(
    by = 'sourceKind,year',
    filter: GroupFilter = { approval: 'approved', includeWithdrawn: false },
    mayReadDrafts = false,
  ): Promise<NationalBreakdownResult> {
    const dims = parseDimensions(by);
    const bad = dims.find((d) => !(NATIONAL_DIMENSIONS as readonly string[]).includes(d));
    if (bad) throw new UnknownDimensionError(bad, 'unknown', NATIONAL_DIMENSIONS);
    if (filter.approval !== 'approved' && !mayReadDrafts)
      throw new ForbiddenError('approval: only approved allocations are public');
    return this.db.read(async () => {
      // Group only by what the dimensions need; the filter values come from closed lists, so they are literals.
      const cols = [
        ...(dims.includes('sourceKind') ? ['source_kind'] : []),
        ...(dims.includes('status') ? ['commitment_status'] : []),
        ...(dims.includes('year') ? ['period_kind', 'year_from', 'year_to'] : []),
      ];
      const where: string[] = [];
      if (filter.approval !== 'all')
        where.push(`approval_state = '${filter.approval === 'draft' ? 'draft' : 'approved'}'`);
      if (!filter.includeWithdrawn) where.push(`commitment_status <> 'withdrawn'`);
      // The one national aggregate takes the lean read path (no per-call query-runner overhead on SQLite).
      const rows = await leanQuery<Partial<GroupRow>>(
        this.db.ds,
        `SELECT ${cols.map((c) => `${c}, `).join('')}${exactSum('amount_pence')} AS pence FROM allocation
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''}`,
      );
      const groups: BreakdownGroup[] = rows.map((r) => ({
        sourceKind: r.source_kind ?? '',
        commitmentStatus: r.commitment_status ?? '',
        periodKind: r.period_kind ?? 'unprofiled',
        yearFrom: toIntOrNull(r.year_from ?? null, 'year_from'),
        yearTo: toIntOrNull(r.year_to ?? null, 'year_to'),
        themeCode: null,
        projectCode: null,
        poolCode: null,
        capital: true, // not a breakdown dimension
        pence: toBigInt(r.pence, 'sum of amount_pence'),
        allocationIds: [],
      }));
      return { filters: filter, breakdown: breakdown(groups, dims) };
    });
  }

  /**
   * The public reconciliation of given approved allocation groups (the dashboard sums its own,
   * with their illustrative flag): headlines, and outputs delivered to the end of the last
   * submitted quarter, each double claim counted once. Three queries.
   */
  async reportForGroups(
    m: EntityManager,
    programmeId: number,
    input: { groups: readonly AllocationGroup[]; projects: readonly ProjectRef[]; pools: readonly PoolRef[] },
  ): Promise<{ report: ReconciliationReport; headlines: HeadlineInput[]; delivered: Delivered }> {
    return reportOfGroups(input, await this.reportInputs(m, programmeId));
  }

  /** What `reportOfGroups` needs besides the groups: the headlines and the outputs delivered (the reads only). */
  async reportInputs(
    m: EntityManager,
    programmeId: number,
  ): Promise<{ headlines: HeadlineInput[]; delivered: Delivered }> {
    const headlines = await this.headlines(m, programmeId);
    const delivered = await this.outputs.delivered(m, programmeId);
    return { headlines, delivered };
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
    const keys = [
      'a.source_kind',
      'a.commitment_status',
      'a.period_kind',
      'a.year_from',
      'a.year_to',
      theme,
      'p.code',
      'l.code',
      'sk.capital',
    ];
    const sql = `
      SELECT a.source_kind AS source_kind, a.commitment_status AS commitment_status, a.period_kind AS period_kind,
             a.year_from AS year_from, a.year_to AS year_to, ${theme} AS theme_code,
             p.code AS project_code, l.code AS pool_code, sk.capital AS capital,
             ${exactSum('a.amount_pence')} AS pence, ${ids} AS ids
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
      yearFrom: toIntOrNull(r.year_from, 'year_from'),
      yearTo: toIntOrNull(r.year_to, 'year_to'),
      themeCode: r.theme_code,
      projectCode: r.project_code,
      poolCode: r.pool_code,
      capital: capitalFlag(r.capital),
      pence: narrowPence(toBigInt(r.pence, 'sum of amount_pence')),
      allocationIds: String(r.ids)
        .split(',')
        .map((s) => toInt(s, 'allocation id'))
        .sort((a, b) => a - b),
    }));
  }

  /** id, code and name only: the entity layer adds nothing a read-only report needs. */
  private async programmeRef(m: EntityManager, code: string): Promise<{ id: number; code: string; name: string }> {
    const rows: { id: number | string; code: string; name: string }[] = await m.query(
      `SELECT id, code, name FROM programme WHERE code = ${this.db.type === 'postgres' ? '$1' : '?'}`,
      [code],
    );
    if (!rows.length) throw new NotFoundError('programme', code, 'programme');
    return { id: toInt(rows[0].id, 'programme id'), code: rows[0].code, name: rows[0].name };
  }

  private async headlines(m: EntityManager, programmeId: number): Promise<HeadlineInput[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT id, code, measure, label, qualifier, unit, value, "precision", rule, table_name, table_row, table_column, notes,
              source_document, source_section, source_quote, source_printed
         FROM headline_figure WHERE programme_id = ${this.db.type === 'postgres' ? '$1' : '?'} ORDER BY id`,
      [programmeId],
    );
    return rows.map((h) => ({
      id: toInt(h.id as number, 'headline id'),
      code: h.code as string,
      measure: h.measure as string,
      label: h.label as string,
      qualifier: h.qualifier as HeadlineInput['qualifier'],
      unit: h.unit as HeadlineInput['unit'],
      value: toInt(h.value as number, 'headline value'),
      precision: toInt(h.precision as number, 'headline precision'),
      rule: h.rule ? (JSON.parse(h.rule as string) as HeadlineInput['rule']) : {},
      tableName: (h.table_name as string | null) ?? null,
      tableRow: (h.table_row as string | null) ?? null,
      tableColumn: (h.table_column as string | null) ?? null,
      notes: (h.notes as string | null) ?? null,
      source: {
        document: (h.source_document as string | null) ?? null,
        section: (h.source_section as string | null) ?? null,
        quote: (h.source_quote as string | null) ?? null,
        printed: (h.source_printed as string | null) ?? null,
      },
    }));
  }

  /** The projects, and the pools each shares (one query). */
  private async projects(m: EntityManager, programmeId: number): Promise<{ projects: ProjectRef[]; pools: PoolRef[] }> {
    const pg = this.db.type === 'postgres';
    const rows: { code: string; theme_code: string | null; status: string; pool_code: string | null }[] = await m.query(
      `SELECT p.code AS code, t.code AS theme_code, p.status AS status, pl.code AS pool_code
           FROM project p LEFT JOIN theme t ON t.id = p.theme_id
           LEFT JOIN project_pool_member pm ON pm.project_id = p.id
           LEFT JOIN project_pool pl ON pl.id = pm.pool_id
          WHERE p.programme_id = ${pg ? '$1' : '?'} ORDER BY p.code, pl.code`,
      [programmeId],
    );
    const projects = new Map<string, ProjectRef>();
    const pools = new Map<string, string[]>();
    for (const r of rows) {
      if (!projects.has(r.code)) projects.set(r.code, { code: r.code, themeCode: r.theme_code, status: r.status });
      if (r.pool_code !== null) pools.set(r.pool_code, [...(pools.get(r.pool_code) ?? []), r.code]);
    }
    return {
      projects: [...projects.values()],
      pools: [...pools]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([code, members]) => ({ code, projects: members })),
    };
  }
}

function ref(p: ProgrammeRef): ProgrammeRef {
  return { code: p.code, name: p.name };
}

/** Pure: the public reconciliation of given approved allocation groups (ReconciliationService.reportForGroups). */
export function reportOfGroups(
  input: { groups: readonly AllocationGroup[]; projects: readonly ProjectRef[]; pools: readonly PoolRef[] },
  read: { headlines: HeadlineInput[]; delivered: Delivered; deal?: AgreedDeal },
): { report: ReconciliationReport; headlines: HeadlineInput[]; delivered: Delivered } {
  const { headlines, delivered, deal } = read;
  const report = markIllustrativeOutputs(
    reconcile({
      headlines,
      groups: input.groups,
      projects: input.projects,
      pools: input.pools,
      outputs: totalsOf(delivered.byMetric),
      outputsThrough: delivered.through,
    }),
    delivered.byMetric,
    headlines,
  );
  const defined = defineDelivered(report, delivered);
  // With the agreed deal, each allocations line beside it, as `reconciliation` gives it (a page
  // then sets the JSON's agreed figures and words beside each line).
  return { report: deal ? withAgreed(defined, headlines, input.groups, deal) : defined, headlines, delivered };
}
