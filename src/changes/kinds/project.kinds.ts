import { EntityManager } from 'typeorm';
import { Actor } from '../../auth/actor';
import { displayPounds, formatPounds, parseAmount } from '../../common/money';
import { updateVersioned } from '../../database/versioned';
import { Allocation } from '../../funding/allocation.entity';
import { Programme } from '../../programmes/programme.entity';
import { createProject, newProjectProblems } from '../../projects/project-creation';
import { Project, PROJECT_STATUSES, ProjectStatus } from '../../projects/project.entity';
import { parsePeriod, periodOutsideProgramme, programmeYearSpan } from '../../funding/period';
import { PeriodsService } from '../../periods/periods.service';
import { BaselineService } from '../../spend/baseline.service';
import { baselineOf, quarterProblems, quartersAt } from './quarter-lines';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext, ProgrammeLevel } from './kind';
import {
  Code,
  ListOf,
  NewAllocationFields,
  OneOf,
  Pounds,
  provenance,
  Text,
  validatePayload,
} from './payload-validation';
import { namedProject, projectsByCode, sourceKindCodes } from './references';

const ADD_STATUSES = ['pipeline', 'approved', 'in_delivery'] as const;

class ProjectAllocationDto extends NewAllocationFields {
  @Pounds('positive') amount: string;
}

export class AddProjectPayload {
  @Code() code: string;
  @Text(300) name: string;
  @Code({ optional: true }) theme?: string | null;
  @Text(5000, { optional: true }) description?: string | null;
  @Text(300, { optional: true }) location?: string | null;
  @Code({ optional: true }) leadBody?: string | null;
  @OneOf(ADD_STATUSES) status: (typeof ADD_STATUSES)[number] = 'approved';
  @ListOf(() => ProjectAllocationDto, 0, 100) allocations: ProjectAllocationDto[];
}

function parseAdd(payload: unknown) {
  const { value: v, problems } = validatePayload(AddProjectPayload, payload);
  if (!v) return { problems };
  const allocations = v.allocations.map((a, i) => {
    const field = `payload.allocations[${i}]`;
    const amountPence = parseAmount(a.amount);
    const { baseline, problems: b } = baselineOf(a, amountPence, field, 'the allocation');
    problems.push(...b);
    return {
      sourceKind: a.sourceKind,
      period: parsePeriod(a.period),
      periodCode: a.period,
      amountPence,
      commitmentStatus: a.commitmentStatus,
      description: a.description ?? undefined,
      baseline,
      source: provenance(a.source),
      field,
    };
  });
  const { code, name, status } = v;
  const [theme, description, location, leadBody] = [v.theme, v.description, v.location, v.leadBody].map(
    (x) => x ?? undefined,
  );
  return { problems, value: { code, name, theme, description, location, leadBody, status, allocations } };
}

/** Add a project with its approved allocations: the new money must fit each kind's envelope. */
export class AddProjectKind implements ChangeKindHandler<AddProjectPayload> {
  readonly kind = 'add_project';

  /** A new project is funded from the programme's headroom: programme money. */
  async programmeLevels(): Promise<ProgrammeLevel[]> {
    return ['programme money'];
  }
  readonly label = 'Add a project, with its allocations (and their baseline spend profiles)';

