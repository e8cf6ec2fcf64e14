import { EntityManager } from 'typeorm';
import { Actor } from '../../auth/actor';
import { displayPounds } from '../../common/money';
import { PeriodsService } from '../../periods/periods.service';
import { Programme } from '../../programmes/programme.entity';
import { BaselineService } from '../../spend/baseline.service';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext } from './kind';
import { Code, ListOf, QuarterAmountDto, validatePayload } from './payload-validation';
import { quarterAmounts, quarterProblems, quartersAt } from './quarter-lines';
import { namedProject, projectsByCode, sourceKindCodes } from './references';

/** A project × source kind's whole baseline spend profile: quarters not listed are 0. */
export class SetBaselinePayload {
  @Code() project: string;
  @Code() sourceKind: string;
  @ListOf(() => QuarterAmountDto, 1, 200) quarters: QuarterAmountDto[];
}

function parse(payload: unknown) {
  const { value, problems } = validatePayload(SetBaselinePayload, payload);
  const read = value
    ? quarterAmounts(value.quarters, 'payload.quarters')
    : { quarters: new Map<string, number>(), problems };
  return { project: value?.project, sourceKind: value?.sourceKind, ...read };
}

/**
 * Set (or replace) a project's baseline spend profile for one source kind through the approval
 * path: the quarters must add up to its approved allocation exactly, lie inside the programme,
 * and leave submitted quarters as they are. The way a programme entered through the API gets
 * a baseline (add_project and new reallocation lines may also carry one).
 */
export class SetBaselineKind implements ChangeKindHandler<SetBaselinePayload> {
  readonly kind = 'set_baseline';
  readonly label = 'Set a project’s baseline spend profile for one source (adds up to its allocation)';

  constructor(
    private readonly baselines: BaselineService,
    private readonly periods: PeriodsService,
  ) {}

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { project, sourceKind, quarters, problems } = parse(payload);
    if (problems.length || !project || !sourceKind) return problems;
    const { project: p, problems: missing } = await namedProject(m, programme.id, project);
    if (!p) return missing;
    if (!(await sourceKindCodes(m)).has(sourceKind))
      return [
        {
          field: 'payload.sourceKind',
          problem: `source kind "${sourceKind}" does not exist`,
          code: 'UNKNOWN_REFERENCE',
        },
      ];
    return [
      ...quarterProblems(this.periods, programme, quartersAt(quarters, 'payload.quarters')),
      ...(await this.baselines.replaceProblems(m, programme, p.id, sourceKind, quarters)).map((x) => ({
        field: 'payload.quarters',
        ...x,
      })),
    ];
  }

  async apply(
    m: EntityManager,
    programme: Programme,
    payload: SetBaselinePayload,
    actor: Actor,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { project, sourceKind, quarters } = parse(payload);
    const p = (await projectsByCode(m, programme.id, [project!])).get(project!)!;
    const moved = await this.baselines.replace(m, actor, programme, p.id, sourceKind!, quarters, {
      changeRequest: writes.changeNumber,
    });
    return {
      before: { baseline: moved.map((x) => ({ quarter: x.quarter, baseline: x.baselineBefore })) },
      after: { baseline: moved.map((x) => ({ quarter: x.quarter, baseline: x.baselineAfter })), project, sourceKind },
    };
  }

  describe(payload: SetBaselinePayload, ctx: DescribeContext): string {
    const { project, sourceKind, quarters } = parse(payload);
    const total = [...quarters.values()].reduce((s, v) => s + v, 0);
    const qs = [...quarters.keys()].sort();
    const span = qs.length
      ? ` over ${qs.length} quarter${qs.length === 1 ? '' : 's'} (${qs[0]} to ${qs[qs.length - 1]})`
      : '';
    return `${verb(ctx, 'Set', 'Set')} ${project ? ctx.projectName(project) : 'a project'}’s ${sourceKind ? ctx.kindLabel(sourceKind) : ''} baseline spend profile: ${displayPounds(total)}${span}.`;
  }

  async projectIds(m: EntityManager, programme: Programme, payload: SetBaselinePayload): Promise<number[]> {
    const { project } = parse(payload);
    const p = project ? (await projectsByCode(m, programme.id, [project])).get(project) : undefined;
    return p ? [p.id] : [];
  }
}
