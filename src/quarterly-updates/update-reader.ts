import { Injectable } from '@nestjs/common';
import { EntityManager, Not } from 'typeorm';
import { Actor } from '../auth/actor';
import { assertProjectScope } from '../auth/scope';
import { addQuarters, formatQuarter, quarterRange } from '../common/fiscal';
import { Allocation } from '../funding/allocation.entity';
import { PeriodsService } from '../periods/periods.service';
import { findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { onlyProgramme } from '../spend/actuals-csv';
import { outturnOf } from '../spend/outturn';
import { SpendAdjustment, SpendProfileLine } from '../spend/spend.entities';
import { QuarterlyUpdate, UpdateDraft } from './quarterly-update.entity';
import { OutputActual, OutputMetric, OutputTarget } from '../outputs/output.entities';
import { Milestone } from '../milestones/milestone.entity';
import { SpendSection, OutputSection, assertEditable } from './update-model';

export type UpdateContext = Awaited<ReturnType<UpdateReader['context']>>;

/**
 * What the update's pages and writes read inside their transaction: the project, the reporting
 * quarter and the update (editable or not), and each section's figures beside the accepted ones.
 */
@Injectable()
export class UpdateReader {
  constructor(private readonly periods: PeriodsService) {}

  programme(m: EntityManager, code?: string): Promise<Programme> {
    return code ? findProgramme(m, code) : onlyProgramme(m);
  }

  async context(m: EntityManager, programmeCode: string | undefined, projectCode: string) {
    const prog = await this.programme(m, programmeCode);
    const project = await findProject(m, prog.id, projectCode);
    const q = await this.periods.currentQuarter(m, prog);
    const quarter = formatQuarter(q);
    const update = await m.findOne(QuarterlyUpdate, { where: { projectId: project.id, quarter } });
    return { prog, project, q, quarter, update };
  }

  /** The context of a draft the actor is about to change: in their scope and still editable. */
  async editableContext(m: EntityManager, programmeCode: string | undefined, projectCode: string, actor: Actor) {
    const c = await this.context(m, programmeCode, projectCode);
    assertProjectScope(actor, c.prog.code, c.project.code);
    assertEditable(c.update?.status ?? 'not_started', c.quarter);
    return c;
  }

  /** The update's figures beside the accepted ones, per source kind. */
  async spendSections(
    m: EntityManager,
    prog: Programme,
    project: Project,
    quarter: string,
    draft: UpdateDraft,
  ): Promise<SpendSection[]> {
    const lines = await m.find(SpendProfileLine, {
      where: { projectId: project.id },
      order: { sourceKind: 'ASC', quarter: 'ASC' },
    });
    const adjustments = await m.find(SpendAdjustment, { where: { projectId: project.id } });
    const allocated = await m.find(Allocation, {
      where: { programmeId: prog.id, projectId: project.id, approvalState: 'approved' },
      select: { id: true, sourceKind: true },
    });
    const kinds = [...new Set([...allocated.map((a) => a.sourceKind), ...lines.map((l) => l.sourceKind)])].sort();
    const remaining = quarterRange(this.periods.checkInProgramme(prog, quarter), this.periods.lastQuarter(prog)).map(
      formatQuarter,
    );
    const previous = formatQuarter(addQuarters(this.periods.checkInProgramme(prog, quarter), -1));
    return kinds.map((kind) => {
      const own = lines.filter((l) => l.sourceKind === kind);
      const at = new Map(own.map((l) => [l.quarter, l]));
      const before = outturnOf(
        previous,
        [previous, previous],
        own,
        adjustments.filter((a) => a.sourceKind === kind),
      );
      const acceptedActual = at.get(quarter)?.actualPence ?? null;
      return {
        sourceKind: kind,
        previousToDatePence: before.spendToDate,
        acceptedActualPence: acceptedActual,
        actualPence: draft.actuals?.[kind] ?? acceptedActual,
        forecasts: remaining.map((rq) => {
          const acceptedPence = at.get(rq)?.forecastPence ?? 0;
          const pence = draft.forecasts?.[`${kind}|${rq}`] ?? acceptedPence;
          return { quarter: rq, acceptedPence, pence, changed: pence !== acceptedPence };
        }),
      };
    });
  }

  /** The project's open and complete milestones with the update's proposals over them. */
  async milestoneRows(m: EntityManager, project: Project, draft: UpdateDraft) {
    const all = await m.find(Milestone, {
      where: { projectId: project.id, status: Not('cancelled' as const) },
      order: { baselineDate: 'ASC', id: 'ASC' },
    });
    return all.map((x) => {
      const p = draft.milestones?.[String(x.id)];
      return {
        id: x.id,
        title: x.title,
        baselineDate: x.baselineDate,
        forecastDate: p ? p.forecastDate : x.forecastDate,
        actualDate: p ? p.actualDate : x.actualDate,
        status: p ? p.status : (x.status as 'open' | 'complete'),
        notes: p ? p.notes : x.notes,
        version: x.version,
        changed: !!p,
      };
    });
  }

  /**
   * Per output metric the project has a target for: target, forecast of the final total (the
   * update's over the accepted one), delivered so far and the update's claims, each with the
   * other projects claiming the same key (a double claim, counted once in programme totals).
   */
  async outputSections(
    m: EntityManager,
    prog: Programme,
    project: Project,
    draft: UpdateDraft,
  ): Promise<OutputSection[]> {
    const targets = await m.find(OutputTarget, { where: { projectId: project.id }, order: { metricCode: 'ASC' } });
    if (!targets.length) return [];
    const metrics = new Map((await m.find(OutputMetric)).map((x) => [x.code, x]));
    const sums: { metric: string; total: unknown }[] = await m
      .createQueryBuilder(OutputActual, 'a')
      .select(['a.metric_code AS metric', 'SUM(a.value) AS total'])
      .where('a.project_id = :p', { p: project.id })
      .groupBy('a.metric_code')
      .getRawMany();
    const delivered = new Map(sums.map((r) => [r.metric, Number(r.total)]));
    const claims = draft.outputs?.claims ?? [];
    const keys = [...new Set(claims.map((c) => c.claimKey))];
    const others = keys.length
      ? await m
          .createQueryBuilder(OutputActual, 'a')
          .innerJoin(Project, 'p', 'p.id = a.project_id')
          .select(['a.metric_code AS metric', 'a.claim_key AS "claimKey"', 'p.code AS project'])
          .where('a.programme_id = :g AND a.project_id <> :p AND a.claim_key IN (:...k)', {
            g: prog.id,
            p: project.id,
            k: keys,
          })
          .getRawMany<{ metric: string; claimKey: string; project: string }>()
      : [];
    return targets
      .filter((g) => metrics.has(g.metricCode))
      .map((g) => {
        const x = metrics.get(g.metricCode)!;
        const proposed = draft.outputs?.forecasts[g.metricCode];
        const forecast = proposed ? proposed.value : g.forecastValue;
        return {
          metric: x.code,
          name: x.name,
          unit: x.unit,
          scale: x.scale,
          target: g.targetValue,
          acceptedForecast: g.forecastValue,
          forecast,
          forecastChanged: forecast !== g.forecastValue,
          planVersion: g.version,
          deliveredToDate: delivered.get(x.code) ?? 0,
          claims: claims
            .filter((c) => c.metric === x.code)
            .map((c) => ({
              ...c,
              sharedWith: [
                ...new Set(
                  others.filter((o) => o.metric === c.metric && o.claimKey === c.claimKey).map((o) => o.project),
                ),
              ].sort(),
            })),
        };
      });
  }
}
