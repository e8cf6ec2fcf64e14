import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService, AuditTo } from '../audit/audit.service';
import { assertProjectScope } from '../auth/scope';
import { NotFoundError, RuleViolationError } from '../common/errors';
import { presentSource } from '../common/present-source';
import { provenanceOf } from '../common/provenance';
import { Db } from '../database/db.service';
import { updateVersioned } from '../database/versioned';
import { PeriodsService } from '../periods/periods.service';
import { codeMaps, findProgramme, findProject } from '../programmes/programme-lookup';
import { Programme } from '../programmes/programme.entity';
import { milestoneRag, RagThresholds, thresholdsOf } from '../rag/rag';
import { reportingPosition } from '../periods/reporting-position';
import { CreateMilestoneDto, CreateProgrammeMilestoneDto, UpdateMilestoneDto } from './dto/milestone.dto';
import { Milestone } from './milestone.entity';
import { MilestoneDateField, milestoneDateProblems } from './milestone-dates';

export function presentMilestone(x: Milestone, project: string | null, quarterEnd: string, t: RagThresholds) {
  return {
    id: x.id,
    level: x.projectId ? 'project' : 'programme',
    project,
    code: x.code,
    kind: x.kind,
    title: x.title,
    owner: x.owner,
    baselineDate: x.baselineDate,
    forecastDate: x.forecastDate,
    actualDate: x.actualDate,
    status: x.status,
    dueWords: x.dueWords,
    dateInterpreted: x.dateInterpreted,
    notes: x.notes,
    rag: milestoneRag(
      {
        baselineDate: x.baselineDate,
        forecastDate: x.forecastDate,
        actualDate: x.actualDate,
        reportingQuarterEnd: quarterEnd,
        status: x.status,
        commitment: x.projectId === null,
      },
      t,
    ),
    source: presentSource(x.source),
    illustrative: x.source?.illustrative ?? false,
    version: x.version,
  };
}

