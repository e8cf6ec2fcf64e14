import { Provenance } from '../../common/provenance';
import { EntityManager, In } from 'typeorm';
import { Actor } from '../../auth/actor';
import { Allocation } from '../../funding/allocation.entity';
import { PeriodsService } from '../../periods/periods.service';
import { Project } from '../../projects/project.entity';
import { BaselineService } from '../../spend/baseline.service';
import { ValidateIf } from 'class-validator';
import { baselineOf, quarterProblems, quartersAt } from './quarter-lines';
import { displayPounds, formatPounds, parseAmount, parsePounds } from '../../common/money';
import { periodCode, periodOutsideProgramme, programmeYearSpan } from '../../funding/period';
import { Programme } from '../../programmes/programme.entity';
import { parsePeriod } from '../../funding/period';
import { MoneyLine, negativeLines } from '../engine/money-lines';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext, ProgrammeLevel } from './kind';
import { ChangeRequest } from '../change-request.entity';
import {
  Code,
  Id,
  invalid,
  ListOf,
  Nested,
  NewAllocationFields,
  Pounds,
  provenance,
  validatePayload,
} from './payload-validation';
import {
  allocationsById,
  checkMovable,
  poolsByCode,
  projectsByCode,
  sourceKindCodes,
  unknownProject,
} from './references';

type LineKind = 'headroom' | 'adjust' | 'create' | 'unclear';

/** Which fields a line carries decides what it is, and so which of its fields are checked. */
function lineKind(l: ReallocationLine): LineKind {
  if (l.headroom !== undefined) return 'headroom';
  if (l.allocationId !== undefined && l.new === undefined) return 'adjust';
  if (l.new !== undefined && l.allocationId === undefined) return 'create';
  return 'unclear';
}

const ForKinds = (...kinds: LineKind[]) => ValidateIf((l: ReallocationLine) => kinds.includes(lineKind(l)));

export class NewAllocationSpec extends NewAllocationFields {
  @Code({ optional: true }) project?: string | null;
  @Code({ optional: true }) pool?: string | null;
}

/**
 * One line of the request form: moves an existing allocation by a signed amount
 * ("allocationId", "delta"), creates one ("new", "amount"), or moves the envelope's unallocated
 * money of one source kind ("headroom", "delta": "+x" releases x to it, "-x" draws x from it).
 */
class ReallocationLine {
  @ForKinds('adjust') @Id() allocationId?: number;
  @ForKinds('adjust', 'headroom') @Pounds('nonzero') delta?: string;
  @ForKinds('create') @Nested(() => NewAllocationSpec) new?: NewAllocationSpec;
  @ForKinds('create') @Pounds('positive') amount?: string;
  @ForKinds('headroom') @Code() headroom?: string;
}

export class ReallocationPayload {
  @ListOf(() => ReallocationLine) lines: ReallocationLine[];
}

type ParsedLine =
  | { op: 'adjust'; allocationId: number; deltaPence: number; field: string }
  | {
      op: 'create';
      spec: Omit<NewAllocationSpec, 'baseline' | 'source'>;
      period: ReturnType<typeof parsePeriod>;
      amountPence: number;
      baseline?: Map<string, number>;
      source?: Provenance;
      field: string;
    }
  | {
      op: 'headroom';
      sourceKind: string;
      deltaPence: number;
      field: string;
      /** A line that named a withdrawn project's allocation: its money already went to the headroom. */
      from?: { project: string; allocationId: number; changeRequest: number };
    };

/** A line's effect on approved money (a headroom line moves none: it balances the others). */
const lineMoney = (l: ParsedLine) => (l.op === 'adjust' ? l.deltaPence : l.op === 'create' ? l.amountPence : 0);
const lineSigned = (l: ParsedLine) => (l.op === 'create' ? l.amountPence : l.deltaPence);

function signed(pence: number): string {
  return `${pence > 0 ? '+' : ''}${formatPounds(pence)}`;
}

