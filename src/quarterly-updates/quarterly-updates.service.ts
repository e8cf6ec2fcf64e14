import { Injectable } from '@nestjs/common';
import { EntityManager, Not } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditRecord, AuditService, collectedRows } from '../audit/audit.service';
import { assertProjectScope, inProjectScope } from '../auth/scope';
import { DomainError, FieldProblem, RuleViolationError, ValidationError } from '../common/errors';
import { addQuarters, formatQuarter, quarterEnd, quarterRange } from '../common/fiscal';
import { formatPounds } from '../common/money';
import { Db } from '../database/db.service';
import { updateVersioned, upsertVersioned } from '../database/versioned';
import { Allocation } from '../funding/allocation.entity';
import { PeriodsService } from '../periods/periods.service';
import { findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { onlyProgramme } from '../spend/actuals-csv';
import { outturnOf } from '../spend/outturn';
import { SpendAdjustment, SpendProfileLine } from '../spend/spend.entities';
import { SpendService } from '../spend/spend.service';
import {
  MilestoneProposal,
  OutputClaimProposal,
  OutputsProposal,
  QuarterlyUpdate,
  UpdateDraft,
  UpdateStatus,
} from './quarterly-update.entity';
import { OutputActual, OutputMetric, OutputTarget } from '../outputs/output.entities';
import { formatQuantity, parseQuantity } from '../outputs/output-units';
import { normaliseClaimKey, OutputsService } from '../outputs/outputs.service';
import { ProjectRisk } from '../risks/risk.entity';
import { presentRisk, RiskInput, RisksService } from '../risks/risks.service';
import { Milestone } from '../milestones/milestone.entity';
import { milestoneDateProblems } from '../milestones/milestone-dates';
import { MilestonesService } from '../milestones/milestones.service';
import { cumulativeSlip, CumulativeReading } from './typing-checks';

export const STATUS_LABELS: Record<UpdateStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  submitted: 'Submitted',
  returned: 'Returned',
  accepted: 'Accepted',
};

/** The spend part of an update form: per source kind, the quarter's actual and every forecast. */
export interface SpendSection {
  sourceKind: string;
  /** Spend to date before the reporting quarter (outturn.ts's one definition). */
  previousToDatePence: number;
  /** The accepted actual for the quarter (null when none) and the update's proposal. */
  acceptedActualPence: number | null;
  actualPence: number | null;
  forecasts: {
    quarter: string;
    acceptedPence: number;
    pence: number;
    changed: boolean;
  }[];
}

export interface SpendInput {
  /** sourceKind → pence for the reporting quarter. */
  actuals: Record<string, number>;
  /** `${sourceKind}|${quarter}` → pence. */
  forecasts: Record<string, number>;
  /** Source kinds whose actual the person chose to read as a total to date. */
  readAsCumulative: string[];
  /** Source kinds whose actual the person confirmed is the quarter's own figure. */
  readAsQuarter: string[];
  version?: number;
}

/** An actual that reads as well as a cumulative total: the form asks which reading is meant. */
export interface CumulativeQuestion extends CumulativeReading {
  sourceKind: string;
  previousToDatePence: number;
  quarterForecastPence: number;
}

const EDITABLE: UpdateStatus[] = ['not_started', 'in_progress', 'returned'];

/** A part of the update that must be finished before it is submitted (outputs, risks). */
export type TaskStatus = 'not_started' | 'in_progress' | 'done';
export const TASK_LABELS: Record<TaskStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
};

/** One output metric the project has a target for, with the update's claims and forecast over it. */
export interface OutputSection {
  metric: string;
  name: string;
  unit: string;
  scale: number;
  target: number | null;
  acceptedForecast: number | null;
  forecast: number | null;
  forecastChanged: boolean;
  planVersion: number | null;
  /** Claims already recorded (every quarter), summed: stored units. */
  deliveredToDate: number;
  claims: (OutputClaimProposal & { sharedWith: string[] })[];
}

/** What the outputs form sends, values in the API's form for the metric's unit (see output-units.ts). */
export interface OutputsInput {
  claims: {
    /** The form's name for the claim's row (`o-JOBS_CREATED-2`), so problems name its boxes. */
    field: string;
    label: string;
    metric: string;
    quarter: string;
    value: unknown;
    claimKey: string;
    evidence: string | null;
  }[];
  /** Metric → forecast in the API form, or null when left blank. */
  forecasts: Record<string, { value: unknown; field: string; label: string } | null>;
  complete: boolean;
}

