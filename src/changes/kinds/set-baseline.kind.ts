import { EntityManager } from 'typeorm';
import { Actor } from '../../auth/actor';
import { displayPounds } from '../../common/money';
import { PeriodsService } from '../../periods/periods.service';
import { Programme } from '../../programmes/programme.entity';
import { BaselineService } from '../../spend/baseline.service';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext } from './kind';
import { PayloadReader } from './payload';
import { parseQuarterLines, quarterProblems, quartersAt } from './quarter-lines';
import { namedProject, projectsByCode, sourceKindCodes } from './references';

/** A project × source kind's whole baseline spend profile: quarters not listed are 0. */
export interface SetBaselinePayload {
  project: string;
  sourceKind: string;
  quarters: { quarter: string; amount: string }[];
}

/** Shape only: the quarters as a map of pence, or problems naming each bad field. */
export function parseQuarterAmounts(r: PayloadReader, raw: unknown[] | undefined, field: string) {
  return new Map(parseQuarterLines(r, raw, field, 'amount', 'nonnegative').map((l) => [l.quarter, l.pence]));
}

function parse(payload: unknown) {
  const r = new PayloadReader();
  const o = r.object(payload, 'payload', ['project', 'sourceKind', 'quarters']);
  const project = o ? r.code(o, 'project', 'payload') : undefined;
  const sourceKind = o ? r.code(o, 'sourceKind', 'payload') : undefined;
  const quarters = parseQuarterAmounts(
    r,
    o ? r.array(o, 'quarters', 'payload', 1, 200) : undefined,
    'payload.quarters',
  );
  return { project, sourceKind, quarters, problems: r.problems };
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
