import { PeriodsService } from '../periods/periods.service';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { RuleViolationError, StaleVersionError } from '../common/errors';
import { page } from '../common/pagination';
import { Db } from '../database/db.service';
import { updateVersioned } from '../database/versioned';
import { codeMaps, findProgramme } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { Project } from '../projects/project.entity';
import { ApprovalService } from './approval.service';
import { assertAuthorOrAdmin, assertMayPropose } from './change-access';
import { ChangeRequest, ChangeState } from './change-request.entity';
import {
  assertState,
  findChange,
  lockProgramme,
  projectIdsOf,
  projectIdsText,
  stepFields,
  throwIfProblems,
} from './change-rules';
import {
  ChangeRequestQuery,
  CreateChangeRequestDto,
  RejectDto,
  StepDto,
  UpdateChangeRequestDto,
} from './dto/change-request.dto';
import { describeContexts } from './describe-context';
import { ChangeKindHandler, ChangeKindRegistry, DescribeContext } from './kinds/kind';

type Codes = Awaited<ReturnType<typeof codeMaps>>;

/**
 * Drafting, submitting, rejecting and withdrawing change requests, and reading them. None of
 * these moves money: approval is ApprovalService's alone.
 */
@Injectable()
export class ChangeRequestsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly registry: ChangeKindRegistry,
    private readonly approval: ApprovalService,
    private readonly periods: PeriodsService,
  ) {}

  /** Approval itself (and every write of approved money) is ApprovalService's; this presents the result. */
  async approve(code: string, number: number, dto: StepDto, actor: Actor) {
    // Only what HTTP may set: the decision time is the wall clock's.
    await this.approval.approve(code, number, { version: dto.version, reason: dto.reason }, actor);
    return this.get(code, number);
  }

  kinds() {
    return this.registry.list();
  }

  private handler(kind: string): ChangeKindHandler<unknown> {
    const h = this.registry.get(kind);
    if (!h)
      throw new RuleViolationError(
        'UNKNOWN_KIND',
        `"${kind}" is not a change request kind (known: ${this.registry.kinds().join(', ')})`,
        'kind',
      );
    return h;
  }

  /**
   * Validates the payload against current data and the actor's right to propose it (scope follows
   * the data it touches: change-access.ts); returns the projects it touches.
   */
  private async check(
    m: EntityManager,
    prog: Programme,
    kind: string,
    payload: unknown,
    actor: Actor,
  ): Promise<string | null> {
    const h = this.handler(kind);
    throwIfProblems(await h.validate(m, prog, payload));
    await assertMayPropose(m, prog, h, payload, actor);
    return projectIdsText(h.projectIds ? await h.projectIds(m, prog, payload) : []);
  }

  list(code: string, q: ChangeRequestQuery) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const qb = m.getRepository(ChangeRequest).createQueryBuilder('c').where('c.programme_id = :p', { p: prog.id });
      if (q.state) qb.andWhere('c.state = :s', { s: q.state });
      if (q.kind) qb.andWhere('c.kind = :k', { k: q.kind });
      if (q.project) {
        const p = await m.findOne(Project, { where: { programmeId: prog.id, code: q.project } });
        if (!p) return page([], 0, q);
        qb.andWhere('c.project_ids LIKE :pid', { pid: `%|${p.id}|%` });
      }
      const [items, total] = await qb
        .orderBy('c.number', 'DESC')
        .limit(q.limit ?? 100)
        .offset(q.offset ?? 0)
        .getManyAndCount();
      return page(await this.presentMany(m, prog, items), total, q);
    });
  }

  get(code: string, number: number) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      return (await this.presentMany(m, prog, [await findChange(m, prog.id, number)]))[0];
    });
  }

  create(code: string, dto: CreateChangeRequestDto, actor: Actor) {
    return this.db.write((m) => this.createIn(m, code, dto, actor));
  }

  /**
   * Inside a caller's transaction. `demo` is for the illustrative demo loader only: the story's
   * own timestamp, and the request is marked illustrative (so is everything it moves).
   */
  async createIn(
    m: EntityManager,
    code: string,
    dto: CreateChangeRequestDto,
    actor: Actor,
    demo?: { at: string; illustrative: true },
  ) {
    const at = demo?.at;
    const prog = await findProgramme(m, code);
    await lockProgramme(m, prog.id);
    const projectIds = await this.check(m, prog, dto.kind, dto.payload, actor);
    const last: { n: number | string | null } | undefined = await m
      .getRepository(ChangeRequest)
      .createQueryBuilder('c')
      .select('MAX(c.number)', 'n')
      .where('c.programme_id = :p', { p: prog.id })
      .getRawOne();
    const number = Number(last?.n ?? 0) + 1;
    const r = await m.insert(ChangeRequest, {
      programmeId: prog.id,
      number,
      kind: dto.kind,
      title: dto.title,
      reason: dto.reason,
      evidence: dto.evidence ?? null,
      state: 'draft',
      payload: dto.payload,
      projectIds,
      createdBy: actor.name,
      createdById: actor.userId,
      createdAt: at ?? new Date().toISOString(),
      illustrative: demo?.illustrative ?? false,
    });
    const cr = await m.findOneByOrFail(ChangeRequest, { id: r.identifiers[0].id as number });
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      entity: 'change_request',
      entityId: number,
      action: 'create',
      after: cr,
      // Each project the draft touches lists it in its trail.
      projectIds: projectIdsOf(cr.projectIds),
    });
    return (await this.presentMany(m, prog, [cr]))[0];
  }

  /** Only a draft is edited, with the version it was read at. */
  update(code: string, number: number, dto: UpdateChangeRequestDto, actor: Actor) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const before = await findChange(m, prog.id, number);
      assertState(before, ['draft'], 'edited');
      assertAuthorOrAdmin(before, actor, 'edited');
      if (dto.version !== before.version)
        throw new StaleVersionError('change request', number, dto.version, before.version);
      const changes: Partial<ChangeRequest> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.reason !== undefined) changes.reason = dto.reason;
      if (dto.evidence !== undefined) changes.evidence = dto.evidence;
      if (dto.payload !== undefined) {
        changes.payload = dto.payload;
        changes.projectIds = await this.check(m, prog, before.kind, dto.payload, actor);
      }
      const after = await updateVersioned(m, ChangeRequest, 'change request', before.id, dto.version, changes);
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        entity: 'change_request',
        entityId: number,
        action: 'update',
        before,
        after,
        // The projects it touched and those it touches now.
        projectIds: [...projectIdsOf(before.projectIds), ...projectIdsOf(after.projectIds)],
      });
      return (await this.presentMany(m, prog, [after]))[0];
    });
  }

  /** A step that changes only the state (and who/when): submit, reject, withdraw. */
  private async stepIn(
    m: EntityManager,
    code: string,
    number: number,
    allowed: ChangeState[],
    to: ChangeState,
    word: string,
    dto: StepDto,
    actor: Actor,
    extra: (cr: ChangeRequest, prog: Programme, m: EntityManager) => Promise<Partial<ChangeRequest>>,
  ) {
    const prog = await findProgramme(m, code);
    await lockProgramme(m, prog.id);
    const before = await findChange(m, prog.id, number);
    assertState(before, allowed, word);
    if (dto.version !== undefined && dto.version !== before.version)
      throw new StaleVersionError('change request', number, dto.version, before.version);
    const after = await updateVersioned(m, ChangeRequest, 'change request', before.id, before.version, {
      state: to,
      ...(await extra(before, prog, m)),
    });
    await this.audit.record(m, actor, {
      programmeId: prog.id,
      entity: 'change_request',
      entityId: number,
      action: to === 'submitted' ? 'submit' : to === 'rejected' ? 'reject' : 'withdraw',
      before: stepFields(before),
      after: stepFields(after),
      meta: { number, kind: before.kind, reason: dto.reason ?? null },
      projectIds: [...projectIdsOf(before.projectIds), ...projectIdsOf(after.projectIds)],
    });
    return (await this.presentMany(m, prog, [after]))[0];
  }

  /** Submitting re-checks the payload against today's data, so approvers see only workable changes. */
  submit(code: string, number: number, dto: StepDto, actor: Actor) {
    return this.db.write((m) => this.submitIn(m, code, number, dto, actor));
  }

  /** Inside a caller's transaction; `at` (ISO timestamp) is for the illustrative demo only. */
  submitIn(m: EntityManager, code: string, number: number, dto: StepDto, actor: Actor, at?: string) {
    return this.stepIn(m, code, number, ['draft'], 'submitted', 'submitted', dto, actor, async (cr, prog) => ({
      projectIds: await this.check(m, prog, cr.kind, cr.payload, actor),
      submittedBy: actor.name,
      submittedById: actor.userId,
      submittedAt: at ?? new Date().toISOString(),
    }));
  }

  reject(code: string, number: number, dto: RejectDto, actor: Actor) {
    return this.db.write((m) => this.rejectIn(m, code, number, dto, actor));
  }

  /** Inside a caller's transaction; `at` (ISO timestamp) is for the illustrative demo only. */
  rejectIn(m: EntityManager, code: string, number: number, dto: RejectDto, actor: Actor, at?: string) {
    return this.stepIn(m, code, number, ['submitted'], 'rejected', 'rejected', dto, actor, async (_cr, prog) => ({
      decidedBy: actor.name,
      decidedById: actor.userId,
      decidedAt: at ?? new Date().toISOString(),
      decidedQuarter: await this.periods.decisionQuarter(m, prog, at),
      decisionReason: dto.reason,
    }));
  }

  withdraw(code: string, number: number, dto: StepDto, actor: Actor) {
    return this.db.write((m) =>
      this.stepIn(m, code, number, ['draft', 'submitted'], 'withdrawn', 'withdrawn', dto, actor, async (cr) => {
        assertAuthorOrAdmin(cr, actor, 'withdrawn');
        return { decisionReason: dto.reason ?? null };
      }),
    );
  }

  /** Presents rows with plain-English descriptions: one query per table for everything they name. */
  async presentMany(m: EntityManager, prog: Programme, rows: ChangeRequest[]) {
    const ctxFor = await describeContexts(m, prog, rows, this.registry);
    const codes = await codeMaps(m, prog.id);
    return rows.map((cr) => present(cr, this.registry.get(cr.kind), ctxFor(cr), codes));
  }
}

