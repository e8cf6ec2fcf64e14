import { EntityManager } from 'typeorm';
import { displayPounds, formatPounds } from '../../common/money';
import { periodCode } from '../../funding/period';
import { Programme } from '../../programmes/programme.entity';
import { parsePeriod } from '../../funding/period';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext } from './kind';
import { PayloadReader } from './payload';
import { allocationsById, checkMovable } from './references';

/** Split (or move) one allocation's money across financial years or periods; same total. */
export interface ReprofileYearsPayload {
  allocationId: number;
  periods: { period: string; amount: string }[];
}

function parse(payload: unknown) {
  const r = new PayloadReader();
  const o = r.object(payload, 'payload', ['allocationId', 'periods']);
  const allocationId = o ? r.id(o, 'allocationId', 'payload') : undefined;
  const periods: { code: string; period: ReturnType<typeof parsePeriod>; amountPence: number }[] = [];
  const seen = new Set<string>();
  (o ? r.array(o, 'periods', 'payload', 1, 50) : undefined)?.forEach((x, i) => {
    const f = `payload.periods[${i}]`;
    const line = r.object(x, f, ['period', 'amount']);
    if (!line) return;
    const period = r.period(line, 'period', f);
    const amountPence = r.pounds(line, 'amount', f, 'positive');
    if (!period || amountPence === undefined) return;
    const code = periodCode(period.periodKind, period.yearFrom, period.yearTo);
    if (seen.has(code)) r.invalid(`${f}.period`, `${code} appears twice`);
    seen.add(code);
    periods.push({ code, period, amountPence });
  });
  return { allocationId, periods, problems: r.problems };
}

/**
 * Re-profile years: the allocation keeps the first period's amount (its period changes to it);
 * each further period becomes a new approved allocation with the same source, project or pool
 * and commitment status. The total must equal the allocation's amount exactly.
 */
export class ReprofileYearsKind implements ChangeKindHandler<ReprofileYearsPayload> {
  readonly kind = 'reprofile_years';
  readonly label = 'Re-profile: move an allocation’s money between financial years or periods (same total)';

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { allocationId, periods, problems } = parse(payload);
    if (problems.length || allocationId === undefined) return problems;
    const a = (await allocationsById(m, programme.id, [allocationId])).get(allocationId);
    if (!checkMovable(a, allocationId, 'payload.allocationId', problems)) return problems;
    const total = periods.reduce((s, p) => s + p.amountPence, 0);
    if (total !== a.amountPence) {
      problems.push({
        field: 'payload.periods',
        problem: `the periods add up to ${formatPounds(total)} but allocation ${allocationId} is ${formatPounds(a.amountPence)} (difference ${formatPounds(total - a.amountPence)}): a re-profile keeps the same total`,
        code: 'UNBALANCED',
      });
    }
    return problems;
  }

  async apply(
    _m: EntityManager,
    _p: Programme,
    payload: ReprofileYearsPayload,
    _a: unknown,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { allocationId, periods } = parse(payload);
    const a = await writes.allocation(allocationId!);
    const [first, ...rest] = periods;
    const moved = await writes.reperiodAllocation(a.id, first.period, first.amountPence);
    const created = [];
    for (const p of rest) {
      created.push(
        await writes.createAllocation({
          sourceKind: a.sourceKind,
          projectId: a.projectId,
          poolId: a.poolId,
          ...p.period,
          amountPence: p.amountPence,
          commitmentStatus: a.commitmentStatus,
          description: a.description,
        }),
      );
    }
    return { before: { allocations: [moved.before] }, after: { allocations: [moved.after, ...created] } };
  }

  describe(payload: ReprofileYearsPayload, ctx: DescribeContext): string {
    const { allocationId, periods } = parse(payload);
    const f = allocationId ? ctx.allocationFacts(allocationId) : undefined;
    const what = f
      ? `${f.holder}’s ${f.kindLabel}${f.period === 'unprofiled' ? '' : ` (${f.period})`}`
      : allocationId
        ? ctx.allocation(allocationId)
        : 'an allocation';
    return `${verb(ctx, 'Re-profile', 'Re-profiled')} ${what} across years, same total: ${periods.map((p) => `${displayPounds(p.amountPence)} in ${p.code}`).join(', ')}.`;
  }

  allocationIds(payload: ReprofileYearsPayload): number[] {
    const { allocationId } = parse(payload);
    return allocationId ? [allocationId] : [];
  }

  async projectIds(m: EntityManager, programme: Programme, payload: ReprofileYearsPayload): Promise<number[]> {
    const { allocationId } = parse(payload);
    const a = allocationId ? (await allocationsById(m, programme.id, [allocationId])).get(allocationId) : undefined;
    return a?.projectId ? [a.projectId] : [];
  }
}
