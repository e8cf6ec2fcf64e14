import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditRecord, AuditService } from '../audit/audit.service';
import { DomainError, RuleViolationError, StaleVersionError } from '../common/errors';
import { formatPounds } from '../common/money';
import { Db } from '../database/db.service';
import { updateVersioned } from '../database/versioned';
import { Allocation } from '../funding/allocation.entity';
import { periodCode } from '../funding/period';
import { codeMaps, findProgramme } from '../programmes/programme-lookup';
import { PeriodsService } from '../periods/periods.service';
import { Programme } from '../programmes/programme.entity';
import { ChangeRequest } from './change-request.entity';
import {
  assertState,
  EnvelopeExceededError,
  findChange,
  lockProgramme,
  projectIdsOf,
  projectIdsText,
  sameActor,
  SeparationOfDutiesError,
  stepFields,
  throwIfProblems,
} from './change-rules';
import { envelopeBreaches } from './engine/money-lines';
import { approvedTotals, effectiveEnvelopes, envelopeRows } from './envelope.queries';
import { AllocationSnapshot, ApprovedWrites, ChangeKindRegistry, NewAllocation } from './kinds/kind';
import { ProgrammeEnvelope } from './programme-envelope.entity';
import { BaselineMoved, BaselineService } from '../spend/baseline.service';

export interface ApproveInput {
  reason?: string;
  version?: number;
  /**
   * When the decision was taken (ISO timestamp). Only the illustrative demo loader sets it, so
   * replayed decisions fall inside their quarters; HTTP never passes it (the wall clock is used).
   */
  decidedAt?: string;
}

/**
 * Approves change requests, and is the only writer of approved allocations and envelopes
 * (besides the deal loader's initial baseline). Approval is one transaction: re-validate against
 * current data, apply through an ApprovedWrites handle that exists only here, check every source
 * kind against its envelope, store before/after, audit. Any failure rolls everything back.
 */
