import { narrowPence, sumMoney } from '../common/money';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ValidationError } from '../common/errors';
import { Db } from '../database/db.service';
import { toInt, toIntOrNull } from '../database/sql-values';
import { updateVersioned } from '../database/versioned';
import { formatQuantity } from '../outputs/output-units';
import { PeriodsService } from '../periods/periods.service';
import { findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { addQuarters, formatQuarter, parseQuarter } from '../common/fiscal';
import { claimSums } from '../outputs/output-totals';
import { lastSubmittedReturn } from '../spend/outturn';
import { reportingPosition } from '../periods/reporting-position';
import { ReportingPosition, spendAggregates } from '../spend/spend-aggregates';
import { YearSplit, yearSplitFromSnapshot } from './last-return-split';
import {
  combine,
  financeRag,
  milestoneRag,
  outputRag,
  overallRag,
  RagResult,
  RagThresholds,
  thresholdProblems,
  thresholdsOf,
  type MilestoneInput,
} from './rag';
import { RagOverrideDto, RagThresholdsDto } from './rag.dto';

@Injectable()
export class RagService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
  ) {}

  /** Finance, milestone, output and overall RAG for every project (a few grouped queries). */
  async compute(m: EntityManager, prog: Programme, only?: Project) {
    return ragOf(await this.read(m, prog, only));
  }

  /**
   * The rows the RAG is computed from, as lean rows (no entities): read inside the caller's unit
   * of work, computed by `ragOf` after it. `milestones`, when given, are rows the caller has
   * already read (the overview reads the programme's milestones once for all its sections).
   */
  async read(
    m: EntityManager,
    prog: Programme,
    only?: Project,
    pre?: { milestones?: readonly RagMilestoneRow[] },
  ): Promise<RagInputs> {
    const t = thresholdsOf(prog.ragThresholds);
    const pos = await reportingPosition(m, this.periods, prog);
    const projects: RagProjectRow[] = only ? [only] : await projectRows(m, prog.id);
    // The spend lines are named by the projects just read (no separate code lookups).
    const codes = new Map(projects.map((p) => [p.id, p.code]));
    const aggs = await spendAggregates(m, prog, pos, codes, only?.id);
    // Explicit order: "worst" names the first of the equally bad items, which must not depend on
    // the rows' physical order (a restored PostgreSQL database scans them in another order).
    const milestones = pre?.milestones
      ? pre.milestones.filter((x) => !only || x.projectId === only.id).sort((a, b) => a.id - b.id)
      : await milestoneRows(m, only ? { projectId: only.id } : { programmeId: prog.id });
    const targets = await targetRows(m, only ? { projectId: only.id } : { programmeId: prog.id });
    const metrics = await metricScales(m);
    const submitted = await submittedReturns(m, prog, pos);
    const last = lastSubmittedSplit(submitted.before, pos);
    // Only read claims when some target needs them (the overview's query count stays small).
    const delivered = targets.length ? await deliveredTo(m, prog, submitted.lastQuarter) : new Map<string, number>();
    return { endsOn: prog.endsOn, thresholds: t, pos, projects, aggs, milestones, targets, metrics, last, delivered };
  }

  programme(code: string) {
    return this.db.read(async (m) => this.compute(m, await findProgramme(m, code)));
  }

  project(code: string, projectCode: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const r = await this.compute(m, prog, await findProject(m, prog.id, projectCode));
      return {
        reportingQuarter: r.reportingQuarter,
        reportingQuarterEnd: r.reportingQuarterEnd,
        thresholds: r.thresholds,
        ...r.projects[0],
      };
    });
  }

  /** Overrides the overall RAG with a written reason (rag null clears it); audited. */
  override(code: string, projectCode: string, dto: RagOverrideDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const before = await findProject(m, prog.id, projectCode);
      if (dto.rag && !dto.reason?.trim())
        throw new ValidationError([{ field: 'reason', problem: 'an override needs a written reason' }]);
      const after = await updateVersioned(m, Project, 'project', before.id, dto.version, {
        ragOverride: dto.rag,
        ragOverrideReason: dto.rag ? dto.reason!.trim() : null,
      });
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        projectId: before.id,
        entity: 'project',
        entityId: before.id,
        action: dto.rag ? 'rag_override' : 'rag_override_cleared',
        before: {
          ragOverride: before.ragOverride,
          ragOverrideReason: before.ragOverrideReason,
          version: before.version,
        },
        after: { ragOverride: after.ragOverride, ragOverrideReason: after.ragOverrideReason, version: after.version },
      });
      const r = await this.compute(m, prog, after);
      return r.projects[0];
    });
  }

  thresholds(code: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      return { thresholds: thresholdsOf(prog.ragThresholds), stored: prog.ragThresholds, version: prog.version };
    });
  }

  setThresholds(code: string, dto: RagThresholdsDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const { version, ...given } = dto;
      const next: RagThresholds = { ...thresholdsOf(prog.ragThresholds), ...(given as Partial<RagThresholds>) };
      const problems = thresholdProblems(next);
      if (problems.length) throw new ValidationError(problems);
      const after = await updateVersioned(m, Programme, 'programme', prog.id, version, {
        ragThresholds: next as unknown as Record<string, number>,
      });
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'programme',
        entityId: prog.id,
        action: 'set_rag_thresholds',
        before: thresholdsOf(prog.ragThresholds),
        after: next,
      });
      return { thresholds: next, stored: after.ragThresholds, version: after.version };
    });
  }
}

