import { EntityManager } from 'typeorm';
import { displayPounds } from '../../common/money';
import { updateVersioned } from '../../database/versioned';
import { Allocation, COMMITMENT_STATUSES, CommitmentStatus } from '../../funding/allocation.entity';
import { Organisation } from '../../organisations/organisation.entity';
import { Programme } from '../../programmes/programme.entity';
import { Theme } from '../../programmes/theme.entity';
import { Project, ProjectStatus } from '../../projects/project.entity';
import { parsePeriod } from '../../deal-loading/seed-validation';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext } from './kind';
import { PayloadReader } from './payload';
import { projectsByCode, sourceKindCodes } from './references';

export interface AddProjectPayload {
  code: string;
  name: string;
  theme?: string;
  description?: string;
  location?: string;
  leadBody?: string;
  status?: 'pipeline' | 'approved' | 'in_delivery';
  allocations: {
    sourceKind: string;
    period: string;
    amount: string;
    commitmentStatus: CommitmentStatus;
    description?: string;
  }[];
}

const ADD_STATUSES = ['pipeline', 'approved', 'in_delivery'] as const;

function parseAdd(payload: unknown) {
  const r = new PayloadReader();
  const o = r.object(payload, 'payload', [
    'code',
    'name',
    'theme',
    'description',
    'location',
    'leadBody',
    'status',
    'allocations',
  ]);
  if (!o) return { problems: r.problems };
  const code = r.code(o, 'code', 'payload');
  const name = r.string(o, 'name', 'payload', { max: 300 });
  const theme = r.code(o, 'theme', 'payload', false);
  const description = r.string(o, 'description', 'payload', { required: false, max: 5000 });
  const location = r.string(o, 'location', 'payload', { required: false, max: 300 });
  const leadBody = r.code(o, 'leadBody', 'payload', false);
  const status = r.oneOf(o, 'status', 'payload', ADD_STATUSES, 'approved');
  const allocations: {
    sourceKind: string;
    period: ReturnType<typeof parsePeriod>;
    amountPence: number;
    commitmentStatus: CommitmentStatus;
    description?: string;
    field: string;
  }[] = [];
  r.array(o, 'allocations', 'payload', 0, 100)?.forEach((x, i) => {
    const f = `payload.allocations[${i}]`;
    const a = r.object(x, f, ['sourceKind', 'period', 'amount', 'commitmentStatus', 'description']);
    if (!a) return;
    const sourceKind = r.code(a, 'sourceKind', f);
    const period = r.period(a, 'period', f);
    const amountPence = r.pounds(a, 'amount', f, 'positive');
    const commitmentStatus = r.oneOf(
      a,
      'commitmentStatus',
      f,
      COMMITMENT_STATUSES.filter((s) => s !== 'withdrawn'),
    );
    const desc = r.string(a, 'description', f, { required: false, max: 2000 });
    if (sourceKind && period && amountPence !== undefined && commitmentStatus)
      allocations.push({ sourceKind, period, amountPence, commitmentStatus, description: desc, field: f });
  });
  return {
    problems: r.problems,
    value: { code: code!, name: name!, theme, description, location, leadBody, status: status!, allocations },
  };
}

