import { EntityManager, In } from 'typeorm';
import { Actor } from '../../auth/actor';
import { displayPounds, formatPounds } from '../../common/money';
import { Allocation } from '../../funding/allocation.entity';
import { PeriodsService } from '../../periods/periods.service';
import { Programme } from '../../programmes/programme.entity';
import { SpendProfileLine } from '../../spend/spend.entities';
import { SpendService } from '../../spend/spend.service';
import { verb } from '../describe-context';
import { applyMoves, Baselines, BaselineMove, reprofileProblems, splitMoves, totalOf } from '../engine/reprofile';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext } from './kind';
import { Code, ListOf, QuarterDeltaDto, validatePayload } from './payload-validation';
import { quarterLines, quarterProblems } from './quarter-lines';
import { namedProject, projectsByCode } from './references';

/** Signed baseline moves between quarters of one project × source kind; they net to zero. */
export class ReprofileSpendPayload {
  @Code() project: string;
  @Code() sourceKind: string;
  @ListOf(() => QuarterDeltaDto, 2, 100) lines: QuarterDeltaDto[];
}

function parse(payload: unknown) {
  const { value, problems } = validatePayload(ReprofileSpendPayload, payload);
  const read = value ? quarterLines(value.lines, 'payload.lines', 'delta') : { lines: [], problems };
  const moves: (BaselineMove & { field: string })[] = read.lines.map((l) => ({
    quarter: l.quarter,
    deltaPence: l.pence,
    field: l.field,
  }));
  return { project: value?.project, sourceKind: value?.sourceKind, moves, problems: read.problems };
}

/**
 * Re-profile spend: move baseline (as approved) spend between quarters and years for one
 * project × source kind, same total. Quarters whose return is submitted are history and cannot
 * move. Applied through SpendService.applyBaseline inside the approval transaction.
 */
export class ReprofileSpendKind implements ChangeKindHandler<ReprofileSpendPayload> {
  readonly kind = 'reprofile_spend';
  readonly label = 'Re-profile spend: move a project’s baseline spend between quarters and years (same total)';

  constructor(
    private readonly spend: SpendService,
    private readonly periods: PeriodsService,
  ) {}

  /** Current baselines of the quarters the moves touch, and the line's whole total. */
  private async current(m: EntityManager, projectId: number, sourceKind: string, quarters: string[]) {
    const rows = await m.find(SpendProfileLine, { where: { projectId, sourceKind } });
    const all: Baselines = Object.fromEntries(rows.map((l) => [l.quarter, l.baselinePence]));
    const touched: Baselines = Object.fromEntries(quarters.map((q) => [q, all[q] ?? 0]));
    return { all, touched };
  }

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { project, sourceKind, moves, problems } = parse(payload);
    if (problems.length || !project || !sourceKind) return problems;
    const { project: p, problems: missing } = await namedProject(m, programme.id, project);
    if (!p) return missing;
    const held = await m.count(Allocation, {
      where: {
        programmeId: programme.id,
        projectId: p.id,
        sourceKind,
        approvalState: 'approved',
        commitmentStatus: In(['confirmed', 'provisional', 'indicative']),
      },
    });
    if (!held)
      return [
        {
          field: 'payload.sourceKind',
          problem: `${project} holds no approved ${sourceKind} allocation, so it has no ${sourceKind} spend profile to re-profile`,
          code: 'NO_PROJECT_ALLOCATION',
        },
      ];
    problems.push(
      ...quarterProblems(
        this.periods,
        programme,
        moves.map((mv) => ({ quarter: mv.quarter, field: `${mv.field}.quarter` })),
      ),
    );
    if (problems.length) return problems;
    const locked = await this.periods.submittedQuarters(m, programme.id);
    const { touched } = await this.current(
      m,
      p.id,
      sourceKind,
      moves.map((x) => x.quarter),
    );
    for (const x of reprofileProblems(touched, moves, locked)) {
      const field =
        x.index === null
          ? 'payload.lines'
          : x.code === 'PERIOD_LOCKED'
            ? `${moves[x.index].field}.quarter`
            : `${moves[x.index].field}.delta`;
      problems.push({ field, problem: x.problem, code: x.code });
    }
    return problems;
  }

  async apply(
    m: EntityManager,
    programme: Programme,
    payload: ReprofileSpendPayload,
    actor: Actor,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { project, sourceKind, moves } = parse(payload);
    const p = (await projectsByCode(m, programme.id, [project!])).get(project!)!;
    const { all, touched } = await this.current(
      m,
      p.id,
      sourceKind!,
      moves.map((x) => x.quarter),
    );
    const next = applyMoves(touched, moves);
    await this.spend.applyBaseline(
      m,
      actor,
      programme.id,
      moves.map((x) => ({
        projectId: p.id,
        sourceKind: sourceKind!,
        quarter: x.quarter,
        baselinePence: next[x.quarter],
      })),
      { changeRequest: writes.changeNumber },
    );
    const quarters = [...moves.map((x) => x.quarter)].sort();
    const side = (b: Baselines) => ({
      project,
      sourceKind,
      quarters: quarters.map((q) => ({ quarter: q, baseline: formatPounds(b[q] ?? 0) })),
      total: formatPounds(totalOf({ ...all, ...b })),
    });
    return { before: { spend: side(touched) }, after: { spend: side(next) } };
  }

  /** "Moved £300,000.00 of Branston Interchange’s Provisional … baseline spend from 2016-17 Q3 to 2017-18 Q3." */
  describe(payload: ReprofileSpendPayload, ctx: DescribeContext): string {
    const { project, sourceKind, moves } = parse(payload);
    const whose = `${project ? ctx.projectName(project) : 'a project'}’s ${sourceKind ? ctx.kindLabel(sourceKind) : ''} baseline spend`;
    const { out, into, movedPence } = splitMoves(moves);
    const list = (xs: BaselineMove[]) =>
      xs.length === 1
        ? xs[0].quarter
        : xs.map((x) => `${x.quarter} (${displayPounds(Math.abs(x.deltaPence))})`).join(', ');
    const net = moves.reduce((s, x) => s + x.deltaPence, 0);
    const balance = net === 0 ? 'same total' : `does not balance: net ${displayPounds(net)}`;
    return `${verb(ctx, 'Move', 'Moved')} ${displayPounds(movedPence)} of ${whose} from ${list(out) || 'nowhere'} to ${list(into) || 'nowhere'} (${balance}).`;
  }

  async projectIds(m: EntityManager, programme: Programme, payload: ReprofileSpendPayload): Promise<number[]> {
    const { project } = parse(payload);
    const p = project ? (await projectsByCode(m, programme.id, [project])).get(project) : undefined;
    return p ? [p.id] : [];
  }
}