/** A project as the RAG needs it (a lean row; the entity where one project is asked for). */
export interface RagProjectRow {
  id: number;
  code: string;
  name?: string;
  status: Project['status'];
  version: number;
  ragOverride: Project['ragOverride'];
  ragOverrideReason: string | null;
}

/** A milestone as the RAG needs it. */
export interface RagMilestoneRow {
  id: number;
  projectId: number | null;
  title: string;
  status: string;
  baselineDate: string | null;
  forecastDate: string | null;
  actualDate: string | null;
}

export interface RagTargetRow {
  projectId: number | null;
  metricCode: string;
  targetValue: number | null;
  forecastValue: number | null;
}

/** Everything the RAG is computed from, read by RagService.read. */
export interface RagInputs {
  endsOn: string;
  thresholds: RagThresholds;
  pos: ReportingPosition;
  projects: RagProjectRow[];
  aggs: Awaited<ReturnType<typeof spendAggregates>>;
  milestones: RagMilestoneRow[];
  targets: RagTargetRow[];
  metrics: Map<string, { unit: string; scale: number }>;
  last: ReturnType<typeof lastSubmittedSplit>;
  delivered: Map<string, number>;
}

/** Pure: each project's finance, milestone, output and overall RAG from the rows read. */
export function ragOf(input: RagInputs) {
  const { thresholds: t, pos, projects, aggs, milestones, targets, metrics, last, delivered } = input;
  const prog = { endsOn: input.endsOn };
  // Each project's lines, milestones and targets by id: one pass each, not a scan per project.
  const linesOf = groupByProject(aggs);
  const milestonesOf = groupByProject(milestones);
  const targetsOf = groupByProject(targets);
  return {
    reportingQuarter: pos.quarterCode,
    reportingQuarterEnd: pos.quarterEnd,
    thresholds: t,
    projects: projects.map((p) => {
      const lines = linesOf.get(p.id) ?? [];
      // Per line: the year's allocation where it is profiled by year, otherwise its baseline profile for the year.
      const basisPence = narrowPence(
        sumMoney(lines.map((l) => (l.yearProfiled ? l.allocationYearPence : l.baselineYearPence))),
      );
      const yearForecastPence = lines.reduce((s, l) => s + l.forecastYearPence + l.adjustmentsYearPence, 0);
      const split = last.split?.get(p.code);
      const finance = financeRag(
        {
          year: pos.year,
          lines: lines.map((l) => ({
            sourceKind: l.sourceKind,
            allocationPence: l.allocationPence,
            outturnPence: l.forecastProgrammePence + l.adjustmentsPence,
          })),
          yearForecastPence,
          yearBasisPence: basisPence,
          basis: lines.length && lines.every((l) => l.yearProfiled) ? 'allocation' : 'baseline',
          slippage: !last.split
            ? { reason: last.reason }
            : {
                lastQuarter: last.quarter!,
                lastYearPence: split?.yearPence ?? 0,
                lastLaterPence: split?.laterPence ?? 0,
                nowYearPence: yearForecastPence,
                nowLaterPence: lines.reduce((s, l) => s + l.forecastLaterPence, 0),
              },
        },
        t,
      );
      const ms = combine(
        'milestones',
        (milestonesOf.get(p.id) ?? []).map((x) => {
          const r = milestoneRag(
            {
              baselineDate: x.baselineDate,
              forecastDate: x.forecastDate,
              actualDate: x.actualDate,
              reportingQuarterEnd: pos.quarterEnd,
              status: x.status as MilestoneInput['status'],
              commitment: x.projectId === null,
            },
            t,
          );
          return { ...r, explanation: `${x.title}: ${r.explanation}` };
        }),
      );
      const outs = combine(
        'outputs',
        (targetsOf.get(p.id) ?? []).map((g) =>
          outputRag(
            {
              metric: g.metricCode,
              forecast: g.forecastValue,
              target: g.targetValue,
              delivered: delivered.get(`${p.id}|${g.metricCode}`) ?? 0,
              // Project targets are for the whole programme period: due at its end (the deal's "by 2021").
              dueDate: prog.endsOn,
              asOf: pos.quarterEnd,
              display: (v) => formatQuantity(v, metrics.get(g.metricCode)!),
            },
            t,
          ),
        ),
      );
      return {
        project: p.code,
        finance,
        milestones: ms,
        outputs: outs,
        overall: overallRag(
          { finance, milestones: ms, outputs: outs },
          { rag: p.ragOverride, reason: p.ragOverrideReason },
          p.status,
        ),
        version: p.version,
      };
    }),
  };
}

