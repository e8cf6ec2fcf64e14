import { EntityManager } from 'typeorm';
import { displayPounds, formatPounds } from '../../common/money';
import { COMMITMENT_STATUSES, CommitmentStatus } from '../../funding/allocation.entity';
import { periodCode } from '../../funding/period';
import { Programme } from '../../programmes/programme.entity';
import { parsePeriod } from '../../deal-loading/seed-validation';
import { MoneyLine, negativeLines, netPence } from '../engine/money';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext } from './kind';
import { PayloadReader } from './payload';
import { allocationsById, checkMovable, poolsByCode, projectsByCode, sourceKindCodes } from './references';

/** The request form: each line moves an existing allocation by a signed amount, or creates one. */
export interface ReallocationPayload {
  lines: ({ allocationId: number; delta: string } | { new: NewAllocationSpec; amount: string })[];
}

export interface NewAllocationSpec {
  sourceKind: string;
  project?: string;
  pool?: string;
  period: string;
  commitmentStatus: CommitmentStatus;
  description?: string;
}

type ParsedLine =
  | { op: 'adjust'; allocationId: number; deltaPence: number; field: string }
  | {
      op: 'create';
      spec: NewAllocationSpec;
      period: ReturnType<typeof parsePeriod>;
      amountPence: number;
      field: string;
    };

const LINE_FIELDS = ['allocationId', 'delta', 'new', 'amount'];
const NEW_FIELDS = ['sourceKind', 'project', 'pool', 'period', 'commitmentStatus', 'description'];

function signed(pence: number): string {
  return `${pence > 0 ? '+' : ''}${formatPounds(pence)}`;
}

/** Shape only, no database: the parsed lines, or problems naming each bad field. */
export function parseReallocation(payload: unknown): { lines: ParsedLine[]; problems: ChangeProblem[] } {
  const r = new PayloadReader();
  const lines: ParsedLine[] = [];
  const o = r.object(payload, 'payload', ['lines']);
  const raw = o ? r.array(o, 'lines', 'payload', 2) : undefined;
  raw?.forEach((l, i) => {
    const field = `payload.lines[${i}]`;
    const line = r.object(l, field, LINE_FIELDS);
    if (!line) return;
    if (line.allocationId !== undefined && line.new === undefined) {
      if (line.amount !== undefined)
        r.invalid(`${field}.amount`, 'goes with "new"; use "delta" to move an existing allocation');
      const allocationId = r.id(line, 'allocationId', field);
      const deltaPence = r.pounds(line, 'delta', field, 'nonzero');
      if (allocationId !== undefined && deltaPence !== undefined)
        lines.push({ op: 'adjust', allocationId, deltaPence, field });
    } else if (line.new !== undefined && line.allocationId === undefined) {
      if (line.delta !== undefined)
        r.invalid(`${field}.delta`, 'goes with "allocationId"; use "amount" for a new allocation');
      const spec = r.object(line.new, `${field}.new`, NEW_FIELDS);
      const amountPence = r.pounds(line, 'amount', field, 'positive');
      if (!spec) return;
      const nf = `${field}.new`;
      const sourceKind = r.code(spec, 'sourceKind', nf);
      const project = r.code(spec, 'project', nf, false);
      const pool = r.code(spec, 'pool', nf, false);
      if (project && pool) r.invalid(`${nf}.pool`, 'give a project or a pool, not both');
      const period = r.period(spec, 'period', nf);
      const commitmentStatus = r.oneOf(
        spec,
        'commitmentStatus',
        nf,
        COMMITMENT_STATUSES.filter((s) => s !== 'withdrawn'),
      );
      const description = r.string(spec, 'description', nf, { required: false, max: 2000 });
      if (sourceKind && period && commitmentStatus && amountPence !== undefined) {
        lines.push({
          op: 'create',
          spec: { sourceKind, project, pool, period: spec.period as string, commitmentStatus, description },
          period,
          amountPence,
          field,
        });
      }
    } else {
      r.invalid(
        field,
        'must have either "allocationId" and "delta" (move an existing allocation) or "new" and "amount" (create one)',
      );
    }
  });
  return { lines, problems: r.problems };
}

export function moneyLines(lines: ParsedLine[]): MoneyLine[] {
  return lines.map((l) =>
    l.op === 'adjust'
      ? { op: 'adjust', allocationId: l.allocationId, deltaPence: l.deltaPence }
      : { op: 'create', sourceKind: l.spec.sourceKind, amountPence: l.amountPence },
  );
}