function present(cr: ChangeRequest, h: ChangeKindHandler<unknown> | undefined, ctx: DescribeContext, codes: Codes) {
  let description: string;
  try {
    description = h ? h.describe(cr.payload, ctx) : `A ${cr.kind} change (no handler for this kind is installed).`;
  } catch {
    description = `A ${cr.kind} change.`;
  }
  return {
    number: cr.number,
    kind: cr.kind,
    kindLabel: h?.label ?? cr.kind,
    title: cr.title,
    state: cr.state,
    description,
    reason: cr.reason,
    evidence: cr.evidence,
    payload: cr.payload,
    projects: (cr.projectIds ?? '')
      .split('|')
      .filter(Boolean)
      .map((id) => codes.project.get(Number(id)) ?? id),
    before: cr.before ?? null,
    after: cr.after ?? null,
    createdBy: cr.createdBy,
    createdAt: cr.createdAt,
    submittedBy: cr.submittedBy,
    submittedAt: cr.submittedAt,
    decidedBy: cr.decidedBy,
    decidedAt: cr.decidedAt,
    decidedQuarter: cr.decidedQuarter,
    decisionReason: cr.decisionReason,
    /** Replayed from illustrative demo data: what it moved is marked illustrative. */
    illustrative: cr.illustrative,
    version: cr.version,
  };
}