  constructor(
    private readonly baselines: BaselineService,
    private readonly periods: PeriodsService,
  ) {}

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { problems, value } = parseAdd(payload);
    if (problems.length || !value) return problems;
    for (const x of await newProjectProblems(m, programme.id, value))
      problems.push({ field: `payload.${x.field}`, problem: x.problem, code: x.code });
    const kinds = await sourceKindCodes(m);
    for (const a of value.allocations) {
      if (a.baseline)
        problems.push(...quarterProblems(this.periods, programme, quartersAt(a.baseline, `${a.field}.baseline`)));
      const sameKind = value.allocations.filter((x) => x.sourceKind === a.sourceKind);
      if (a.baseline && sameKind.some((x) => !x.baseline))
        problems.push({
          field: `${a.field}.baseline`,
          problem: `give every ${a.sourceKind} allocation of the project a baseline, or none (set_baseline can add it later)`,
          code: 'INVALID',
        });
      // The one check every door that writes a period applies (allocations, reallocations, year moves).
      const outside = periodOutsideProgramme(a.period, a.periodCode, programmeYearSpan(programme));
      if (outside) problems.push({ field: `${a.field}.period`, problem: outside, code: 'YEAR_OUTSIDE_PROGRAMME' });
      if (!kinds.has(a.sourceKind))
        problems.push({
          field: `${a.field}.sourceKind`,
          problem: `source kind "${a.sourceKind}" does not exist`,
          code: 'UNKNOWN_REFERENCE',
        });
    }
    return problems;
  }

  async apply(
    m: EntityManager,
    programme: Programme,
    payload: AddProjectPayload,
    actor: Actor,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const v = parseAdd(payload).value!;
    const project = await createProject(m, programme.id, v, (r) => writes.record(r));
    const allocations = [];
    for (const a of v.allocations) {
      allocations.push(
        await writes.createAllocation({
          sourceKind: a.sourceKind,
          projectId: project.id,
          poolId: null,
          ...a.period,
          amountPence: a.amountPence,
          commitmentStatus: a.commitmentStatus,
          description: a.description ?? null,
          source: a.source,
        }),
      );
    }
    const baseline = [];
    for (const kind of [...new Set(v.allocations.filter((a) => a.baseline).map((a) => a.sourceKind))].sort()) {
      const merged = new Map<string, number>();
      for (const a of v.allocations.filter((x) => x.sourceKind === kind))
        for (const [q, p] of a.baseline!) merged.set(q, (merged.get(q) ?? 0) + p);
      const moved = await this.baselines.replace(m, actor, programme, project.id, kind, merged, {
        changeRequest: writes.changeNumber,
      });
      baseline.push(...moved.map((x) => ({ sourceKind: kind, quarter: x.quarter, baseline: x.baselineAfter })));
    }
    return {
      before: { project: null, allocations: [] },
      after: {
        project: { code: project.code, name: project.name, status: project.status },
        allocations,
        ...(baseline.length ? { baseline } : {}),
      },
    };
  }

  describe(payload: AddProjectPayload, ctx: DescribeContext): string {
    const v = parseAdd(payload).value;
    const add = verb(ctx, 'Add', 'Added');
    if (!v) return `${add} a project.`;
    const total = v.allocations.reduce((s, a) => s + a.amountPence, 0);
    const kinds = [...new Set(v.allocations.map((a) => ctx.kindLabel(a.sourceKind)))].join(', ');
    return `${add} a new project, ${v.name}${v.allocations.length ? `, with ${displayPounds(total)} of ${kinds}` : ', with no money'}.`;
  }

  /** The project exists only once approved; before that the change touches no existing project. */
  async projectIds(m: EntityManager, programme: Programme, payload: AddProjectPayload): Promise<number[]> {
    const code = parseAdd(payload).value?.code;
    const p = code ? (await projectsByCode(m, programme.id, [code])).get(code) : undefined;
    return p ? [p.id] : [];
  }
}

export class ProjectStatusPayload {
  @Code() project: string;
}

function parseProject(payload: unknown) {
  const { value, problems } = validatePayload(ProjectStatusPayload, payload);
  return { project: value?.project, problems };
}

/** Shared by the kinds that change only a project's status (and, for withdrawal, its money). */
abstract class ProjectStatusKind implements ChangeKindHandler<ProjectStatusPayload> {
  abstract readonly kind: string;
  abstract readonly label: string;
  protected abstract readonly target: ProjectStatus;
  /** Statuses from which this change makes no sense. */
  protected abstract readonly refuseFrom: ProjectStatus[];

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { project, problems } = parseProject(payload);
    if (problems.length || !project) return problems;
    const { project: p, problems: missing } = await namedProject(m, programme.id, project);
    if (!p) return missing;
    if (this.refuseFrom.includes(p.status))
      return [
        {
          field: 'payload.project',
          problem: `project "${project}" is ${p.status}: ${this.kind} applies only to a project that is ${PROJECT_STATUSES.filter((x) => !this.refuseFrom.includes(x)).join(', ')}${p.status === 'withdrawn' ? ' (reinstate_project first, then a reallocation gives it money)' : ''}`,
          code: 'PROJECT_STATUS',
        },
      ];
    return [];
  }

  async apply(
    m: EntityManager,
    programme: Programme,
    payload: ProjectStatusPayload,
    actor: Actor,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const code = parseProject(payload).project!;
    const before = (await projectsByCode(m, programme.id, [code])).get(code)!;
    const after = await updateVersioned(m, Project, 'project', before.id, before.version, { status: this.target });
    await writes.record({
      programmeId: programme.id,
      projectId: before.id,
      entity: 'project',
      entityId: before.id,
      action: 'update',
      before,
      after,
    });
    const money = await this.applyMoney(m, programme, before, actor, writes);
    return {
      before: { project: { code, status: before.status }, allocations: money.before },
      after: {
        project: { code, status: after.status },
        allocations: money.after,
        ...(money.spent ? { spent: money.spent } : {}),
      },
    };
  }

  protected async applyMoney(
    _m: EntityManager,
    _prog: Programme,
    _p: Project,
    _actor: Actor,
    _w: ApprovedWrites,
  ): Promise<{ before: unknown[]; after: unknown[]; spent?: unknown[] }> {
    return { before: [], after: [] };
  }

  describe(payload: ProjectStatusPayload, ctx: DescribeContext): string {
    const code = parseProject(payload).project;
    return this.sentence(code ? ctx.projectName(code) : 'a project', ctx);
  }

  protected abstract sentence(project: string, ctx: DescribeContext): string;

  async projectIds(m: EntityManager, programme: Programme, payload: ProjectStatusPayload): Promise<number[]> {
    const code = parseProject(payload).project;
    const p = code ? (await projectsByCode(m, programme.id, [code])).get(code) : undefined;
    return p ? [p.id] : [];
  }
}

