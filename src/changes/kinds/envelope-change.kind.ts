import { EntityManager } from 'typeorm';
import { displayPounds, formatPounds, parseAmount } from '../../common/money';
import { Programme } from '../../programmes/programme.entity';
import { effectiveEnvelopes } from '../envelope.queries';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext, ProgrammeLevel } from './kind';
import { Code, Pounds, validatePayload } from './payload-validation';
import { sourceKindCodes } from './references';

export class EnvelopeChangePayload {
  @Code() sourceKind: string;
  /** Signed: "1000000.00" raises the envelope, "-1000000.00" lowers it. */
  @Pounds('nonzero') delta: string;
}

function parse(payload: unknown) {
  const { value, problems } = validatePayload(EnvelopeChangePayload, payload);
  return { sourceKind: value?.sourceKind, deltaPence: value && parseAmount(value.delta), problems };
}

/**
 * The only way a source kind's envelope moves. Lowering it below the money already approved
 * is refused at approval by the envelope check, like any other breach.
 */
export class EnvelopeChangeKind implements ChangeKindHandler<EnvelopeChangePayload> {
  readonly kind = 'envelope_change';

  /** The envelope is the programme's money. */
  async programmeLevels(): Promise<ProgrammeLevel[]> {
    return ['programme money'];
  }
  readonly label = 'Envelope change: raise or lower the approved envelope of one source kind';

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { sourceKind, deltaPence, problems } = parse(payload);
    if (problems.length || !sourceKind || deltaPence === undefined) return problems;
    if (!(await sourceKindCodes(m)).has(sourceKind))
      return [
        {
          field: 'payload.sourceKind',
          problem: `source kind "${sourceKind}" does not exist`,
          code: 'UNKNOWN_REFERENCE',
        },
      ];
    const current = (await effectiveEnvelopes(m, programme.id)).effective[sourceKind] ?? 0;
    if (current + deltaPence < 0) {
      return [
        {
          field: 'payload.delta',
          problem: `would take the ${sourceKind} envelope from ${displayPounds(current)} below zero`,
          code: 'NEGATIVE_ENVELOPE',
        },
      ];
    }
    return [];
  }

  async apply(
    _m: EntityManager,
    _p: Programme,
    payload: EnvelopeChangePayload,
    _a: unknown,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { sourceKind, deltaPence } = parse(payload);
    const r = await writes.moveEnvelope(sourceKind!, deltaPence!);
    return {
      before: { envelope: { sourceKind, amount: formatPounds(r.beforePence) } },
      after: { envelope: { sourceKind, amount: formatPounds(r.afterPence) } },
    };
  }

  describe(payload: EnvelopeChangePayload, ctx: DescribeContext): string {
    const { sourceKind, deltaPence } = parse(payload);
    const kind = sourceKind ? ctx.kindLabel(sourceKind) : '?';
    if (deltaPence === undefined) return `Change the programme’s approved envelope of ${kind}.`;
    const v = deltaPence > 0 ? verb(ctx, 'Raise', 'Raised') : verb(ctx, 'Lower', 'Lowered');
    return `${v} the programme’s approved envelope of ${kind} by ${displayPounds(Math.abs(deltaPence))}.`;
  }
}
