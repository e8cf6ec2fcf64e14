import { EntityManager, IsNull } from 'typeorm';
import { formatFiscalYear, formatQuarter } from '../../common/fiscal';
import { displayPounds, formatPounds, parseAmount } from '../../common/money';
import { Allocation } from '../../funding/allocation.entity';
import { periodCode, periodOutsideProgramme } from '../../funding/period';
import { PeriodsService } from '../../periods/periods.service';
import { Programme } from '../../programmes/programme.entity';
import { parsePeriod } from '../../funding/period';
import { verb } from '../describe-context';
import { ApplyResult, ApprovedWrites, ChangeKindHandler, ChangeProblem, DescribeContext } from './kind';
import { Id, invalid, ListOf, Period, Pounds, validatePayload } from './payload-validation';
import { allocationsById, checkMovable } from './references';

/** Split (or move) one allocation's money across financial years or periods; same total. */
class PeriodAmountDto {
  @Period() period: string;
  @Pounds('positive') amount: string;
}

export class ReprofileYearsPayload {
  @Id() allocationId: number;
  @ListOf(() => PeriodAmountDto, 1, 50) periods: PeriodAmountDto[];
}

function parse(payload: unknown) {
  const { value, problems } = validatePayload(ReprofileYearsPayload, payload);
  const periods: { code: string; period: ReturnType<typeof parsePeriod>; amountPence: number }[] = [];
  const seen = new Set<string>();
  value?.periods.forEach((x, i) => {
    const period = parsePeriod(x.period);
    const code = periodCode(period.periodKind, period.yearFrom, period.yearTo);
    if (seen.has(code)) problems.push(invalid(`payload.periods[${i}].period`, `${code} appears twice`));
    seen.add(code);
    periods.push({ code, period, amountPence: parseAmount(x.amount) });
  });
  return { allocationId: value?.allocationId, periods, problems };
}

type Period = ReturnType<typeof parsePeriod>;

/** The programme's financial years, and those closed (their Q4 return submitted: the year's figures are final). */
async function programmeYears(m: EntityManager, periods: PeriodsService, programme: Programme) {
  const first = periods.firstQuarter(programme).year;
  const last = periods.lastQuarter(programme).year;
  const submitted = await periods.submittedQuarters(m, programme.id);
  const closed = (year: number) => submitted.has(formatQuarter({ year, q: 4 }));
  let firstOpen = first;
  while (firstOpen < last && closed(firstOpen)) firstOpen++;
  return { first, last, closed, firstOpen };
}

/** Another live allocation of the same holder, source, commitment and period: where a line merges. */
async function sameLine(m: EntityManager, a: Allocation, p: Period): Promise<Allocation | null> {
  const rows = await m.find(Allocation, {
    where: {
      programmeId: a.programmeId,
      sourceKind: a.sourceKind,
      projectId: a.projectId ?? IsNull(),
      poolId: a.poolId ?? IsNull(),
      commitmentStatus: a.commitmentStatus,
      approvalState: 'approved',
      periodKind: p.periodKind,
      yearFrom: p.yearFrom ?? IsNull(),
      yearTo: p.yearTo ?? IsNull(),
    },
    order: { id: 'ASC' },
  });
  return rows.find((x) => x.id !== a.id) ?? null;
}

/**
 * Re-profile years: the allocation's money is split across the periods given (same total).
 * A period that already has an allocation of the same project or pool, source and commitment
 * takes the money into that row (no fragments: one row per holder, source and year); the
 * allocation itself takes the first other period (it keeps its quote); a further period becomes
 * a new approved allocation that keeps the original's document and quote and names this change
 * request. Years before the programme, after it, or closed (their Q4 return submitted) are
 * refused: their figures are final.
 */
export class ReprofileYearsKind implements ChangeKindHandler<ReprofileYearsPayload> {
  readonly kind = 'reprofile_years';
  readonly label = 'Re-profile: move an allocation’s money between financial years or periods (same total)';