/** A new allocation's line, read: a project or a pool, a baseline only for a project's. */
function createLine(line: ReallocationLine, field: string, problems: ChangeProblem[]): ParsedLine {
  const spec = line.new!;
  const nf = `${field}.new`;
  const project = spec.project ?? undefined;
  const pool = spec.pool ?? undefined;
  if (line.delta !== undefined)
    problems.push(invalid(`${field}.delta`, 'goes with "allocationId"; use "amount" for a new allocation'));
  if (project && pool) problems.push(invalid(`${nf}.pool`, 'give a project or a pool, not both'));
  if (spec.baseline && !project)
    problems.push(invalid(`${nf}.baseline`, 'only a project’s allocation has a baseline spend profile'));
  const amountPence = parseAmount(line.amount);
  const { baseline, problems: b } = baselineOf(spec, amountPence, nf, 'the new allocation');
  problems.push(...b);
  const { sourceKind, period, commitmentStatus } = spec;
  return {
    op: 'create',
    spec: { sourceKind, project, pool, period, commitmentStatus, description: spec.description ?? undefined },
    period: parsePeriod(period),
    amountPence,
    baseline,
    source: provenance(spec.source),
    field,
  };
}

/** No database: the parsed lines, or problems naming each bad field. */
export function parseReallocation(payload: unknown): { lines: ParsedLine[]; problems: ChangeProblem[] } {
  const { value, problems } = validatePayload(ReallocationPayload, payload);
  const lines: ParsedLine[] = [];
  value?.lines.forEach((line, i) => {
    const field = `payload.lines[${i}]`;
    const kind = lineKind(line);
    if (kind === 'headroom') {
      if (line.allocationId !== undefined || line.new !== undefined || line.amount !== undefined)
        problems.push(invalid(field, 'a headroom line has only "headroom" (a source kind) and "delta"'));
      lines.push({ op: 'headroom', sourceKind: line.headroom!, deltaPence: parseAmount(line.delta), field });
    } else if (kind === 'adjust') {
      if (line.amount !== undefined)
        problems.push(invalid(`${field}.amount`, 'goes with "new"; use "delta" to move an existing allocation'));
      lines.push({ op: 'adjust', allocationId: line.allocationId!, deltaPence: parseAmount(line.delta), field });
    } else if (kind === 'create') lines.push(createLine(line, field, problems));
    else
      problems.push(
        invalid(
          field,
          'must have either "allocationId" and "delta" (move an existing allocation), "new" and "amount" (create one) or "headroom" and "delta" (release to or draw from the envelope’s headroom)',
        ),
      );
  });
  return { lines, problems };
}

export function moneyLines(lines: ParsedLine[]): MoneyLine[] {
  return lines.flatMap((l): MoneyLine[] =>
    l.op === 'adjust'
      ? [{ op: 'adjust', allocationId: l.allocationId, deltaPence: l.deltaPence }]
      : l.op === 'create'
        ? [{ op: 'create', sourceKind: l.spec.sourceKind, amountPence: l.amountPence }]
        : [],
  );
}

/**
 * Virement: move approved money between projects, pools, source kinds or years. The lines must
 * net to zero; no allocation may go below zero. Whether a source kind may grow is the
 * envelope's business, checked at approval for every kind.
 */
export class ReallocationKind implements ChangeKindHandler<ReallocationPayload> {
  readonly kind = 'reallocation';
  readonly label =
    'Virement: move approved money between projects, pools, source kinds, years and the envelope’s headroom (nets to zero)';

  constructor(
    private readonly baselines: BaselineService,
    private readonly periods: PeriodsService,
  ) {}