/**
 * Virement: move approved money between projects, pools, source kinds or years. The lines must
 * net to zero; no allocation may go below zero. Whether a source kind may grow is the
 * envelope's business, checked at approval for every kind.
 */
export class ReallocationKind implements ChangeKindHandler<ReallocationPayload> {
  readonly kind = 'reallocation';
  readonly label = 'Virement: move approved money between projects, pools, source kinds or years (nets to zero)';

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { lines, problems } = parseReallocation(payload);
    if (problems.length) return problems;
    const adjusts = lines.filter((l) => l.op === 'adjust');
    const creates = lines.filter((l) => l.op === 'create');
    const allocations = await allocationsById(
      m,
      programme.id,
      adjusts.map((l) => l.allocationId),
    );
    const seen = new Set<number>();
    for (const l of adjusts) {
      if (seen.has(l.allocationId))
        problems.push({
          field: `${l.field}.allocationId`,
          problem: `allocation ${l.allocationId} appears on more than one line: combine them`,
          code: 'DUPLICATE_LINE',
        });
      seen.add(l.allocationId);
      checkMovable(allocations.get(l.allocationId), l.allocationId, `${l.field}.allocationId`, problems);
    }
    if (creates.length) {
      const kinds = await sourceKindCodes(m);
      const projects = await projectsByCode(
        m,
        programme.id,
        creates.flatMap((l) => (l.spec.project ? [l.spec.project] : [])),
      );
      const pools = await poolsByCode(
        m,
        programme.id,
        creates.flatMap((l) => (l.spec.pool ? [l.spec.pool] : [])),
      );
      for (const l of creates) {
        const nf = `${l.field}.new`;
        if (!kinds.has(l.spec.sourceKind))
          problems.push({
            field: `${nf}.sourceKind`,
            problem: `source kind "${l.spec.sourceKind}" does not exist`,
            code: 'UNKNOWN_REFERENCE',
          });
        const p = l.spec.project ? projects.get(l.spec.project) : undefined;
        if (l.spec.project && !p)
          problems.push({
            field: `${nf}.project`,
            problem: `project "${l.spec.project}" does not exist in this programme`,
            code: 'UNKNOWN_REFERENCE',
          });
        if (p?.status === 'withdrawn')
          problems.push({
            field: `${nf}.project`,
            problem: `project "${p.code}" is withdrawn: it cannot receive money`,
            code: 'PROJECT_WITHDRAWN',
          });
        if (l.spec.pool && !pools.get(l.spec.pool))
          problems.push({
            field: `${nf}.pool`,
            problem: `pool "${l.spec.pool}" does not exist in this programme`,
            code: 'UNKNOWN_REFERENCE',
          });
      }
    }
    if (problems.length) return problems;
    const ml = moneyLines(lines);
    const net = netPence(ml);
    if (net !== 0) {
      const parts = lines
        .map((l, i) => `lines[${i}] ${signed(l.op === 'adjust' ? l.deltaPence : l.amountPence)}`)
        .join(', ');
      problems.push({
        field: 'payload.lines',
        problem: `the lines do not balance: ${parts}; net ${signed(net)} (a reallocation must net to 0.00)`,
        code: 'UNBALANCED',
      });
    }
    const facts = [...allocations.values()].map((a) => ({
      id: a.id,
      sourceKind: a.sourceKind,
      amountPence: a.amountPence,
      withdrawn: false,
    }));
    for (const n of negativeLines(facts, ml)) {
      problems.push({
        field: `${lines[n.index].field}.delta`,
        problem: `would take allocation ${n.allocationId} from ${formatPounds(n.currentPence)} to ${formatPounds(n.resultPence)}: no allocation may go below 0.00`,
        code: 'NEGATIVE_ALLOCATION',
      });
    }
    return problems;
  }

  async apply(
    m: EntityManager,
    programme: Programme,
    payload: ReallocationPayload,
    _actor: unknown,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { lines } = parseReallocation(payload);
    const projects = await projectsByCode(
      m,
      programme.id,
      lines.flatMap((l) => (l.op === 'create' && l.spec.project ? [l.spec.project] : [])),
    );
    const pools = await poolsByCode(
      m,
      programme.id,
      lines.flatMap((l) => (l.op === 'create' && l.spec.pool ? [l.spec.pool] : [])),
    );
    const before: unknown[] = [];
    const after: unknown[] = [];
    for (const l of lines) {
      if (l.op === 'adjust') {
        const r = await writes.adjustAllocation(l.allocationId, l.deltaPence);
        before.push(r.before);
        after.push(r.after);
      } else {
        after.push(
          await writes.createAllocation({
            sourceKind: l.spec.sourceKind,
            projectId: l.spec.project ? projects.get(l.spec.project)!.id : null,
            poolId: l.spec.pool ? pools.get(l.spec.pool)!.id : null,
            ...l.period,
            amountPence: l.amountPence,
            commitmentStatus: l.spec.commitmentStatus,
            description: l.spec.description ?? null,
          }),
        );
      }
    }
    return { before: { allocations: before }, after: { allocations: after } };
  }

  /**
   * Plain words: "Moved £200,000.00 of Local Growth Fund award from Meaford employment site to
   * Lichfield Park employment site." Several lines are listed on each side.
   */
  describe(payload: ReallocationPayload, ctx: DescribeContext): string {
    const { lines } = parseReallocation(payload);
    const facts = (l: ParsedLine) =>
      l.op === 'adjust'
        ? (ctx.allocationFacts(l.allocationId) ?? {
            holder: ctx.allocation(l.allocationId),
            sourceKind: '?',
            kindLabel: 'money',
            period: 'unprofiled',
          })
        : {
            holder: l.spec.project
              ? ctx.projectName(l.spec.project)
              : l.spec.pool
                ? `the ${l.spec.pool} pool`
                : 'the programme',
            sourceKind: l.spec.sourceKind,
            kindLabel: ctx.kindLabel(l.spec.sourceKind),
            period: periodCode(l.period.periodKind, l.period.yearFrom, l.period.yearTo),
          };
    const amount = (l: ParsedLine) => Math.abs(l.op === 'adjust' ? l.deltaPence : l.amountPence);
    const from = lines.filter((l) => l.op === 'adjust' && l.deltaPence < 0);
    const to = lines.filter((l) => !(l.op === 'adjust' && l.deltaPence < 0));
    const moved = from.reduce((s, l) => s + amount(l), 0);
    const when = (p: string) => (p === 'unprofiled' ? '' : ` (${p})`);
    const isNew = (l: ParsedLine) => (l.op === 'create' ? ', a new allocation' : '');
    const verbed = verb(ctx, 'Move', 'Moved');
    if (from.length === 1 && to.length === 1) {
      const a = facts(from[0]);
      const b = facts(to[0]);
      if (a.sourceKind === b.sourceKind) {
        const periods = a.period === b.period ? when(a.period) : '';
        const fromP = a.period === b.period ? '' : when(a.period);
        const toP = a.period === b.period ? '' : when(b.period);
        return `${verbed} ${displayPounds(moved)} of ${a.kindLabel}${periods} from ${a.holder}${fromP} to ${b.holder}${toP}${isNew(to[0])}.`;
      }
      if (a.holder === b.holder)
        return `${verbed} ${displayPounds(moved)} of ${a.holder}’s funding from ${a.kindLabel}${when(a.period)} to ${b.kindLabel}${when(b.period)}${isNew(to[0])}.`;
      return `${verbed} ${displayPounds(moved)} from ${a.kindLabel} for ${a.holder}${when(a.period)} to ${b.kindLabel} for ${b.holder}${when(b.period)}${isNew(to[0])}.`;
    }
    const part = (l: ParsedLine) => {
      const f = facts(l);
      return `${displayPounds(amount(l))} of ${f.kindLabel} ${l.op === 'adjust' && l.deltaPence < 0 ? 'from' : 'to'} ${f.holder}${when(f.period)}${isNew(l)}`;
    };
    return `${verbed} ${displayPounds(moved)} in total: ${from.map(part).join(', ') || 'nothing'}; ${to.map(part).join(', ') || 'nothing'}.`;
  }

  allocationIds(payload: ReallocationPayload): number[] {
    return parseReallocation(payload).lines.flatMap((l) => (l.op === 'adjust' ? [l.allocationId] : []));
  }

  async projectIds(m: EntityManager, programme: Programme, payload: ReallocationPayload): Promise<number[]> {
    const { lines } = parseReallocation(payload);
    const allocs = await allocationsById(
      m,
      programme.id,
      lines.flatMap((l) => (l.op === 'adjust' ? [l.allocationId] : [])),
    );
    const projects = await projectsByCode(
      m,
      programme.id,
      lines.flatMap((l) => (l.op === 'create' && l.spec.project ? [l.spec.project] : [])),
    );
    return [
      ...[...allocs.values()].flatMap((a) => (a.projectId ? [a.projectId] : [])),
      ...[...projects.values()].map((p) => p.id),
    ];
  }
}