  constructor(private readonly periods: PeriodsService) {}

  async validate(m: EntityManager, programme: Programme, payload: unknown): Promise<ChangeProblem[]> {
    const { allocationId, periods, problems } = parse(payload);
    if (problems.length || allocationId === undefined) return problems;
    const a = (await allocationsById(m, programme.id, [allocationId])).get(allocationId);
    if (!checkMovable(a, allocationId, 'payload.allocationId', problems)) return problems;
    const years = await programmeYears(m, this.periods, programme);
    if (a.periodKind === 'year' && years.closed(a.yearFrom!))
      problems.push({
        field: 'payload.allocationId',
        problem: `allocation ${allocationId} is for ${formatFiscalYear(a.yearFrom!)}, a closed year (its Q4 return has been submitted), so its money cannot move between years: to use what it did not spend elsewhere, release it with reduce_allocation (mode release) and draw it into an open year with a reallocation`,
        code: 'YEAR_CLOSED',
      });
    const own = periodCode(a.periodKind, a.yearFrom, a.yearTo);
    periods.forEach((p, i) => {
      const field = `payload.periods[${i}].period`;
      // The allocation's own closed year is refused once, above.
      if (p.period.yearFrom === null || p.code === own) return;
      const outside = periodOutsideProgramme(p.period, p.code, years);
      if (outside)
        problems.push({
          field,
          problem: outside,
          code: 'YEAR_OUTSIDE_PROGRAMME',
        });
      else if (years.closed(p.period.yearFrom))
        problems.push({
          field,
          problem: `${formatFiscalYear(p.period.yearFrom)} is closed (its Q4 return has been submitted): money cannot be moved into it; give a year from ${formatFiscalYear(years.firstOpen)} (the first open year) to ${formatFiscalYear(years.last)}`,
          code: 'YEAR_CLOSED',
        });
    });
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
    m: EntityManager,
    _p: Programme,
    payload: ReprofileYearsPayload,
    _a: unknown,
    writes: ApprovedWrites,
  ): Promise<ApplyResult> {
    const { allocationId, periods } = parse(payload);
    const a = await writes.allocation(allocationId!);
    const own = periodCode(a.periodKind, a.yearFrom, a.yearTo);
    // The allocation keeps its own period when it is listed, else takes the first period that
    // no other row of the line holds; the rest merge into their row or become new rows.
    const merges: { into: Allocation; amountPence: number }[] = [];
    const fresh: typeof periods = [];
    let keep = periods.find((p) => p.code === own);
    for (const p of periods) {
      if (p === keep) continue;
      const into = await sameLine(m, a, p.period);
      if (into) merges.push({ into, amountPence: p.amountPence });
      else if (!keep) keep = p;
      else fresh.push(p);
    }
    const before: unknown[] = [];
    const after: unknown[] = [];
    const merged: { period: string; into: number }[] = [];
    for (const x of merges) {
      const r = await writes.adjustAllocation(x.into.id, x.amountPence);
      before.push(r.before);
      after.push(r.after);
      merged.push({ period: r.after.period, into: x.into.id });
    }
    // Wholly merged away: the row is kept at 0.00 on its old period (its quote stays on record).
    const moved = keep
      ? await writes.reperiodAllocation(a.id, keep.period, keep.amountPence)
      : await writes.adjustAllocation(a.id, -a.amountPence);
    before.unshift(moved.before);
    after.unshift(moved.after);
    // A derived row keeps the deal's document and quote; the amount printed there is not its own.
    const source = { ...a.source, printed: null };
    for (const p of fresh) {
      after.push(
        await writes.createAllocation({
          sourceKind: a.sourceKind,
          projectId: a.projectId,
          poolId: a.poolId,
          ...p.period,
          amountPence: p.amountPence,
          commitmentStatus: a.commitmentStatus,
          description: a.description,
          source,
        }),
      );
    }
    return { before: { allocations: before }, after: { allocations: after, ...(merged.length ? { merged } : {}) } };
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
