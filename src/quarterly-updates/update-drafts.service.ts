import { PeriodsService } from '../periods/periods.service';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { FieldProblem, ValidationError } from '../common/errors';
import { quarterEnd } from '../common/fiscal';
import { Db } from '../database/db.service';
import { upsertVersioned } from '../database/versioned';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { MilestoneProposal, OutputsProposal, QuarterlyUpdate, UpdateDraft } from './quarterly-update.entity';
import { OutputMetric } from '../outputs/output.entities';
import { parseQuantity } from '../outputs/output-units';
import { OutputsService } from '../outputs/outputs.service';
import { ProjectRisk } from '../risks/risk.entity';
import { presentRisk, RiskInput, RisksService } from '../risks/risks.service';
import { milestoneDateProblems } from '../milestones/milestone-dates';
import { checkDraftClaims, ClaimOutcome } from './draft-claims';
import { cumulativeSlip } from './typing-checks';
import { SpendInput, CumulativeQuestion, OutputsInput, presentUpdate } from './update-model';
import { UpdateReader, UpdateContext } from './update-reader';

/**
 * The draft of a project's quarterly update: spend, milestones, outputs, narrative and the risk
 * register, each checked by the features' own rules and held on the update (figures reach the
 * spend profile and milestones only when it is accepted). Every save is audited, before and after.
 */
@Injectable()
export class UpdateDraftsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
    private readonly reader: UpdateReader,
    private readonly outputs: OutputsService,
    private readonly risks: RisksService,
  ) {}

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
    return this.inDraft(programmeCode, projectCode, actor, async (m, { prog, project, quarter, update }) => {
      const sections = await this.reader.spendSections(m, prog, project, quarter, {});
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
    return this.inDraft(programmeCode, projectCode, actor, async (m, { prog, project, quarter, update }) => {
      const end = quarterEnd(this.periods.checkInProgramme(prog, quarter));
      const current = new Map((await this.reader.milestoneRows(m, project, {})).map((r) => [String(r.id), r]));
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
    return this.inDraft(programmeCode, projectCode, actor, async (m, { prog, project, quarter, update }) => {
      const sections = await this.reader.outputSections(m, prog, project, {});
      const byMetric = new Map(sections.map((s) => [s.metric, s]));
      const metrics = new Map((await m.find(OutputMetric)).map((x) => [x.code, x]));
      const problems: FieldProblem[] = [];
      // Each claim through OutputsService's own checks, then the draft's one rule (checkDraftClaims).
      const checked: { claim: OutputsInput['claims'][number]; outcome: ClaimOutcome }[] = [];
      for (const c of input.claims) {
        if (!byMetric.has(c.metric)) {
          checked.push({ claim: c, outcome: { noTarget: true } });
          continue;
        }
        try {
          const ok = await this.outputs.checkActualIn(m, prog, project, c.metric, {
            quarter: c.quarter,
            value: c.value,
            claimKey: c.claimKey,
            evidence: c.evidence ?? undefined,
          });
          checked.push({ claim: c, outcome: { ok } });
        } catch (e) {
          checked.push({ claim: c, outcome: { error: e } });
        }
      }
      const { claims, problems: claimProblems } = checkDraftClaims(project.code, checked);
      for (const p of claimProblems) {
        const c = input.claims[p.index];
        if (p.part === 'metric') problems.push({ field: 'form', problem: p.problem });
        else
          problems.push({
            field: p.part === 'claim' ? 'form' : `${c.field}-${p.part === 'claimKey' ? 'key' : p.part}`,
            problem: `${c.label}: ${p.problem}`,
          });
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

  /** Saves the narrative as part of the draft. */
  saveNarrative(
    programmeCode: string | undefined,
    projectCode: string,
    narrative: string,
    version: number | undefined,
    actor: Actor,
  ) {
    return this.inDraft(programmeCode, projectCode, actor, async (m, { prog, project, quarter, update }) => {
      if (narrative.length > 10000)
        throw new ValidationError([{ field: 'narrative', problem: 'Narrative must be 10,000 characters or fewer' }]);
      const draft = { ...(update?.draft ?? {}), narrative };
      await this.writeDraft(m, prog, project, quarter, update, draft, version, actor, 'save_narrative');
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
    return this.inDraft(programmeCode, projectCode, actor, async (m, { prog, project, quarter, update }) => {
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
    write: (m: EntityManager, c: UpdateContext) => Promise<ProjectRisk>,
  ) {
    return this.inDraft(programmeCode, projectCode, actor, async (m, c) => {
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

  /** A draft write: the update's editable context (who may edit, which quarter) read in the same unit of work. */
  private inDraft<T>(
    programmeCode: string | undefined,
    projectCode: string,
    actor: Actor,
    work: (m: EntityManager, c: UpdateContext) => Promise<T>,
  ): Promise<T> {
    return this.db.write(async (m) => work(m, await this.reader.editableContext(m, programmeCode, projectCode, actor)));
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
    meta: Record<string, unknown> = {},
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
      meta: { quarter, ...meta },
    });
    return after;
  }

  /**
   * A draft built from an uploaded workbook (the partner spreadsheet over HTTP), in the caller's
   * transaction: the forms' scope and editable checks first (a submitted or accepted update is
   * refused before a cell is read), then one audit entry naming the file.
   */
  async importIn(
    m: EntityManager,
    programmeCode: string,
    projectCode: string,
    actor: Actor,
    build: (c: UpdateContext) => Promise<{ draft: UpdateDraft; meta: Record<string, unknown> }>,
  ) {
    const c = await this.reader.editableContext(m, programmeCode, projectCode, actor);
    const { draft, meta } = await build(c);
    return this.writeDraft(m, c.prog, c.project, c.quarter, c.update, draft, undefined, actor, 'import_workbook', meta);
  }
}