@Injectable()
export class ApprovalService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly registry: ChangeKindRegistry,
    private readonly baselines: BaselineService,
    private readonly periods: PeriodsService,
  ) {}

  approve(code: string, number: number, input: ApproveInput, actor: Actor) {
    return this.db.write((m) => this.approveIn(m, code, number, input, actor));
  }

  /** The same, inside a caller's transaction (the demo loader). */
  async approveIn(m: EntityManager, code: string, number: number, input: ApproveInput, actor: Actor) {
    const prog = await findProgramme(m, code);
    await lockProgramme(m, prog.id);
    const cr = await findChange(m, prog.id, number);
    assertState(cr, ['submitted'], 'approved');
    if (input.version !== undefined && input.version !== cr.version) {
      throw new StaleVersionError('change request', cr.number, input.version, cr.version);
    }
    if (sameActor(cr.submittedBy, cr.submittedById, actor))
      throw new SeparationOfDutiesError(cr.number, cr.submittedBy ?? 'you');
    const handler = this.registry.get(cr.kind);
    if (!handler)
      throw new RuleViolationError(
        'UNKNOWN_KIND',
        `no handler for change request kind "${cr.kind}" is installed`,
        'kind',
      );
    throwIfProblems(await handler.validate(m, prog, cr.payload));
    const stored = await this.applyIn(m, prog, cr, actor, input.decidedAt);
    const now = input.decidedAt ?? new Date().toISOString();
    const touched = handler.projectIds ? await handler.projectIds(m, prog, cr.payload) : [];
    const projectIds = [...projectIdsOf(cr.projectIds), ...touched];
    const after = await updateVersioned(m, ChangeRequest, 'change request', cr.id, cr.version, {
      state: 'approved',
      decidedBy: actor.name,
      decidedById: actor.userId,
      decidedAt: now,
      decidedQuarter: await this.periods.decisionQuarter(m, prog, input.decidedAt),
      decisionReason: input.reason ?? null,
      before: stored.before,
      after: stored.after,
      projectIds: projectIdsText(projectIds),
    });
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      projectIds,
      entity: 'change_request',
      entityId: cr.number,
      action: 'approve',
      // The decision itself (state, who, when, why), then what it applied.
      before: { ...stepFields(cr), ...stored.before },
      after: { ...stepFields(after), ...stored.after },
      meta: { number: cr.number, kind: cr.kind, reason: input.reason ?? null, submittedBy: cr.submittedBy },
    });
    return after;
  }

  /**
   * What approving would change now, without changing it: the same checks and the same apply,
   * inside a transaction that is always rolled back. The before/after a draft or submitted
   * request shows, and why it could not be approved today (a payload problem, the envelope).
   */
  async preview(
    code: string,
    number: number,
    actor: Actor,
  ): Promise<{ before: unknown; after: unknown; refusal?: undefined } | { refusal: DomainError }> {
    try {
      await this.db.write(async (m) => {
        const prog = await findProgramme(m, code);
        await lockProgramme(m, prog.id);
        const cr = await findChange(m, prog.id, number);
        const handler = this.registry.get(cr.kind);
        if (!handler) throw new RuleViolationError('UNKNOWN_KIND', `no handler for "${cr.kind}" is installed`, 'kind');
        throwIfProblems(await handler.validate(m, prog, cr.payload));
        throw new Rollback(await this.applyIn(m, prog, cr, actor));
      });
    } catch (e) {
      if (e instanceof Rollback) return e.stored;
      if (e instanceof DomainError && e.status >= 400 && e.status < 500) return { refusal: e };
      throw e;
    }
    throw new Error('unreachable: a preview always rolls back');
  }

  /** Applies a validated change and checks the envelope: what it changed, before and after. */
  private async applyIn(m: EntityManager, prog: Programme, cr: ChangeRequest, actor: Actor, decidedAt?: string) {
    const handler = this.registry.get(cr.kind)!;
    const before = await effectiveEnvelopes(m, prog.id);
    const writes = new Writes(m, prog, actor, cr.number, this.audit);
    const result = await handler.apply(m, prog, cr.payload, actor, writes);
    // Baseline = approved allocation per project and source after every approval: each line
    // whose allocation moved takes its baseline with it. A line with no baseline yet gets one
    // by set_baseline (or with add_project), never an invented profile.
    const baseline: BaselineMoved[] = [];
    for (const line of writes.touchedLines) {
      const [projectId, sourceKind] = line.split('|');
      const meta = { changeRequest: cr.number };
      baseline.push(...(await this.baselines.follow(m, actor, prog, Number(projectId), sourceKind, meta)));
    }
    const totalsAfter = await approvedTotals(m, prog.id);
    const envelopesAfter = { ...before.effective, ...(await envelopeRows(m, prog.id)) };
    const breaches = envelopeBreaches({
      totalsBefore: before.totals,
      totalsAfter,
      envelopesBefore: before.effective,
      envelopesAfter,
    });
    if (breaches.length) throw new EnvelopeExceededError(breaches);

    // Kinds this change touched that had no stored envelope get one now (first use): their
    // envelope is what was approved just before this change.
    const kinds = [
      ...new Set([...Object.keys(before.totals), ...Object.keys(totalsAfter), ...writes.touchedKinds]),
    ].filter((k) => writes.touchedKinds.has(k) || (before.totals[k] ?? 0) !== (totalsAfter[k] ?? 0));
    const now = decidedAt ?? new Date().toISOString();
    for (const k of kinds) {
      if (!(k in before.stored) && !writes.envelopeStored.has(k))
        await m.insert(ProgrammeEnvelope, {
          programmeId: prog.id,
          sourceKind: k,
          amountPence: before.effective[k] ?? 0,
          updatedAt: now,
        });
    }
    const envelope = kinds.sort().map((k) => ({
      sourceKind: k,
      envelopeBefore: formatPounds(before.effective[k] ?? 0),
      envelopeAfter: formatPounds(envelopesAfter[k] ?? before.effective[k] ?? 0),
      approvedBefore: formatPounds(before.totals[k] ?? 0),
      approvedAfter: formatPounds(totalsAfter[k] ?? 0),
    }));
    const followed = baseline.length ? { baselineFollowed: baseline } : {};
    const stored = {
      before: { ...(result.before as object), envelope },
      after: { ...(result.after as object), envelope, ...followed },
    };
    return stored;
  }
}

/** Carries a preview's result out of the transaction it rolls back. */
class Rollback {
  constructor(readonly stored: { before: unknown; after: unknown }) {}
}

/** The approval-time write handle; never exported, so no other code can write approved money. */
class Writes implements ApprovedWrites {
  readonly touchedKinds = new Set<string>();
  /** "projectId|sourceKind" of the project lines whose allocation this change wrote. */
  readonly touchedLines = new Set<string>();
  readonly envelopeStored = new Set<string>();
  private codes?: Awaited<ReturnType<typeof codeMaps>>;

  constructor(
    private readonly m: EntityManager,
    private readonly prog: Programme,
    private readonly actor: Actor,
    readonly changeNumber: number,
    private readonly audit: AuditService,
  ) {}

  private touchLine(projectId: number | null, sourceKind: string) {
    if (projectId !== null) this.touchedLines.add(`${projectId}|${sourceKind}`);
  }

  async allocation(id: number): Promise<Allocation> {
    const a = await this.m.findOne(Allocation, { where: { id, programmeId: this.prog.id } });
    if (!a)
      throw new RuleViolationError(
        'UNKNOWN_REFERENCE',
        `allocation ${id} does not exist in this programme`,
        'allocationId',
      );
    if (a.approvalState !== 'approved')
      throw new RuleViolationError('NOT_APPROVED', `allocation ${id} is a draft`, 'allocationId');
    return a;
  }