  /**
   * Order does not matter where the result is the same: a line taking money from a withdrawn
   * project (reallocate after withdrawing, instead of before) draws on the headroom that the
   * withdrawal released, up to what it released of that source kind. The end state is the same
   * as moving the money first and withdrawing after.
   */
  private async fromWithdrawn(
    m: EntityManager,
    programme: Programme,
    lines: ParsedLine[],
  ): Promise<{ lines: ParsedLine[]; problems: ChangeProblem[] }> {
    const problems: ChangeProblem[] = [];
    // Only a move to somewhere: releasing a withdrawn project's money again is refused as below its spend.
    if (!lines.some((l) => lineMoney(l) > 0)) return { lines, problems };
    const taking = lines.flatMap((l) => (l.op === 'adjust' && l.deltaPence < 0 ? [l] : []));
    const allocations = await allocationsById(
      m,
      programme.id,
      taking.map((l) => l.allocationId),
    );
    const ids = [...new Set([...allocations.values()].flatMap((a) => (a.projectId ? [a.projectId] : [])))];
    const withdrawn = new Map(
      (ids.length ? await m.find(Project, { where: { id: In(ids), status: 'withdrawn' } }) : []).map((p) => [p.id, p]),
    );
    if (!withdrawn.size) return { lines, problems };
    const released = new Map<string, { pence: number; changeRequest: number }>();
    const withdrawals = await m.find(ChangeRequest, {
      where: { programmeId: programme.id, kind: 'withdraw_project', state: 'approved' },
      order: { number: 'ASC' },
    });
    for (const cr of withdrawals) {
      const code = (cr.payload as { project?: string })?.project;
      const spent = (cr.after as { spent?: { sourceKind: string; released: string }[] } | null)?.spent ?? [];
      for (const x of spent)
        released.set(`${code}|${x.sourceKind}`, { pence: parsePounds(x.released), changeRequest: cr.number });
    }
    const drawn = new Map<string, number>();
    const out = lines.map((l): ParsedLine => {
      if (l.op !== 'adjust' || l.deltaPence >= 0) return l;
      const a = allocations.get(l.allocationId);
      const p = a?.projectId ? withdrawn.get(a.projectId) : undefined;
      if (!a || !p) return l;
      const key = `${p.code}|${a.sourceKind}`;
      const r = released.get(key) ?? { pence: 0, changeRequest: 0 };
      const total = (drawn.get(key) ?? 0) - l.deltaPence;
      drawn.set(key, total);
      if (total > r.pence)
        problems.push({
          field: `${l.field}.delta`,
          problem: `project "${p.code}" is withdrawn: its withdrawal${r.changeRequest ? ` (change request ${r.changeRequest})` : ''} released ${formatPounds(r.pence)} of ${a.sourceKind} to the envelope's headroom, and what it spent stays allocated to it; take at most ${formatPounds(r.pence)} (lines naming its allocations draw on that headroom), or record the promoter's repayment first`,
          code: 'BELOW_SPEND',
        });
      return {
        op: 'headroom',
        sourceKind: a.sourceKind,
        deltaPence: l.deltaPence,
        field: l.field,
        from: { project: p.code, allocationId: a.id, changeRequest: r.changeRequest },
      };
    });
    return { lines: out, problems };
  }

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const parsed = parseReallocation(payload);
    if (parsed.problems.length) return parsed.problems;
    const { lines, problems } = await this.fromWithdrawn(m, programme, parsed.lines);
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
        if (l.spec.project && !p) problems.push(unknownProject(l.spec.project, `${nf}.project`));
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
        const outside = periodOutsideProgramme(l.period, l.spec.period, programmeYearSpan(programme));
        if (outside) problems.push({ field: `${nf}.period`, problem: outside, code: 'YEAR_OUTSIDE_PROGRAMME' });
      }
    }
    for (const l of creates) {
      if (l.baseline)
        problems.push(...quarterProblems(this.periods, programme, quartersAt(l.baseline, `${l.field}.new.baseline`)));
    }
    if (problems.length) return problems;
    const ml = moneyLines(lines);
    const facts = [...allocations.values()].map((a) => ({
      id: a.id,
      sourceKind: a.sourceKind,
      amountPence: a.amountPence,
      withdrawn: false,
    }));
    const adjustIndex = lines.flatMap((l, i) => (l.op === 'headroom' ? [] : [i]));
    for (const n of negativeLines(facts, ml)) {
      problems.push({
        field: `${lines[adjustIndex[n.index]].field}.delta`,
        problem: `would take allocation ${n.allocationId} from ${formatPounds(n.currentPence)} to ${formatPounds(n.resultPence)}: no allocation may go below 0.00`,
        code: 'NEGATIVE_ALLOCATION',
      });
    }
    problems.push(...this.balanceProblems(lines, allocations));
    if (problems.length) return problems;
    problems.push(...(await this.projectProblems(m, programme, lines, allocations)));
    problems.push(...(await this.headroomProblems(m, lines)));
    return problems;
  }

  /**
   * Lines net to zero, the envelope's headroom counting as a line. Lines that all move money
   * the same way (a one-line release, or draws only) need no headroom line: the difference
   * plainly goes to or comes from the headroom. Mixed lines that do not balance are refused
   * with the line that would make them balance.
   */
  private balanceProblems(lines: ParsedLine[], allocations: Map<number, Allocation>): ChangeProblem[] {
    const net = lines.reduce((s, l) => s + lineSigned(l), 0);
    if (!Number.isSafeInteger(net)) throw new RangeError('net movement is too large');
    const money = lines.filter((l) => l.op !== 'headroom').map(lineMoney);
    if (!money.length)
      return [
        {
          field: 'payload.lines',
          problem:
            'moves no approved money: add a line giving it to an allocation ({"allocationId","delta"}) or to a new one ({"new","amount"})',
          code: 'NO_CHANGE',
        },
      ];
    const oneWay =
      !lines.some((l) => l.op === 'headroom' && !l.from) && (money.every((x) => x > 0) || money.every((x) => x < 0));
    if (net === 0 || oneWay) return [];
    const parts = lines.map((l, i) => `lines[${i}] ${signed(lineSigned(l))}`).join(', ');
    const kindOf = (l: ParsedLine) =>
      l.op === 'adjust'
        ? allocations.get(l.allocationId)?.sourceKind
        : l.op === 'create'
          ? l.spec.sourceKind
          : l.sourceKind;
    const kind = lines.map(kindOf).find((k) => k) ?? 'LGF';
    return [
      {
        field: 'payload.lines',
        problem: `the lines do not balance: ${parts}; net ${signed(net)} (a reallocation must net to 0.00; to ${net < 0 ? 'release the difference to' : 'draw the difference from'} the envelope's headroom, add the line {"headroom":"${kind}","delta":"${signed(-net)}"})`,
        code: 'UNBALANCED',
      },
    ];
  }

  /** Money never goes to a withdrawn project, and spent money is never taken from a project. */
  private async projectProblems(
    m: EntityManager,
    programme: Programme,
    lines: ParsedLine[],
    allocations: Map<number, Allocation>,
  ): Promise<ChangeProblem[]> {
    const problems: ChangeProblem[] = [];
    const projects = new Map(
      (
        await m.find(Project, {
          where: { id: In([...allocations.values()].flatMap((a) => (a.projectId ? [a.projectId] : []))) },
        })
      ).map((p) => [p.id, p]),
    );
    const byLine = new Map<string, { projectId: number; sourceKind: string; delta: number; field: string }>();
    for (const l of lines) {
      if (l.op !== 'adjust') continue;
      const a = allocations.get(l.allocationId)!;
      if (!a.projectId) continue;
      const p = projects.get(a.projectId);
      if (p?.status === 'withdrawn' && l.deltaPence > 0)
        problems.push({
          field: `${l.field}.delta`,
          problem: `project "${p.code}" is withdrawn: it cannot receive money (reinstate_project first)`,
          code: 'PROJECT_WITHDRAWN',
        });
      const key = `${a.projectId}|${a.sourceKind}`;
      const x = byLine.get(key) ?? { projectId: a.projectId, sourceKind: a.sourceKind, delta: 0, field: l.field };
      x.delta += l.deltaPence;
      byLine.set(key, x);
    }
    for (const x of byLine.values()) {
      if (x.delta >= 0) continue;
      const allocated = await this.baselines.allocationPence(m, programme.id, x.projectId, x.sourceKind);
      const spent = await this.baselines.spentPence(m, programme, x.projectId, x.sourceKind);
      if (allocated + x.delta < spent) {
        const code = [...projects.values()].find((p) => p.id === x.projectId)?.code ?? String(x.projectId);
        problems.push({
          field: `${x.field}.delta`,
          problem: `would take ${code}'s ${x.sourceKind} allocation to ${formatPounds(allocated + x.delta)}, below the ${formatPounds(spent)} it has spent: spent money stays allocated (a repayment, recorded as a negative spend line, returns it)`,
          code: 'BELOW_SPEND',
        });
      }
    }
    return problems;
  }

  /** Headroom lines name a real source kind. Whether the headroom holds the money is the envelope check's business at approval (a draft may wait for an envelope change). */
  private async headroomProblems(m: EntityManager, lines: ParsedLine[]): Promise<ChangeProblem[]> {
    const kinds = await sourceKindCodes(m);
    return lines.flatMap((l) =>
      l.op === 'headroom' && !kinds.has(l.sourceKind)
        ? [
            {
              field: `${l.field}.headroom`,
              problem: `source kind "${l.sourceKind}" does not exist`,
              code: 'UNKNOWN_REFERENCE',
            },
          ]
        : [],
    );
  }

  async apply(
    m: EntityManager,
    programme: Programme,
    payload: ReallocationPayload,
    actor: Actor,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { lines } = await this.fromWithdrawn(m, programme, parseReallocation(payload).lines);
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
    const headroom: { sourceKind: string; delta: string; releasedBy?: unknown }[] = [];
    for (const l of lines) {
      if (l.op === 'headroom') {
        headroom.push({
          sourceKind: l.sourceKind,
          delta: signed(l.deltaPence),
          ...(l.from ? { releasedBy: { withdrawnProject: l.from.project, changeRequest: l.from.changeRequest } } : {}),
        });
      } else if (l.op === 'adjust') {
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
            source: l.source,
          }),
        );
      }
    }
    // A new allocation's own baseline is added to the line's profile (the approval then moves
    // the line's baseline for any other line of this change).
    for (const l of lines) {
      if (l.op !== 'create' || !l.baseline) continue;
      const projectId = projects.get(l.spec.project!)!.id;
      const merged = new Map(
        (await this.baselines.rows(m, projectId, l.spec.sourceKind)).map((r) => [r.quarter, r.baselinePence]),
      );
      for (const [q, p] of l.baseline) merged.set(q, (merged.get(q) ?? 0) + p);
      await this.baselines.replace(m, actor, programme, projectId, l.spec.sourceKind, merged, {
        changeRequest: writes.changeNumber,
      });
    }
    return {
      before: { allocations: before },
      after: { allocations: after, ...(headroom.length ? { headroom } : {}) },
    };
  }

  /**
   * Plain words: "Moved £200,000.00 of Local Growth Fund award from Meaford employment site to
   * Lichfield Park employment site." Several lines are listed on each side.
   */
  describe(payload: ReallocationPayload, ctx: DescribeContext): string {
    const { lines } = parseReallocation(payload);
    const headroomFacts = (k: string) => ({
      holder: 'the envelope’s headroom',
      sourceKind: k,
      kindLabel: ctx.kindLabel(k),
      period: 'unprofiled',
    });
    const facts = (l: ParsedLine) =>
      l.op === 'adjust'
        ? (ctx.allocationFacts(l.allocationId) ?? {
            holder: ctx.allocation(l.allocationId),
            sourceKind: '?',
            kindLabel: 'money',
            period: 'unprofiled',
          })
        : l.op === 'headroom'
          ? headroomFacts(l.sourceKind)
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
    // Each side of the move: [facts, amount, a new allocation?]. Headroom lines are a side too.
    type Side = { f: ReturnType<typeof facts>; pence: number; isNew: boolean };
    const sides = lines.map((l) => ({ f: facts(l), pence: lineSigned(l), isNew: l.op === 'create' }));
    // A headroom line's sign is the headroom's change: money into it is a "to" side.
    const out = (x: Side) => x.pence < 0;
    let from: Side[] = sides.filter((x) => out(x));
    let to: Side[] = sides.filter((x) => !out(x));
    const kindOf = (xs: Side[]) => xs[0]?.f.sourceKind ?? '?';
    if (!to.length && from.length)
      to = [{ f: headroomFacts(kindOf(from)), pence: -from.reduce((s, x) => s + x.pence, 0), isNew: false }];
    else if (!from.length && to.length)
      from = [{ f: headroomFacts(kindOf(to)), pence: -to.reduce((s, x) => s + x.pence, 0), isNew: false }];
    const moved = from.reduce((s, x) => s + Math.abs(x.pence), 0);
    const when = (p: string) => (p === 'unprofiled' ? '' : ` (${p})`);
    const isNew = (x: Side) => (x.isNew ? ', a new allocation' : '');
    const verbed = verb(ctx, 'Move', 'Moved');
    if (from.length === 1 && to.length === 1) {
      const a = from[0].f;
      const b = to[0].f;
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
    const part = (x: Side, dir: string) =>
      `${displayPounds(Math.abs(x.pence))} of ${x.f.kindLabel} ${dir} ${x.f.holder}${when(x.f.period)}${isNew(x)}`;
    return `${verbed} ${displayPounds(moved)} in total: ${from.map((x) => part(x, 'from')).join(', ') || 'nothing'}; ${to.map((x) => part(x, 'to')).join(', ') || 'nothing'}.`;
  }

  allocationIds(payload: ReallocationPayload): number[] {
    return parseReallocation(payload).lines.flatMap((l) => (l.op === 'adjust' ? [l.allocationId] : []));
  }

  /** New pool or programme allocations and envelope headroom are programme money. */
  async programmeLevels(
    _m: EntityManager,
    _programme: Programme,
    payload: ReallocationPayload,
  ): Promise<ProgrammeLevel[]> {
    const { lines } = parseReallocation(payload);
    return lines.some((l) => l.op === 'headroom' || (l.op === 'create' && !l.spec.project)) ? ['programme money'] : [];
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
