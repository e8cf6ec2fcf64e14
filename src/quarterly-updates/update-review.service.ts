import { sameActor } from '../auth/actor';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditRecord, AuditService, collectedRows } from '../audit/audit.service';
import { assertProjectScope } from '../auth/scope';
import { DomainError, FieldProblem, RuleViolationError, ValidationError } from '../common/errors';
import { formatPounds } from '../common/money';
import { Db } from '../database/db.service';
import { updateVersioned } from '../database/versioned';
import { PeriodsService } from '../periods/periods.service';
import { SpendProfileLine } from '../spend/spend.entities';
import { SpendService } from '../spend/spend.service';
import { QuarterlyUpdate } from './quarterly-update.entity';
import { OutputMetric, OutputTarget } from '../outputs/output.entities';
import { formatQuantity } from '../outputs/output-units';
import { OutputsService } from '../outputs/outputs.service';
import { MilestonesService } from '../milestones/milestones.service';
import { STATUS_LABELS, EDITABLE, outputsTaskStatus, risksTaskStatus, presentUpdate } from './update-model';
import { UpdateReader, UpdateContext } from './update-reader';

/**
 * An update's transitions: submit (once outputs and risks are done), return for revision with a
 * comment, accept. On acceptance the figures go through the features' own writes (period locks,
 * version checks), in one transaction with one audit entry holding each figure applied.
 */
@Injectable()
export class UpdateReviewService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
    private readonly reader: UpdateReader,
    private readonly spend: SpendService,
    private readonly milestones: MilestonesService,
    private readonly outputs: OutputsService,
  ) {}

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
        submittedByUserId: actor.userId,
        submittedAt: new Date().toISOString(),
        returnComment: null,
      };
    });
  }

  /** Returns a submitted update for revision, with the reviewer's comment (not the submitter's own). */
  returnForRevision(
    programmeCode: string | undefined,
    projectCode: string,
    comment: string,
    version: number | undefined,
    actor: Actor,
  ) {
    return this.transition(programmeCode, projectCode, version, actor, 'return', null, async (_m, c) => {
      this.assertSubmitted(c.update, c.quarter);
      assertNotSubmitter(c.update!, actor, c.project.code, c.quarter);
      const text = comment.trim();
      if (!text)
        throw new ValidationError([{ field: 'comment', problem: 'Enter a comment saying what needs to change' }]);
      if (text.length > 2000)
        throw new ValidationError([{ field: 'comment', problem: 'Comment must be 2,000 characters or fewer' }]);
      return {
        status: 'returned' as const,
        returnComment: text,
        decidedBy: actor.name,
        decidedByUserId: actor.userId,
        decidedAt: new Date().toISOString(),
      };
    });
  }

  /**
   * Accepts a submitted update: its forecasts, milestones and outputs become the project's latest
   * (a programme manager's own figures through the API); its actual spend is held until finance
   * confirms it. The person who submitted it cannot accept it.
   */
  accept(programmeCode: string | undefined, projectCode: string, version: number | undefined, actor: Actor) {
    // Each figure accepted is audited in the acceptance's one entry, before and after.
    const audit = { rows: [] as AuditRecord[] };
    return this.transition(programmeCode, projectCode, version, actor, 'accept', audit, async (m, c) => {
      this.assertSubmitted(c.update, c.quarter);
      assertNotSubmitter(c.update!, actor, c.project.code, c.quarter);
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
      // Actual spend is finance's to record (the API's rule): an update's actuals wait for a
      // finance user to confirm them (SpendConfirmationService), whoever submitted it.
      const held = Object.entries(draft.actuals ?? {}).some(
        ([kind, pence]) => lines.get(`${kind}|${c.quarter}`)?.actualPence !== pence,
      );
      return {
        status: 'accepted' as const,
        decidedBy: actor.name,
        decidedByUserId: actor.userId,
        decidedAt: new Date().toISOString(),
        spendState: held ? ('awaiting' as const) : null,
      };
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
    change: (m: EntityManager, c: UpdateContext) => Promise<Partial<QuarterlyUpdate>>,
  ) {
    return this.db.write(async (m) => {
      const c = await this.reader.context(m, programmeCode, projectCode);
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
      return { status: after.status, quarter: c.quarter, spendState: after.spendState };
    });
  }
}

/** The person who submitted an update does not review it: another programme manager or an admin does. */
function assertNotSubmitter(u: QuarterlyUpdate, actor: Actor, project: string, quarter: string): void {
  if (sameActor(u.submittedBy, u.submittedByUserId, actor))
    throw new DomainError(
      'SEPARATION_OF_DUTIES',
      `You submitted the ${quarter} update for ${project}: another programme manager or an administrator must review it (separation of duties)`,
      403,
      { field: 'form' },
    );
}