export type { RagResult };

/**
 * The last submitted return as at the reporting quarter (spend/outturn.ts, the one definition)
 * and the return slippage compares with: that one, or at the programme's close (the reporting
 * quarter itself submitted) the one before it. One query unless that happens.
 */
async function submittedReturns(m: EntityManager, prog: Programme, pos: ReportingPosition) {
  const last = await lastSubmittedReturn(m, prog.id, pos.quarterCode, { snapshot: true });
  const before =
    last && last.quarter === pos.quarterCode
      ? await lastSubmittedReturn(m, prog.id, formatQuarter(addQuarters(pos.quarter, -1)), { snapshot: true })
      : last;
  return { lastQuarter: last?.quarter ?? null, before };
}

/** The return before the reporting quarter, read as each project's spend for the reporting year and later years. */
export function lastSubmittedSplit(
  rv: { snapshot: string; quarter: string; version: number } | null,
  pos: ReportingPosition,
): { quarter: string | null; split: Map<string, YearSplit> | null; reason: string } {
  if (!rv)
    return {
      quarter: null,
      split: null,
      reason: `no return before ${pos.quarterCode} has been submitted: no slippage to measure yet`,
    };
  const split = yearSplitFromSnapshot(rv.snapshot, rv.quarter, pos.yearFrom, pos.yearTo);
  return {
    quarter: rv.quarter,
    split,
    reason: split ? '' : `the ${rv.quarter} return (version ${rv.version}) holds no finance rows to compare with`,
  };
}

/**
 * Delivered outputs per project × metric: claims up to the end of the last submitted quarter
 * (DESIGN.md: delivered, shown as a fact, excludes the unsubmitted reporting quarter).
 */