@Injectable()
export class MilestonesService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly periods: PeriodsService,
  ) {}

  private async context(m: EntityManager, prog: Programme) {
    const pos = await reportingPosition(m, this.periods, prog);
    return { pos, t: thresholdsOf(prog.ragThresholds), codes: (await codeMaps(m, prog.id)).project };
  }

  list(code: string, projectCode?: string) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const { pos, t, codes } = await this.context(m, prog);
      const where: Record<string, unknown> = { programmeId: prog.id };
      if (projectCode) where.projectId = (await findProject(m, prog.id, projectCode)).id;
      const rows = await m.find(Milestone, { where, order: { id: 'ASC' } });
      return {
        reportingQuarter: pos.quarterCode,
        reportingQuarterEnd: pos.quarterEnd,
        items: rows.map((x) =>
          presentMilestone(x, x.projectId ? (codes.get(x.projectId) ?? null) : null, pos.quarterEnd, t),
        ),
        total: rows.length,
      };
    });
  }

  get(code: string, id: number) {
    return this.db.read(async (m) => {
      const prog = await findProgramme(m, code);
      const { pos, t, codes } = await this.context(m, prog);
      const x = await this.find(m, prog.id, id);
      return presentMilestone(x, x.projectId ? (codes.get(x.projectId) ?? null) : null, pos.quarterEnd, t);
    });
  }

  private async find(m: EntityManager, programmeId: number, id: number) {
    const x = await m.findOne(Milestone, { where: { id, programmeId } });
    if (!x) throw new NotFoundError('milestone', id, 'id');
    return x;
  }

  /** Dates inside the programme window (programme-level ones may fall before it); actuals never after the reporting quarter. */
  private checkDates(
    prog: Programme,
    projectLevel: boolean,
    dates: Partial<Record<MilestoneDateField, string | null>>,
    quarterEnd: string,
  ) {
    const [p] = milestoneDateProblems(prog, projectLevel, dates, quarterEnd);
    if (p) throw new RuleViolationError(p.code, p.problem, p.field);
  }

  create(
    code: string,
    projectCode: string | null,
    dto: CreateMilestoneDto | CreateProgrammeMilestoneDto,
    actor: Actor,
  ) {
    return this.db.write(async (m) => {
      const prog = await findProgramme(m, code);
      const { pos, t } = await this.context(m, prog);
      const project = projectCode ? await findProject(m, prog.id, projectCode) : null;
      this.checkDates(prog, !!project, dto, pos.quarterEnd);
      const p = dto as CreateProgrammeMilestoneDto & CreateMilestoneDto;
      const r = await m.insert(Milestone, {
        programmeId: prog.id,
        projectId: project?.id ?? null,
        code: p.code ?? null,
        kind: project ? p.kind : 'commitment',
        title: dto.title,
        owner: p.owner ?? null,
        baselineDate: dto.baselineDate ?? null,
        forecastDate: dto.forecastDate ?? dto.baselineDate ?? null,
        actualDate: dto.actualDate ?? null,
        status: dto.actualDate ? 'complete' : 'open',
        dueWords: p.dueWords ?? null,
        dateInterpreted: false,
        notes: p.notes ?? null,
        source: provenanceOf(p.source),
        updatedAt: new Date().toISOString(),
      });
      const x = await m.findOneByOrFail(Milestone, { id: r.identifiers[0].id as number });
      const out = presentMilestone(x, project?.code ?? null, pos.quarterEnd, t);
      await this.audit.record(m, actor, {
        programmeId: prog.id,
        projectId: project?.id ?? null,
        entity: 'milestone',
        entityId: x.id,
        action: 'create',
        after: snapshot(x),
      });
      return out;
    });
  }

  update(code: string, id: number, dto: UpdateMilestoneDto, actor: Actor) {
    return this.db.write(async (m) => this.updateIn(m, await findProgramme(m, code), id, dto, actor));
  }

  /** Inside a caller's transaction; `audit` false when the caller records one entry for a whole import. */
  async updateIn(
    m: EntityManager,
    prog: Programme,
    id: number,
    dto: UpdateMilestoneDto,
    actor: Actor,
    audit: AuditTo = true,
  ) {
    const { pos, t, codes } = await this.context(m, prog);
    const before = await this.find(m, prog.id, id);
    // The route names the milestone by id, not its project: a programme manager's scope is checked here (programme-level ones are not project-scoped).
    assertProjectScope(actor, prog.code, before.projectId ? codes.get(before.projectId) : null, 'id');
    if (dto.baselineDate !== undefined) {
      throw new RuleViolationError(
        'BASELINE_CHANGE_REQUIRED',
        'the baseline date changes only through an approved re-baseline change request',
        'baselineDate',
      );
    }
    const changes: Partial<Milestone> = { updatedAt: new Date().toISOString() };
    if (dto.title !== undefined) changes.title = dto.title;
    if (dto.forecastDate !== undefined) changes.forecastDate = dto.forecastDate;
    if (dto.actualDate !== undefined) changes.actualDate = dto.actualDate;
    if (dto.notes !== undefined) changes.notes = dto.notes;
    if (dto.status !== undefined) changes.status = dto.status;
    else if (dto.actualDate) changes.status = 'complete';
    else if (dto.actualDate === null && before.status === 'complete') changes.status = 'open';
    if (
      (changes.status ?? before.status) === 'complete' &&
      !(changes.actualDate !== undefined ? changes.actualDate : before.actualDate)
    ) {
      throw new RuleViolationError('ACTUAL_DATE_REQUIRED', 'a complete milestone needs its actual date', 'actualDate');
    }
    this.checkDates(
      prog,
      !!before.projectId,
      { forecastDate: changes.forecastDate, actualDate: changes.actualDate },
      pos.quarterEnd,
    );
    const after = await updateVersioned(m, Milestone, 'milestone', id, dto.version, changes);
    const project = before.projectId ? (codes.get(before.projectId) ?? null) : null;
    const out = presentMilestone(after, project, pos.quarterEnd, t);
    await this.audit.recordTo(m, actor, audit, {
      programmeId: prog.id,
      projectId: before.projectId,
      entity: 'milestone',
      entityId: id,
      action: 'update',
      before: snapshot(before),
      after: snapshot(after),
      meta: { rag: out.rag.rag, why: out.rag.explanation },
    });
    return out;
  }

  /** Moves a baseline date: for the change-request approval service only, inside its transaction. */
  async rebaseline(
    m: EntityManager,
    actor: Actor,
    milestoneId: number,
    baselineDate: string,
    meta: Record<string, unknown> = {},
  ) {
    const before = await m.findOne(Milestone, { where: { id: milestoneId } });
    if (!before) throw new NotFoundError('milestone', milestoneId, 'milestone');
    const prog = await m.findOneByOrFail(Programme, { id: before.programmeId });
    this.checkDates(prog, !!before.projectId, { baselineDate }, prog.endsOn);
    const after = await updateVersioned(m, Milestone, 'milestone', milestoneId, before.version, {
      baselineDate,
      updatedAt: new Date().toISOString(),
    });
    await this.audit.record(m, actor, {
      programmeId: before.programmeId,
      projectId: before.projectId,
      entity: 'milestone',
      entityId: milestoneId,
      action: 'rebaseline',
      before: snapshot(before),
      after: snapshot(after),
      meta,
    });
    return { before: snapshot(before), after: snapshot(after) };
  }
}

/** What the audit trail keeps of a milestone. */
function snapshot(x: Milestone) {
  return {
    id: x.id,
    title: x.title,
    kind: x.kind,
    baselineDate: x.baselineDate,
    forecastDate: x.forecastDate,
    actualDate: x.actualDate,
    status: x.status,
    // Every field a write can change is in the audit's before and after (notes too).
    notes: x.notes,
    version: x.version,
  };
}