  private async snapshot(a: Allocation): Promise<AllocationSnapshot> {
    const missing =
      (a.projectId && !this.codes?.project.has(a.projectId)) || (a.poolId && !this.codes?.pool.has(a.poolId));
    if (!this.codes || missing) this.codes = await codeMaps(this.m, this.prog.id);
    return {
      id: a.id,
      sourceKind: a.sourceKind,
      project: a.projectId ? (this.codes.project.get(a.projectId) ?? null) : null,
      pool: a.poolId ? (this.codes.pool.get(a.poolId) ?? null) : null,
      period: periodCode(a.periodKind, a.yearFrom, a.yearTo),
      amount: formatPounds(a.amountPence),
      commitmentStatus: a.commitmentStatus,
    };
  }

  private async update(id: number, changes: Partial<Allocation>) {
    const a = await this.allocation(id);
    this.touchedKinds.add(a.sourceKind);
    this.touchLine(a.projectId, a.sourceKind);
    if (changes.sourceKind) this.touchLine(a.projectId, changes.sourceKind);
    const after = await updateVersioned(this.m, Allocation, 'allocation', id, a.version, {
      ...changes,
      updatedAt: new Date().toISOString(),
    });
    await this.record({
      programmeId: this.prog.id,
      projectId: a.projectId,
      entity: 'allocation',
      entityId: id,
      action: 'update',
      before: a,
      after,
    });
    return { before: await this.snapshot(a), after: await this.snapshot(after) };
  }

  async adjustAllocation(id: number, deltaPence: number) {
    const a = await this.allocation(id);
    const next = a.amountPence + deltaPence;
    if (next < 0)
      throw new RuleViolationError(
        'NEGATIVE_ALLOCATION',
        `would take allocation ${id} from ${formatPounds(a.amountPence)} to ${formatPounds(next)}`,
        'payload',
      );
    return this.update(id, { amountPence: next });
  }

  reperiodAllocation(
    id: number,
    period: Pick<NewAllocation, 'periodKind' | 'yearFrom' | 'yearTo'>,
    amountPence: number,
  ) {
    return this.update(id, { ...period, amountPence });
  }

  withdrawAllocation(id: number) {
    return this.update(id, { commitmentStatus: 'withdrawn' });
  }

  async createAllocation(spec: NewAllocation): Promise<AllocationSnapshot> {
    const now = new Date().toISOString();
    this.touchedKinds.add(spec.sourceKind);
    this.touchLine(spec.projectId, spec.sourceKind);
    const r = await this.m.insert(Allocation, {
      ...spec,
      programmeId: this.prog.id,
      changeRequestNumber: this.changeNumber,
      approvalState: 'approved',
      createdAt: now,
      updatedAt: now,
    });
    const a = await this.m.findOneByOrFail(Allocation, { id: r.identifiers[0].id as number });
    await this.record({
      programmeId: this.prog.id,
      projectId: a.projectId,
      entity: 'allocation',
      entityId: a.id,
      action: 'create',
      after: a,
    });
    return this.snapshot(a);
  }

  async moveEnvelope(sourceKind: string, deltaPence: number) {
    this.touchedKinds.add(sourceKind);
    const { stored, effective } = await effectiveEnvelopes(this.m, this.prog.id);
    const beforePence = effective[sourceKind] ?? 0;
    const afterPence = beforePence + deltaPence;
    if (afterPence < 0)
      throw new RuleViolationError(
        'NEGATIVE_ENVELOPE',
        `would take the ${sourceKind} envelope below zero`,
        'payload.delta',
      );
    const now = new Date().toISOString();
    const row = await this.m.findOne(ProgrammeEnvelope, { where: { programmeId: this.prog.id, sourceKind } });
    if (row)
      await updateVersioned(this.m, ProgrammeEnvelope, 'envelope', row.id, row.version, {
        amountPence: afterPence,
        updatedAt: now,
      });
    else
      await this.m.insert(ProgrammeEnvelope, {
        programmeId: this.prog.id,
        sourceKind,
        amountPence: afterPence,
        updatedAt: now,
      });
    this.envelopeStored.add(sourceKind);
    await this.record({
      programmeId: this.prog.id,
      entity: 'programme_envelope',
      entityId: sourceKind,
      action: 'update',
      before: { sourceKind, amount: formatPounds(beforePence), stored: sourceKind in stored },
      after: { sourceKind, amount: formatPounds(afterPence) },
    });
    return { beforePence, afterPence };
  }

  record(r: AuditRecord): Promise<void> {
    return this.audit.record(this.m, this.actor, {
      ...r,
      meta: { ...(r.meta ?? {}), changeRequest: this.changeNumber },
    });
  }
}
