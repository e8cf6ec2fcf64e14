import { EntityManager } from 'typeorm';
import { displayPounds, formatPounds, parseAmount } from '../../common/money';
import { Programme } from '../../programmes/programme.entity';
import { BaselineService } from '../../spend/baseline.service';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext } from './kind';
import { Id, Nested, OneOf, Pounds, provenance, SourceDto, Text, validatePayload } from './payload-validation';
import { allocationsById, checkMovable } from './references';

export const REDUCTION_MODES = ['release', 'reduce_envelope'] as const;
export type ReductionMode = (typeof REDUCTION_MODES)[number];

/**
 * Money going down. `release`: a de-commitment, the money returns to the envelope's headroom
 * and is recycled within the programme. `reduce_envelope`: the funder recovers it, so the
 * envelope goes down with the allocation. Either way a reason and a reference are recorded.
 */
export class ReduceAllocationPayload {
  @Id() allocationId: number;
  /** Pounds taken off the allocation (positive). */
  @Pounds('positive') amount: string;
  @OneOf(REDUCTION_MODES) mode: ReductionMode;
  @Text(2000) reason: string;
  /** The decision's reference: board minute, funder's letter. */
  @Text(200) reference: string;
  /** Where the figure comes from (document, quote, optional section and printed figure). */
  @Nested(() => SourceDto, { optional: true }) source?: SourceDto;
}

function parse(payload: unknown) {
  const { value: v, problems } = validatePayload(ReduceAllocationPayload, payload);
  return {
    allocationId: v?.allocationId,
    amountPence: v && parseAmount(v.amount),
    mode: v?.mode,
    reason: v?.reason,
    reference: v?.reference,
    source: provenance(v?.source),
    problems,
  };
}

export class ReduceAllocationKind implements ChangeKindHandler<ReduceAllocationPayload> {
  readonly kind = 'reduce_allocation';
  readonly label =
    'Reduce an allocation: release the money to headroom, or reduce the envelope (the funder recovers it)';

  constructor(private readonly baselines: BaselineService) {}

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { allocationId, amountPence, problems } = parse(payload);
    if (problems.length || allocationId === undefined || amountPence === undefined) return problems;
    const a = (await allocationsById(m, programme.id, [allocationId])).get(allocationId);
    if (!checkMovable(a, allocationId, 'payload.allocationId', problems)) return problems;
    if (amountPence > a.amountPence)
      return [
        {
          field: 'payload.amount',
          problem: `allocation ${allocationId} is ${formatPounds(a.amountPence)}: it cannot be reduced by ${formatPounds(amountPence)}`,
          code: 'NEGATIVE_ALLOCATION',
        },
      ];
    if (a.projectId) {
      const allocated = await this.baselines.allocationPence(m, programme.id, a.projectId, a.sourceKind);
      const spent = await this.baselines.spentPence(m, programme, a.projectId, a.sourceKind);
      if (allocated - amountPence < spent)
        return [
          {
            field: 'payload.amount',
            problem: `would take the project's ${a.sourceKind} allocation to ${formatPounds(allocated - amountPence)}, below the ${formatPounds(spent)} it has spent: reduce by at most ${formatPounds(Math.max(0, allocated - spent))}, or record the promoter's repayment first`,
            code: 'BELOW_SPEND',
          },
        ];
    }
    return [];
  }

  async apply(
    _m: EntityManager,
    _p: Programme,
    payload: ReduceAllocationPayload,
    _a: unknown,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { allocationId, amountPence, mode, reason, reference, source } = parse(payload);
    const r = await writes.adjustAllocation(allocationId!, -amountPence!);
    const decision = { mode, amount: formatPounds(amountPence!), reason, reference, ...(source ? { source } : {}) };
    if (mode === 'reduce_envelope') {
      const e = await writes.moveEnvelope(r.before.sourceKind, -amountPence!);
      return {
        before: { allocations: [r.before], envelopeAmount: formatPounds(e.beforePence) },
        after: { allocations: [r.after], envelopeAmount: formatPounds(e.afterPence), reduction: decision },
      };
    }
    return { before: { allocations: [r.before] }, after: { allocations: [r.after], reduction: decision } };
  }

  describe(payload: ReduceAllocationPayload, ctx: DescribeContext): string {
    const { allocationId, amountPence, mode, reason, reference } = parse(payload);
    const f = allocationId ? ctx.allocationFacts(allocationId) : undefined;
    const what = f ? `${f.holder}’s ${f.kindLabel}` : 'an allocation';
    const how =
      mode === 'reduce_envelope'
        ? `the programme’s envelope ${verb(ctx, 'goes', 'went')} down with it (the funder recovers the money)`
        : `the money ${verb(ctx, 'returns', 'returned')} to the envelope’s headroom for other projects`;
    return `${verb(ctx, 'Reduce', 'Reduced')} ${what} by ${amountPence ? displayPounds(amountPence) : '?'}: ${how}. Reason: ${reason ?? '?'} (ref. ${reference ?? '?'}).`;
  }

  allocationIds(payload: ReduceAllocationPayload): number[] {
    const { allocationId } = parse(payload);
    return allocationId ? [allocationId] : [];
  }

  async projectIds(m: EntityManager, programme: Programme, payload: ReduceAllocationPayload): Promise<number[]> {
    const { allocationId } = parse(payload);
    const a = allocationId ? (await allocationsById(m, programme.id, [allocationId])).get(allocationId) : undefined;
    return a?.projectId ? [a.projectId] : [];
  }
}
