import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import {
  ConflictError,
  NotFoundError,
  RuleViolationError,
  UnknownReferenceError,
  ValidationError,
} from '../common/errors';
import { formatPounds, parsePounds } from '../common/money';
import { page } from '../common/pagination';
import { presentSource } from '../common/present-source';
import { provenanceOf } from '../common/provenance';
import { assertProjectScope } from '../auth/scope';
import { Db } from '../database/db.service';
import { Project } from '../projects/project.entity';
import { deleteVersioned, updateVersioned } from '../database/versioned';
import { codeMaps, findProgramme, refPool, refProject } from '../programmes/programme-lookup';
import { checkPeriod, periodOutsideProgramme, programmeYearSpan } from './period';
import { Allocation } from './allocation.entity';
import { AllocationQuery, CreateAllocationDto, UpdateAllocationDto } from './dto/allocation.dto';
import { periodCode, periodLabel } from './period';
import { SourceKind } from './source-kind.entity';

type Codes = Awaited<ReturnType<typeof codeMaps>>;

const isAnonymous = (actor: Actor | undefined) => !actor || actor.role === 'anonymous';

export function presentAllocation(a: Allocation, codes: Codes) {
  return {
    id: a.id,
    sourceKind: a.sourceKind,
    project: a.projectId ? (codes.project.get(a.projectId) ?? null) : null,
    pool: a.poolId ? (codes.pool.get(a.poolId) ?? null) : null,
    level: a.projectId ? 'project' : a.poolId ? 'pool' : 'programme',
    period: periodCode(a.periodKind, a.yearFrom, a.yearTo),
    periodLabel: periodLabel(a.periodKind, a.yearFrom, a.yearTo),
    amount: formatPounds(a.amountPence),
    commitmentStatus: a.commitmentStatus,
    approvalState: a.approvalState,
    description: a.description,
    source: presentSource(a.source),
    /** The approved change request that created the row (null: loaded with the deal, or a draft). */
    changeRequest: a.changeRequestNumber ?? null,
    version: a.version,
  };
}

@Injectable()
export class FundingService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  sourceKinds() {
    return this.db.read((m) => m.find(SourceKind, { order: { position: 'ASC' } }));
  }

  list(code: string, q: AllocationQuery, actor?: Actor) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const codes = await codeMaps(m, prog.id);
      const where: Record<string, unknown> = { programmeId: prog.id };
      if (q.sourceKind) where.sourceKind = q.sourceKind;
      if (q.commitmentStatus) where.commitmentStatus = q.commitmentStatus;
      if (q.approvalState) where.approvalState = q.approvalState;
      // The public sees the approved deal; drafts are for signed-in users.
      if (isAnonymous(actor)) {
        if (q.approvalState === 'draft') return page([], 0, q);
        where.approvalState = 'approved';
      }
      if (q.project) {
        const id = [...codes.project].find(([, c]) => c === q.project)?.[0];
        if (id === undefined) return page([], 0, q);
        where.projectId = id;
      }
      const [items, total] = await m.findAndCount(Allocation, {
        where,
        order: { id: 'ASC' },
        take: q.limit ?? 100,
        skip: q.offset ?? 0,
      });
      return page(
        items.map((a) => presentAllocation(a, codes)),
        total,
        q,
      );
    });
  }

  private async find(m: EntityManager, programmeId: number, id: number) {
    const a = await m.findOne(Allocation, { where: { id, programmeId } });
    if (!a) throw new NotFoundError('allocation', id);
    return a;
  }

  get(code: string, id: number, actor?: Actor) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const a = await this.find(m, prog.id, id);
      if (isAnonymous(actor) && a.approvalState !== 'approved') throw new NotFoundError('allocation', id);
      return presentAllocation(a, await codeMaps(m, prog.id));
    });
  }

  private period(period: string, prog: { firstQuarter: string; endsOn: string }) {
    const p = checkPeriod(period);
    if ('problem' in p) throw new ValidationError([{ field: 'period', problem: p.problem }]);
    const outside = periodOutsideProgramme(p, period, programmeYearSpan(prog));
    if (outside) throw new RuleViolationError('YEAR_OUTSIDE_PROGRAMME', outside, 'period');
    return p;
  }

  /** Direct writes create drafts; only the change-request approval service writes approved allocations. */
  create(code: string, dto: CreateAllocationDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      if (!(await m.findOne(SourceKind, { where: { code: dto.sourceKind } })))
        throw new UnknownReferenceError('sourceKind', 'source kind', dto.sourceKind);
      if (dto.project && dto.pool)
        throw new RuleViolationError('PROJECT_OR_POOL', 'give a project or a pool, not both', 'pool');
      const projectId = dto.project ? (await refProject(m, prog.id, dto.project)).id : null;
      const poolId = dto.pool ? (await refPool(m, prog.id, dto.pool)).id : null;
      const now = new Date().toISOString();
      const r = await m.insert(Allocation, {
        programmeId: prog.id,
        sourceKind: dto.sourceKind,
        projectId,
        poolId,
        ...this.period(dto.period, prog),
        amountPence: parsePounds(dto.amount),
        commitmentStatus: dto.commitmentStatus,
        approvalState: 'draft',
        description: dto.description ?? null,
        source: provenanceOf(dto.source),
        createdAt: now,
        updatedAt: now,
      });
      const a = await m.findOneByOrFail(Allocation, { id: r.identifiers[0].id as number });
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        projectId,
        entity: 'allocation',
        entityId: a.id,
        action: 'create',
        after: a,
      });
      return presentAllocation(a, await codeMaps(m, prog.id));
    });
  }

  /** Routes by id do not name the project, so a programme manager's scope is checked here. */
  private async assertScope(m: EntityManager, code: string, a: Allocation, actor: Actor) {
    if (actor.role !== 'programme_manager' || !a.projectId) return;
    const p = await m.findOne(Project, { where: { id: a.projectId }, select: ['id', 'code'] });
    assertProjectScope(actor, code, p?.code, 'id');
  }

  private assertDraft(a: Allocation) {
    if (a.approvalState === 'approved') {
      throw new ConflictError(
        'APPROVED_ALLOCATION',
        `allocation ${a.id} is approved: it changes only through an approved change request`,
        { field: 'id' },
      );
    }
  }

  update(code: string, id: number, dto: UpdateAllocationDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const before = await this.find(m, prog.id, id);
      await this.assertScope(m, code, before, actor);
      this.assertDraft(before);
      const changes: Partial<Allocation> = { updatedAt: new Date().toISOString() };
      if (dto.amount !== undefined) changes.amountPence = parsePounds(dto.amount);
      if (dto.period !== undefined) Object.assign(changes, this.period(dto.period, prog));
      if (dto.commitmentStatus !== undefined) changes.commitmentStatus = dto.commitmentStatus;
      if (dto.description !== undefined) changes.description = dto.description;
      const after = await updateVersioned(m, Allocation, 'allocation', id, dto.version, changes);
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        projectId: before.projectId,
        entity: 'allocation',
        entityId: id,
        action: 'update',
        before,
        after,
      });
      return presentAllocation(after, await codeMaps(m, prog.id));
    });
  }

  remove(code: string, id: number, version: number | undefined, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const before = await this.find(m, prog.id, id);
      await this.assertScope(m, code, before, actor);
      this.assertDraft(before);
      await deleteVersioned(m, Allocation, 'allocation', id, version);
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        projectId: before.projectId,
        entity: 'allocation',
        entityId: id,
        action: 'delete',
        before,
      });
    });
  }
}