async function deliveredTo(
  m: EntityManager,
  prog: Programme,
  lastQuarter: string | null,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!lastQuarter) return out;
  const before = formatQuarter(addQuarters(parseQuarter(lastQuarter), 1));
  for (const r of await claimSums(m, prog.id, before)) {
    const k = `${r.projectId}|${r.metric}`;
    out.set(k, (out.get(k) ?? 0) + r.value);
  }
  return out;
}

function groupByProject<T extends { projectId: number | null }>(rows: readonly T[]): Map<number | null, T[]> {
  const out = new Map<number | null, T[]>();
  for (const r of rows) {
    const list = out.get(r.projectId);
    if (list) list.push(r);
    else out.set(r.projectId, [r]);
  }
  return out;
}

type Where = { programmeId: number } | { projectId: number };
const whereOf = (alias: string, w: Where) =>
  'projectId' in w
    ? { sql: `${alias}.project_id = :id`, params: { id: w.projectId } }
    : { sql: `${alias}.programme_id = :id`, params: { id: w.programmeId } };

/** A programme's projects as lean rows, by code. */
async function projectRows(m: EntityManager, programmeId: number): Promise<RagProjectRow[]> {
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('project', 'p')
    .select(['p.id AS id', 'p.code AS code', 'p.name AS name', 'p.status AS status', 'p.version AS version'])
    .addSelect(['p.rag_override AS rag_override', 'p.rag_override_reason AS rag_override_reason'])
    .where('p.programme_id = :id', { id: programmeId })
    .orderBy('p.code', 'ASC')
    .getRawMany();
  return rows.map((r) => ({
    id: toInt(r.id),
    code: String(r.code),
    name: String(r.name),
    status: r.status as Project['status'],
    version: toInt(r.version),
    ragOverride: (r.rag_override as Project['ragOverride']) ?? null,
    ragOverrideReason: (r.rag_override_reason as string | null) ?? null,
  }));
}

/** Milestones as lean rows, by id. */
export async function milestoneRows(m: EntityManager, w: Where): Promise<RagMilestoneRow[]> {
  const { sql, params } = whereOf('x', w);
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('milestone', 'x')
    .select(['x.id AS id', 'x.project_id AS project_id', 'x.title AS title', 'x.status AS status'])
    .addSelect(['x.baseline_date AS baseline_date', 'x.forecast_date AS forecast_date', 'x.actual_date AS actual_date'])
    .where(sql, params)
    .orderBy('x.id', 'ASC')
    .getRawMany();
  return rows.map((r) => ({
    id: toInt(r.id),
    projectId: toIntOrNull(r.project_id),
    title: String(r.title),
    status: String(r.status),
    baselineDate: (r.baseline_date as string | null) ?? null,
    forecastDate: (r.forecast_date as string | null) ?? null,
    actualDate: (r.actual_date as string | null) ?? null,
  }));
}

/** Output targets as lean rows, by id. */
async function targetRows(m: EntityManager, w: Where): Promise<RagTargetRow[]> {
  const { sql, params } = whereOf('g', w);
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('output_target', 'g')
    .select(['g.project_id AS project_id', 'g.metric_code AS metric_code'])
    .addSelect(['g.target_value AS target_value', 'g.forecast_value AS forecast_value'])
    .where(sql, params)
    .orderBy('g.id', 'ASC')
    .getRawMany();
  return rows.map((r) => ({
    projectId: toIntOrNull(r.project_id),
    metricCode: String(r.metric_code),
    targetValue: toIntOrNull(r.target_value),
    forecastValue: toIntOrNull(r.forecast_value),
  }));
}

/** Each metric's unit and scale (to show quantities). */
async function metricScales(m: EntityManager): Promise<Map<string, { unit: string; scale: number }>> {
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('output_metric', 'x')
    .select(['x.code AS code', 'x.unit AS unit', 'x.scale AS scale'])
    .getRawMany();
  return new Map(rows.map((x) => [String(x.code), { unit: String(x.unit), scale: toInt(x.scale) }]));
}