/**
 * Withdraw a project. Money it has spent stays allocated to it (counted and shown as spent on a
 * withdrawn project); only the unspent part is released to the envelope's headroom. Per source
 * kind its allocations are cut to its spend to date, newest first (one wholly unspent is marked
 * withdrawn, keeping its amount on record), and its baseline becomes what it spent, quarter by quarter.
 */
export class WithdrawProjectKind extends ProjectStatusKind {
  readonly kind = 'withdraw_project';
  readonly label = 'Withdraw a project (its unspent money is released; what it spent stays)';
  protected readonly target = 'withdrawn' as const;
  protected readonly refuseFrom: ProjectStatus[] = ['withdrawn', 'complete'];

  constructor(private readonly baselines: BaselineService) {
    super();
  }

  protected async applyMoney(m: EntityManager, prog: Programme, p: Project, actor: Actor, writes: ApprovedWrites) {
    const rows = await m.find(Allocation, {
      where: { projectId: p.id, approvalState: 'approved' },
      order: { id: 'DESC' },
    });
    const live = rows.filter((x) => x.commitmentStatus !== 'withdrawn');
    const before: unknown[] = [];
    const after: unknown[] = [];
    const spent: unknown[] = [];
    for (const sourceKind of [...new Set(live.map((a) => a.sourceKind))].sort()) {
      const meta = { changeRequest: writes.changeNumber };
      const { spentPence } = await this.baselines.toSpend(m, actor, prog, p.id, sourceKind, meta);
      const mine = live.filter((a) => a.sourceKind === sourceKind);
      const allocated = mine.reduce((s, a) => s + a.amountPence, 0);
      let cut = Math.max(0, allocated - spentPence);
      spent.push({
        sourceKind,
        allocated: formatPounds(allocated),
        spent: formatPounds(spentPence),
        released: formatPounds(cut),
      });
      for (const a of mine) {
        const take = Math.min(cut, a.amountPence);
        cut -= take;
        if (take === a.amountPence) {
          // Wholly unspent: the allocation is marked withdrawn, keeping its amount on record.
          const r = await writes.withdrawAllocation(a.id);
          before.push(r.before);
          after.push(r.after);
        } else if (take > 0) {
          const r = await writes.adjustAllocation(a.id, -take);
          before.push(r.before);
          after.push(r.after);
        }
      }
    }
    return { before, after, spent };
  }

  protected sentence(project: string, ctx: DescribeContext): string {
    return `${verb(ctx, 'Withdraw', 'Withdrew')} ${project} from the programme: what it spent ${verb(ctx, 'stays', 'stayed')} allocated to it and its unspent money ${verb(ctx, 'is', 'was')} released for other projects.`;
  }
}

/** Put a project on hold: its money stays allocated; delivery pauses. */
export class PutOnHoldKind extends ProjectStatusKind {
  readonly kind: string = 'put_on_hold';
  readonly label = 'Put a project on hold (its money stays allocated)';
  protected readonly target = 'on_hold' as const;
  protected readonly refuseFrom: ProjectStatus[] = ['withdrawn', 'complete', 'on_hold'];

  protected sentence(project: string, ctx: DescribeContext): string {
    return `${verb(ctx, 'Put', 'Put')} ${project} on hold; its money ${verb(ctx, 'stays', 'stayed')} allocated.`;
  }
}

/** Put a project on hold (the name the issue gives; put_on_hold stays for existing requests). */
export class HoldProjectKind extends PutOnHoldKind {
  readonly kind = 'hold_project';
}

/** Reinstate a project on hold or withdrawn: delivery resumes; money comes back only by reallocation. */
export class ReinstateProjectKind extends ProjectStatusKind {
  readonly kind = 'reinstate_project';
  readonly label = 'Reinstate a project on hold or withdrawn (delivery resumes; its money is unchanged)';
  protected readonly target = 'in_delivery' as const;
  protected readonly refuseFrom: ProjectStatus[] = ['pipeline', 'approved', 'in_delivery', 'complete'];

  protected sentence(project: string, ctx: DescribeContext): string {
    return `${verb(ctx, 'Reinstate', 'Reinstated')} ${project}: delivery ${verb(ctx, 'resumes', 'resumed')}; its money ${verb(ctx, 'is', 'was')} unchanged (a reallocation gives it more).`;
  }
}

/** Record a project as complete (delivery finished; its money is unchanged). */
export class CompleteProjectKind extends ProjectStatusKind {
  readonly kind = 'complete_project';
  readonly label = 'Record a project as complete (its money is unchanged)';
  protected readonly target = 'complete' as const;
  protected readonly refuseFrom: ProjectStatus[] = ['complete', 'withdrawn'];

  protected sentence(project: string, ctx: DescribeContext): string {
    return `${verb(ctx, 'Record', 'Recorded')} ${project} as complete.`;
  }
}