export function outputsTaskStatus(draft: UpdateDraft, metricCount: number): TaskStatus {
  if (draft.outputs) return draft.outputs.complete ? 'done' : 'in_progress';
  return metricCount === 0 ? 'done' : 'not_started';
}

export function risksTaskStatus(draft: UpdateDraft): TaskStatus {
  if (draft.risks) return draft.risks.reviewed ? 'done' : 'in_progress';
  return 'not_started';
}

/** A domain error about one field as problems (anything else is thrown on). */
function fieldProblems(e: unknown): FieldProblem[] {
  if (e instanceof ValidationError) return e.problems;
  if (e instanceof DomainError && e.status >= 400 && e.status < 500) {
    const field = typeof e.details?.field === 'string' ? e.details.field : 'form';
    const message = e.message.startsWith(`${field}: `) ? e.message.slice(field.length + 2) : e.message;
    return [{ field, problem: message.charAt(0).toUpperCase() + message.slice(1) }];
  }
  throw e;
}

/**
 * Projects' quarterly updates for the programme's reporting quarter: the task list, the draft
 * (figures held on the update until it is accepted), submit, return for revision, accept. On
 * acceptance the figures go through SpendService's own writes (period locks, version checks),
 * in one transaction with one audit entry.
 */
@Injectable()
export class QuarterlyUpdatesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
    private readonly spend: SpendService,
    private readonly milestones: MilestonesService,
    private readonly outputs: OutputsService,
    private readonly risks: RisksService,
  ) {}

  private programme(m: EntityManager, code?: string): Promise<Programme> {
    return code ? findProgramme(m, code) : onlyProgramme(m);
  }

  /**
   * Every project's update status for the reporting quarter, limited to a scoped user's own
   * projects: four queries whatever the number of projects.
   */
  taskList(actor: Actor, programmeCode?: string) {
    return this.db.read(async (m) => {
      const prog = await this.programme(m, programmeCode);
      const quarter = formatQuarter(await this.periods.currentQuarter(m, prog));
      const projects = await m.find(Project, {
        where: { programmeId: prog.id, status: Not('withdrawn' as const) },
        order: { code: 'ASC' },
        select: { id: true, code: true, name: true },
      });
      const updates = await m.find(QuarterlyUpdate, {
        where: { programmeId: prog.id, quarter },
        select: { id: true, projectId: true, status: true, submittedAt: true, returnComment: true },
      });
      const byProject = new Map(updates.map((u) => [u.projectId, u]));
      const rows = projects
        .filter((p) => inProjectScope(actor, prog.code, p.code))
        .map((p) => {
          const u = byProject.get(p.id);
          const status: UpdateStatus = u?.status ?? 'not_started';
          return { code: p.code, name: p.name, status, statusLabel: STATUS_LABELS[status] };
        });
      const counts = Object.fromEntries(
        (Object.keys(STATUS_LABELS) as UpdateStatus[]).map((s) => [s, rows.filter((r) => r.status === s).length]),
      ) as Record<UpdateStatus, number>;
      return { programme: { code: prog.code, name: prog.name }, quarter, rows, counts };
    });
  }

  private async context(m: EntityManager, programmeCode: string | undefined, projectCode: string) {
    const prog = await this.programme(m, programmeCode);
    const project = await findProject(m, prog.id, projectCode);
    const q = await this.periods.currentQuarter(m, prog);
    const quarter = formatQuarter(q);
    const update = await m.findOne(QuarterlyUpdate, { where: { projectId: project.id, quarter } });
    return { prog, project, q, quarter, update };
  }

  /** The context of a draft the actor is about to change: in their scope and still editable. */
  private async editableContext(
    m: EntityManager,
    programmeCode: string | undefined,
    projectCode: string,
    actor: Actor,
  ) {
    const c = await this.context(m, programmeCode, projectCode);
    assertProjectScope(actor, c.prog.code, c.project.code);
    this.assertEditable(c.update?.status ?? 'not_started', c.quarter);
    return c;
  }

  /** The update's figures beside the accepted ones, per source kind. */
  private async spendSections(
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

  /** What a project's update page shows. */
  view(programmeCode: string | undefined, projectCode: string) {
    return this.db.read(async (m) => {
      const { prog, project, quarter, update } = await this.context(m, programmeCode, projectCode);
      const draft = update?.draft ?? {};
      const spend = await this.spendSections(m, prog, project, quarter, draft);
      const milestones = await this.milestoneRows(m, project, draft);
      const outputs = await this.outputSections(m, prog, project, draft);
      const risks = (await this.risks.listIn(m, project.id)).map(presentRisk);
      const status: UpdateStatus = update?.status ?? 'not_started';
      const outputsStatus = outputsTaskStatus(draft, outputs.length);
      const risksStatus = risksTaskStatus(draft);
      return {
        programme: { code: prog.code, name: prog.name },
        project: { code: project.code, name: project.name },
        quarter,
        status,
        statusLabel: STATUS_LABELS[status],
        editable: EDITABLE.includes(status),
        version: update?.version ?? 0,
        spendStarted: !!(draft.actuals || draft.forecasts),
        narrative: draft.narrative ?? '',
        returnComment: update?.returnComment ?? null,
        submittedBy: update?.submittedBy ?? null,
        submittedAt: update?.submittedAt ?? null,
        spend,
        milestones,
        milestonesStarted: Object.keys(draft.milestones ?? {}).length > 0,
        quarterEnd: quarterEnd(this.periods.checkInProgramme(prog, quarter)),
        outputs,
        outputsComplete: draft.outputs?.complete ?? null,
        outputsStatus,
        outputsStatusLabel: TASK_LABELS[outputsStatus],
        risks,
        risksReviewed: draft.risks?.reviewed ?? null,
        risksChanged: draft.risks?.changes ?? 0,
        risksStatus,
        risksStatusLabel: TASK_LABELS[risksStatus],
      };
    });
  }

  /** The project's open and complete milestones with the update's proposals over them. */
  private async milestoneRows(m: EntityManager, project: Project, draft: UpdateDraft) {
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
   * Saves milestone proposals as the draft (only those that differ from the recorded milestone).
   * An actual date after the end of the reporting quarter is refused here as well as in the form.
   */
  saveMilestones(
    programmeCode: string | undefined,
    projectCode: string,
    proposals: Record<string, Omit<MilestoneProposal, 'version'>>,
    version: number | undefined,
    actor: Actor,
  ) {
    return this.db.write(async (m) => {
      const { prog, project, quarter, update } = await this.editableContext(m, programmeCode, projectCode, actor);
      const end = quarterEnd(this.periods.checkInProgramme(prog, quarter));
      const current = new Map((await this.milestoneRows(m, project, {})).map((r) => [String(r.id), r]));
      const problems: { field: string; problem: string }[] = [];
      const kept: Record<string, MilestoneProposal> = { ...(update?.draft.milestones ?? {}) };
      for (const [id, p] of Object.entries(proposals)) {
        const x = current.get(id);
        if (!x) {
          problems.push({ field: 'form', problem: `Milestone ${id} is not one of ${project.code}'s milestones` });
          continue;
        }
        // The API's own check of the dates (inside the programme, actual not after the quarter), named by the form's boxes.
        const changed = {
          forecastDate: p.forecastDate !== x.forecastDate ? p.forecastDate : null,
          actualDate: p.actualDate !== x.actualDate ? p.actualDate : null,
        };
        for (const d of milestoneDateProblems(prog, true, changed, end))
          problems.push({
            field: `m-${id}-${d.field === 'actualDate' ? 'actual' : 'forecast'}`,
            problem: `${d.field === 'actualDate' ? 'The actual' : 'The forecast'} date of “${x.title}”: ${d.problem}`,
          });
        if (p.status === 'complete' && !p.actualDate)
          problems.push({ field: `m-${id}-actual`, problem: `Enter the actual date of “${x.title}”: it is complete` });
        const same =
          p.forecastDate === x.forecastDate &&
          p.actualDate === x.actualDate &&
          p.status === x.status &&
          (p.notes ?? null) === (x.notes ?? null);
        if (same) delete kept[id];
        else kept[id] = { ...p, version: x.version };
      }
      if (problems.length) throw new ValidationError(problems);
      const draft = { ...(update?.draft ?? {}), milestones: kept };
      await this.writeDraft(m, prog, project, quarter, update, draft, version, actor, 'save_milestones');
    });
  }

  /**
   * Per output metric the project has a target for: target, forecast of the final total (the
   * update's over the accepted one), delivered so far and the update's claims, each with the
   * other projects claiming the same key (a double claim, counted once in programme totals).
   */
  private async outputSections(
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

  /**
   * Saves the outputs as the draft: the claims (checked by OutputsService's own rules: unit,
   * quarter open for actuals and within the monitoring end, claim key, not already claimed) and
   * the forecasts of the final totals. Every problem is reported at once, naming its box.
   */
  saveOutputs(
    programmeCode: string | undefined,
    projectCode: string,
    input: OutputsInput,
    version: number | undefined,
    actor: Actor,
  ) {
    return this.db.write(async (m) => {
      const { prog, project, quarter, update } = await this.editableContext(m, programmeCode, projectCode, actor);
      const sections = await this.outputSections(m, prog, project, {});
      const byMetric = new Map(sections.map((s) => [s.metric, s]));
      const metrics = new Map((await m.find(OutputMetric)).map((x) => [x.code, x]));
      const problems: FieldProblem[] = [];
      const claims: OutputClaimProposal[] = [];
      const seen = new Set<string>();
      for (const c of input.claims) {
        if (!byMetric.has(c.metric)) {
          problems.push({ field: 'form', problem: `${project.code} has no target for ${c.metric}` });
          continue;
        }
        try {
          const ok = await this.outputs.checkActualIn(m, prog, project, c.metric, {
            quarter: c.quarter,
            value: c.value,
            claimKey: c.claimKey,
            evidence: c.evidence ?? undefined,
          });
          const key = `${c.metric}|${ok.quarter}|${ok.claimKey}`;
          if (seen.has(key)) {
            problems.push({
              field: `${c.field}-key`,
              problem: `${c.label}: ${ok.claimKey} is claimed twice for ${ok.quarter} in this update`,
            });
            continue;
          }
          seen.add(key);
          claims.push({
            metric: c.metric,
            quarter: ok.quarter,
            value: ok.value,
            claimKey: ok.claimKey,
            evidence: c.evidence,
          });
        } catch (e) {
          if (e instanceof DomainError && e.code === 'DUPLICATE') {
            problems.push({
              field: `${c.field}-key`,
              problem: `${c.label}: ${project.code} has already claimed ${normaliseClaimKey(c.claimKey)} for ${c.quarter}`,
            });
            continue;
          }
          for (const p of fieldProblems(e)) {
            const box = p.field === 'claimKey' ? 'key' : p.field === 'value' || p.field === 'quarter' ? p.field : null;
            problems.push({ field: box ? `${c.field}-${box}` : 'form', problem: `${c.label}: ${p.problem}` });
          }
        }
      }
      const forecasts: OutputsProposal['forecasts'] = {};
      for (const s of sections) {
        const f = input.forecasts[s.metric];
        if (!f) {
          if (input.complete && s.acceptedForecast === null)
            problems.push({
              field: `o-${s.metric}-forecast`,
              problem: `Enter the forecast final total of ${s.name.toLowerCase()}, or say you have not finished`,
            });
          continue;
        }
        const r = parseQuantity(f.value, metrics.get(s.metric)!, f.field);
        if ('problem' in r) problems.push({ field: f.field, problem: `${f.label} ${r.problem.problem}` });
        else if (r.value !== s.acceptedForecast) forecasts[s.metric] = { value: r.value, version: s.planVersion };
      }
      if (problems.length) throw new ValidationError(problems);
      const draft: UpdateDraft = { ...(update?.draft ?? {}), outputs: { claims, forecasts, complete: input.complete } };
      await this.writeDraft(m, prog, project, quarter, update, draft, version, actor, 'save_outputs');
    });
  }

  /** Adds a risk to the project's register from the update (written at once, audited). */
  addRisk(programmeCode: string | undefined, projectCode: string, input: RiskInput, actor: Actor) {
    return this.riskWrite(programmeCode, projectCode, actor, (m, c) =>
      this.risks.createIn(m, c.prog, c.project, input, c.quarter, actor),
    );
  }

  /** Changes one of the project's open risks. */
  editRisk(
    programmeCode: string | undefined,
    projectCode: string,
    id: number,
    input: RiskInput,
    riskVersion: number | undefined,
    actor: Actor,
  ) {
    return this.riskWrite(programmeCode, projectCode, actor, (m, c) =>
      this.risks.updateIn(m, c.prog, c.project, id, input, riskVersion, c.quarter, actor),
    );
  }

  /** Closes one of the project's open risks in the reporting quarter. */
  closeRisk(
    programmeCode: string | undefined,
    projectCode: string,
    id: number,
    riskVersion: number | undefined,
    actor: Actor,
  ) {
    return this.riskWrite(programmeCode, projectCode, actor, (m, c) =>
      this.risks.closeIn(m, c.prog, c.project, id, riskVersion, c.quarter, actor),
    );
  }

  /** Records whether the person has finished reviewing the risk register for this update. */
  reviewRisks(
    programmeCode: string | undefined,
    projectCode: string,
    reviewed: boolean,
    version: number | undefined,
    actor: Actor,
  ) {
    return this.db.write(async (m) => {
      const { prog, project, quarter, update } = await this.editableContext(m, programmeCode, projectCode, actor);
      const before = update?.draft ?? {};
      const draft: UpdateDraft = { ...before, risks: { reviewed, changes: before.risks?.changes ?? 0 } };
      await this.writeDraft(m, prog, project, quarter, update, draft, version, actor, 'review_risks');
    });
  }

  /** A risk write in an editable update, noted on the draft (the risks task is then under way). */
  private riskWrite(
    programmeCode: string | undefined,
    projectCode: string,
    actor: Actor,
    write: (m: EntityManager, c: Awaited<ReturnType<QuarterlyUpdatesService['context']>>) => Promise<ProjectRisk>,
  ) {
    return this.db.write(async (m) => {
      const c = await this.editableContext(m, programmeCode, projectCode, actor);
      const risk = await write(m, c);
      const before = c.update?.draft ?? {};
      const draft: UpdateDraft = {
        ...before,
        risks: { reviewed: before.risks?.reviewed ?? false, changes: (before.risks?.changes ?? 0) + 1 },
      };
      await this.writeDraft(m, c.prog, c.project, c.quarter, c.update, draft, undefined, actor, 'save_risks');
      return presentRisk(risk);
    });
  }

  private assertEditable(status: UpdateStatus, quarter: string) {
    if (!EDITABLE.includes(status))
      throw new RuleViolationError(
        'UPDATE_NOT_EDITABLE',
        status === 'submitted'
          ? `The ${quarter} update has been submitted and is waiting for review: it cannot be changed unless it is returned`
          : `The ${quarter} update has been accepted: it cannot be changed`,
        'form',
      );
  }

  /**
   * Saves the spend figures as the draft. An actual that reads as well as a total to date is
   * not saved until the person says which reading is meant (the questions are returned).
   */
  saveSpend(
    programmeCode: string | undefined,
    projectCode: string,
    input: SpendInput,
    actor: Actor,
  ): Promise<{ saved: boolean; questions: CumulativeQuestion[] }> {
    return this.db.write(async (m) => {
      const { prog, project, quarter, update } = await this.editableContext(m, programmeCode, projectCode, actor);
      const sections = await this.spendSections(m, prog, project, quarter, {});
      const kinds = new Set(sections.map((s) => s.sourceKind));
      const problems = [...Object.keys(input.actuals), ...Object.keys(input.forecasts).map((k) => k.split('|')[0])]
        .filter((k) => !kinds.has(k))
        .map((k) => ({ field: 'form', problem: `${project.code} has no ${k} spend to report` }));
      if (problems.length) throw new ValidationError(problems);
      const actuals: Record<string, number> = {};
      const questions: CumulativeQuestion[] = [];
      for (const s of sections) {
        const typed = input.actuals[s.sourceKind];
        if (typed === undefined) continue;
        const forecastNow =
          input.forecasts[`${s.sourceKind}|${quarter}`] ??
          s.forecasts.find((f) => f.quarter === quarter)!.acceptedPence;
        const slip = cumulativeSlip(typed, s.previousToDatePence, forecastNow);
        if (slip && input.readAsCumulative.includes(s.sourceKind)) actuals[s.sourceKind] = slip.asCumulative;
        else if (slip && !input.readAsQuarter.includes(s.sourceKind)) {
          questions.push({
            sourceKind: s.sourceKind,
            previousToDatePence: s.previousToDatePence,
            quarterForecastPence: forecastNow,
            ...slip,
          });
        } else actuals[s.sourceKind] = typed;
      }
      if (questions.length) return { saved: false, questions };
      const before = update?.draft ?? {};
      // Only forecasts that differ from the accepted ones are held: changing one back drops it.
      const accepted = new Map(
        sections.flatMap((s) => s.forecasts.map((f) => [`${s.sourceKind}|${f.quarter}`, f.acceptedPence])),
      );
      const forecasts = Object.fromEntries(
        Object.entries({ ...(before.forecasts ?? {}), ...input.forecasts }).filter(([k, v]) => accepted.get(k) !== v),
      );
      const draft: UpdateDraft = { ...before, actuals: { ...(before.actuals ?? {}), ...actuals }, forecasts };
      await this.writeDraft(m, prog, project, quarter, update, draft, input.version, actor, 'save_spend');
      return { saved: true, questions: [] };
    });
  }

  /** Saves the narrative as part of the draft. */
  saveNarrative(
    programmeCode: string | undefined,
    projectCode: string,
    narrative: string,
    version: number | undefined,
    actor: Actor,
  ) {
    return this.db.write(async (m) => {
      const { prog, project, quarter, update } = await this.editableContext(m, programmeCode, projectCode, actor);
      if (narrative.length > 10000)
        throw new ValidationError([{ field: 'narrative', problem: 'Narrative must be 10,000 characters or fewer' }]);
      const draft = { ...(update?.draft ?? {}), narrative };
      await this.writeDraft(m, prog, project, quarter, update, draft, version, actor, 'save_narrative');
    });
  }

  private async writeDraft(
    m: EntityManager,
    prog: Programme,
    project: Project,
    quarter: string,
    update: QuarterlyUpdate | null,
    draft: UpdateDraft,
    version: number | undefined,
    actor: Actor,
    action: string,
  ) {
    const now = new Date().toISOString();
    const after = await upsertVersioned(
      m,
      QuarterlyUpdate,
      'quarterly update',
      update,
      version,
      { draft, status: update?.status === 'returned' ? 'returned' : 'in_progress', updatedAt: now },
      { programmeId: prog.id, projectId: project.id, quarter, status: 'in_progress', draft, updatedAt: now },
    );
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      projectId: project.id,
      entity: 'quarterly_update',
      entityId: after.id,
      action,
      before: update ? presentUpdate(update) : null,
      after: presentUpdate(after),
      meta: { quarter },
    });
    return after;
  }

  /** Sends the update for review. */
  submit(programmeCode: string | undefined, projectCode: string, version: number | undefined, actor: Actor) {
    return this.transition(programmeCode, projectCode, version, actor, 'submit', null, async (m, c) => {
      if (!c.update || !EDITABLE.includes(c.update.status))
        throw new RuleViolationError(
          'UPDATE_NOT_READY',
          c.update
            ? `The ${c.quarter} update is ${STATUS_LABELS[c.update.status].toLowerCase()}: only a draft or a returned update can be submitted`
            : `Nothing has been entered for ${c.quarter} yet: save the spend figures first`,
          'form',
        );
      const metrics = await m.count(OutputTarget, { where: { projectId: c.project.id } });
      const missing: FieldProblem[] = [];
      const outputs = outputsTaskStatus(c.update.draft, metrics);
      const risks = risksTaskStatus(c.update.draft);
      if (outputs !== 'done')
        missing.push({
          field: 'outputs',
          problem:
            outputs === 'not_started'
              ? `Enter the outputs for ${c.quarter}: claims and forecasts of the final totals`
              : 'Say you have finished the outputs: the section is in progress',
        });
      if (risks !== 'done')
        missing.push({
          field: 'risks',
          problem:
            risks === 'not_started'
              ? `Review the risk register for ${c.quarter}: add, change or close risks, then say you have finished`
              : 'Say you have finished reviewing the risks: the section is in progress',
        });
      if (missing.length) throw new ValidationError(missing);
      return {
        status: 'submitted' as const,
        submittedBy: actor.name,
        submittedAt: new Date().toISOString(),
        returnComment: null,
      };
    });
  }

  /** Returns a submitted update for revision, with the reviewer's comment. */
  returnForRevision(
    programmeCode: string | undefined,
    projectCode: string,
    comment: string,
    version: number | undefined,
    actor: Actor,
  ) {
    return this.transition(programmeCode, projectCode, version, actor, 'return', null, async (_m, c) => {
      this.assertSubmitted(c.update, c.quarter);
      const text = comment.trim();
      if (!text)
        throw new ValidationError([{ field: 'comment', problem: 'Enter a comment saying what needs to change' }]);
      if (text.length > 2000)
        throw new ValidationError([{ field: 'comment', problem: 'Comment must be 2,000 characters or fewer' }]);
      return {
        status: 'returned' as const,
        returnComment: text,
        decidedBy: actor.name,
        decidedAt: new Date().toISOString(),
      };
    });
  }

  /** Accepts a submitted update: its figures become the project's latest forecasts and actuals. */
  accept(programmeCode: string | undefined, projectCode: string, version: number | undefined, actor: Actor) {
    // Each figure accepted is audited in the acceptance's one entry, before and after.
    const audit = { rows: [] as AuditRecord[] };
    return this.transition(programmeCode, projectCode, version, actor, 'accept', audit, async (m, c) => {
      this.assertSubmitted(c.update, c.quarter);
      await this.periods.hold(m, c.prog.id);
      const lines = new Map(
        (await m.find(SpendProfileLine, { where: { projectId: c.project.id } })).map((l) => [
          `${l.sourceKind}|${l.quarter}`,
          l,
        ]),
      );
      const draft = c.update!.draft;
      const versions = new Map([...lines].map(([k, l]) => [k, l.version]));
      for (const [key, pence] of Object.entries(draft.forecasts ?? {})) {
        const [sourceKind, quarter] = key.split('|');
        const line = lines.get(key);
        if ((line?.forecastPence ?? 0) === pence) continue;
        const r = await this.spend.setForecastIn(
          m,
          c.prog,
          c.project,
          { sourceKind, quarter, forecast: formatPounds(pence), version: versions.get(key) },
          actor,
          audit,
        );
        versions.set(key, r.version);
      }
      for (const [sourceKind, pence] of Object.entries(draft.actuals ?? {})) {
        const key = `${sourceKind}|${c.quarter}`;
        if (lines.get(key)?.actualPence === pence) continue;
        await this.spend.setActualIn(
          m,
          c.prog,
          c.project,
          { sourceKind, quarter: c.quarter, actual: formatPounds(pence), version: versions.get(key) },
          actor,
          audit,
        );
      }
      for (const [id, p] of Object.entries(draft.milestones ?? {}))
        await this.milestones.updateIn(
          m,
          c.prog,
          Number(id),
          {
            version: p.version,
            forecastDate: p.forecastDate,
            actualDate: p.actualDate,
            status: p.status,
            notes: p.notes ?? undefined,
          },
          actor,
          audit,
        );
      if (draft.outputs) {
        const metrics = new Map((await m.find(OutputMetric)).map((x) => [x.code, x]));
        for (const cl of draft.outputs.claims)
          await this.outputs.addActualIn(
            m,
            c.prog,
            c.project,
            cl.metric,
            {
              quarter: cl.quarter,
              value: formatQuantity(cl.value, metrics.get(cl.metric)!),
              claimKey: cl.claimKey,
              evidence: cl.evidence ?? undefined,
            },
            actor,
            audit,
          );
        for (const [metric, f] of Object.entries(draft.outputs.forecasts)) {
          const plan = await m.findOne(OutputTarget, { where: { projectId: c.project.id, metricCode: metric } });
          if (plan?.forecastValue === f.value) continue;
          await this.outputs.setPlanIn(
            m,
            c.prog,
            c.project,
            metric,
            { forecast: formatQuantity(f.value, metrics.get(metric)!), version: f.version ?? undefined },
            actor,
            audit,
          );
        }
      }
      return { status: 'accepted' as const, decidedBy: actor.name, decidedAt: new Date().toISOString() };
    });
  }

  private assertSubmitted(update: QuarterlyUpdate | null, quarter: string) {
    if (update?.status !== 'submitted')
      throw new RuleViolationError(
        'UPDATE_NOT_SUBMITTED',
        `The ${quarter} update is ${STATUS_LABELS[update?.status ?? 'not_started'].toLowerCase()}: only a submitted update can be reviewed`,
        'form',
      );
  }

  private transition(
    programmeCode: string | undefined,
    projectCode: string,
    version: number | undefined,
    actor: Actor,
    action: string,
    applied: { rows: AuditRecord[] } | null,
    change: (
      m: EntityManager,
      c: Awaited<ReturnType<QuarterlyUpdatesService['context']>>,
    ) => Promise<Partial<QuarterlyUpdate>>,
  ) {
    return this.db.write(async (m) => {
      const c = await this.context(m, programmeCode, projectCode);
      assertProjectScope(actor, c.prog.code, c.project.code);
      const changes = await change(m, c);
      const u = c.update!;
      const rows = applied ? collectedRows(applied.rows) : null;
      const after = await updateVersioned(m, QuarterlyUpdate, 'quarterly update', u.id, version ?? u.version, {
        ...changes,
        updatedAt: new Date().toISOString(),
      });
      await this.audit.record(m, actor, {
        programmeId: c.prog.id,
        projectId: c.project.id,
        entity: 'quarterly_update',
        entityId: u.id,
        action,
        // An acceptance also holds each figure it applied, before and after.
        before: { ...presentUpdate(u), ...(rows ? { applied: rows.before } : {}) },
        after: { ...presentUpdate(after), ...(rows ? { applied: rows.after } : {}) },
        meta: { quarter: c.quarter },
      });
      return { status: after.status, quarter: c.quarter };
    });
  }

  /** Updates waiting for the actor: returned ones (to fix) and submitted ones (to review), in one query each. */
  async waiting(actor: Actor) {
    const wantReturned = ['delivery_partner', 'programme_manager', 'admin'].includes(actor.role);
    const wantSubmitted = ['programme_manager', 'admin'].includes(actor.role);
    if (!wantReturned && !wantSubmitted) return { returned: [], submitted: [] };
    return this.db.read(async (m) => {
      const rows: { status: string; project: string; programme: string; quarter: string }[] = await m
        .getRepository(QuarterlyUpdate)
        .createQueryBuilder('u')
        .innerJoin(Project, 'p', 'p.id = u.project_id')
        .innerJoin(Programme, 'g', 'g.id = u.programme_id')
        .select(['u.status AS status', 'p.code AS project', 'g.code AS programme', 'u.quarter AS quarter'])
        .where('u.status IN (:...s)', {
          s: [...(wantReturned ? ['returned'] : []), ...(wantSubmitted ? ['submitted'] : [])],
        })
        .orderBy('p.code', 'ASC')
        .getRawMany();
      const mine = rows.filter((r) => inProjectScope(actor, r.programme, r.project));
      return {
        returned: mine.filter((r) => r.status === 'returned'),
        submitted: mine.filter((r) => r.status === 'submitted'),
      };
    });
  }
}

/** An update as the audit trail keeps it: its state, who moved it and when, and its draft. */
function presentUpdate(u: QuarterlyUpdate) {
  return {
    status: u.status,
    ...presentDraft(u.draft),
    submittedBy: u.submittedBy,
    submittedAt: u.submittedAt,
    decidedBy: u.decidedBy,
    decidedAt: u.decidedAt,
    returnComment: u.returnComment,
    version: u.version,
  };
}

/** A draft as the audit trail shows it: pounds, not pence. */
function presentDraft(d: UpdateDraft) {
  return {
    actuals: Object.fromEntries(Object.entries(d.actuals ?? {}).map(([k, v]) => [k, formatPounds(v)])),
    forecasts: Object.fromEntries(Object.entries(d.forecasts ?? {}).map(([k, v]) => [k, formatPounds(v)])),
    ...(d.narrative !== undefined ? { narrative: d.narrative } : {}),
    ...(d.milestones ? { milestones: d.milestones } : {}),
    ...(d.outputs ? { outputs: d.outputs } : {}),
    ...(d.risks ? { risksReviewed: d.risks.reviewed } : {}),
  };
}