/** Add a project with its approved allocations: the new money must fit each kind's envelope. */
export class AddProjectKind implements ChangeKindHandler<AddProjectPayload> {
  readonly kind = 'add_project';
  readonly label = 'Add a project, with its allocations';

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { problems, value } = parseAdd(payload);
    if (problems.length || !value) return problems;
    if ((await projectsByCode(m, programme.id, [value.code])).size)
      problems.push({
        field: 'payload.code',
        problem: `a project with code "${value.code}" already exists`,
        code: 'DUPLICATE',
      });
    if (value.theme && !(await m.findOne(Theme, { where: { programmeId: programme.id, code: value.theme } }))) {
      problems.push({
        field: 'payload.theme',
        problem: `theme "${value.theme}" does not exist in this programme`,
        code: 'UNKNOWN_REFERENCE',
      });
    }
    if (value.leadBody && !(await m.findOne(Organisation, { where: { code: value.leadBody } }))) {
      problems.push({
        field: 'payload.leadBody',
        problem: `organisation "${value.leadBody}" does not exist`,
        code: 'UNKNOWN_REFERENCE',
      });
    }
    const kinds = await sourceKindCodes(m);
    for (const a of value.allocations) {
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
    _a: unknown,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const v = parseAdd(payload).value!;
    const themeId = v.theme
      ? (await m.findOneOrFail(Theme, { where: { programmeId: programme.id, code: v.theme } })).id
      : null;
    const leadId = v.leadBody ? (await m.findOneOrFail(Organisation, { where: { code: v.leadBody } })).id : null;
    const r = await m.insert(Project, {
      programmeId: programme.id,
      themeId,
      code: v.code,
      name: v.name,
      description: v.description ?? null,
      location: v.location ?? null,
      status: v.status,
      leadOrganisationId: leadId,
    });
    const project = await m.findOneByOrFail(Project, { id: r.identifiers[0].id as number });
    await writes.record({
      programmeId: programme.id,
      projectId: project.id,
      entity: 'project',
      entityId: project.id,
      action: 'create',
      after: project,
    });
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
        }),
      );
    }
    return {
      before: { project: null, allocations: [] },
      after: { project: { code: project.code, name: project.name, status: project.status }, allocations },
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

export interface ProjectStatusPayload {
  project: string;
}

function parseProject(payload: unknown) {
  const r = new PayloadReader();
  const o = r.object(payload, 'payload', ['project']);
  const project = o ? r.code(o, 'project', 'payload') : undefined;
  return { project, problems: r.problems };
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
    const p = (await projectsByCode(m, programme.id, [project])).get(project);
    if (!p)
      return [
        {
          field: 'payload.project',
          problem: `project "${project}" does not exist in this programme`,
          code: 'UNKNOWN_REFERENCE',
        },
      ];
    if (this.refuseFrom.includes(p.status))
      return [{ field: 'payload.project', problem: `project "${project}" is ${p.status}`, code: 'PROJECT_STATUS' }];
    return [];
  }

  async apply(
    m: EntityManager,
    programme: Programme,
    payload: ProjectStatusPayload,
    _a: unknown,
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
    const money = await this.applyMoney(m, before, writes);
    return {
      before: { project: { code, status: before.status }, allocations: money.before },
      after: { project: { code, status: after.status }, allocations: money.after },
    };
  }

  protected async applyMoney(
    _m: EntityManager,
    _p: Project,
    _w: ApprovedWrites,
  ): Promise<{ before: unknown[]; after: unknown[] }> {
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

/** Withdraw a project: its approved allocations become withdrawn, freeing envelope headroom. */
export class WithdrawProjectKind extends ProjectStatusKind {
  readonly kind = 'withdraw_project';
  readonly label = 'Withdraw a project (its approved money is freed)';
  protected readonly target = 'withdrawn' as const;
  protected readonly refuseFrom: ProjectStatus[] = ['withdrawn', 'complete'];

  protected async applyMoney(m: EntityManager, p: Project, writes: ApprovedWrites) {
    const rows = await m.find(Allocation, {
      where: { projectId: p.id, approvalState: 'approved' },
      order: { id: 'ASC' },
    });
    const before: unknown[] = [];
    const after: unknown[] = [];
    for (const a of rows.filter((x) => x.commitmentStatus !== 'withdrawn')) {
      const r = await writes.withdrawAllocation(a.id);
      before.push(r.before);
      after.push(r.after);
    }
    return { before, after };
  }

  protected sentence(project: string, ctx: DescribeContext): string {
    return `${verb(ctx, 'Withdraw', 'Withdrew')} ${project} from the programme: its approved money ${verb(ctx, 'is', 'was')} freed for other projects.`;
  }
}

/** Put a project on hold: its money stays allocated; delivery pauses. */
export class PutOnHoldKind extends ProjectStatusKind {
  readonly kind = 'put_on_hold';
  readonly label = 'Put a project on hold (its money stays allocated)';
  protected readonly target = 'on_hold' as const;
  protected readonly refuseFrom: ProjectStatus[] = ['withdrawn', 'complete', 'on_hold'];

  protected sentence(project: string, ctx: DescribeContext): string {
    return `${verb(ctx, 'Put', 'Put')} ${project} on hold; its money ${verb(ctx, 'stays', 'stayed')} allocated.`;
  }
}
