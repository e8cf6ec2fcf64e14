import { narrowPence, sumMoney } from '../common/money';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ValidationError } from '../common/errors';
import { Db } from '../database/db.service';
import { updateVersioned } from '../database/versioned';
import { Milestone } from '../milestones/milestone.entity';
import { OutputMetric, OutputTarget } from '../outputs/output.entities';
import { formatQuantity } from '../outputs/output-units';
import { PeriodsService } from '../periods/periods.service';
import { codeMaps, findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { addQuarters, formatQuarter, parseQuarter } from '../common/fiscal';
import { claimSums } from '../outputs/output-totals';
import { lastSubmittedReturn } from '../spend/outturn';
import { ReturnVersion } from '../periods/return-version.entity';
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
    const t = thresholdsOf(prog.ragThresholds);
    const pos = await reportingPosition(m, this.periods, prog);
    const codes = (await codeMaps(m, prog.id)).project;
    const projects = only ? [only] : await m.find(Project, { where: { programmeId: prog.id }, order: { code: 'ASC' } });
    const aggs = await spendAggregates(m, prog, pos, codes, only?.id);
    // Explicit order: "worst" names the first of the equally bad items, which must not depend on
    // the rows' physical order (a restored PostgreSQL database scans them in another order).
    const milestones = await m.find(Milestone, {
      where: only ? { projectId: only.id } : { programmeId: prog.id },
      order: { id: 'ASC' },
    });
    const targets = await m.find(OutputTarget, {
      where: only ? { projectId: only.id } : { programmeId: prog.id },
      order: { id: 'ASC' },
    });
    const metrics = new Map((await m.find(OutputMetric)).map((x) => [x.code, x]));
    const submitted = await submittedReturns(m, prog, pos);
    const last = lastSubmittedSplit(submitted.before, pos);
    // Only read claims when some target needs them (the overview's query count stays small).
    const delivered = targets.length ? await deliveredTo(m, prog, submitted.lastQuarter) : new Map<string, number>();
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
                status: x.status,
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

export type { RagResult };

/**
 * The last submitted return as at the reporting quarter (spend/outturn.ts, the one definition)
 * and the return slippage compares with: that one, or at the programme's close (the reporting
 * quarter itself submitted) the one before it. One query unless that happens.
 */
async function submittedReturns(m: EntityManager, prog: Programme, pos: ReportingPosition) {
  const last = await lastSubmittedReturn(m, prog.id, pos.quarterCode);
  const before =
    last && last.quarter === pos.quarterCode
      ? await lastSubmittedReturn(m, prog.id, formatQuarter(addQuarters(pos.quarter, -1)))
      : last;
  return { lastQuarter: last?.quarter ?? null, before };
}

/** The return before the reporting quarter, read as each project's spend for the reporting year and later years. */
function lastSubmittedSplit(
  rv: ReturnVersion | null,
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
