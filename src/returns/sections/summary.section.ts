import { exactSum, toBigInt, toInt } from '../../database/sql-values';
import { displayPounds, Money, narrowPence, sumMoney } from '../../common/money';
import { formatFiscalYear } from '../../common/fiscal';
import { Allocation } from '../../funding/allocation.entity';
import { SourceKind } from '../../funding/source-kind.entity';
import { ColumnSpec, RowInput } from '../../xlsx';
import { ReturnCheck, ReturnContext, SectionProvider, SectionResult, SummaryColumnsProvider } from '../return-document';
import { lastReturnMoney, varianceToLast } from '../variance';

const STATUSES = ['confirmed', 'provisional', 'indicative', 'withdrawn'] as const;

const BASE_COLUMNS: ColumnSpec[] = [
  { key: 'sourceKind', header: 'Source', type: 'text' },
  { key: 'label', header: 'Source name', type: 'text', maxWidth: 45 },
  { key: 'spendType', header: 'Capital or revenue', type: 'text' },
  { key: 'confirmed', header: 'Confirmed (£)', type: 'money' },
  { key: 'provisional', header: 'Provisional (£)', type: 'money' },
  { key: 'indicative', header: 'Indicative (£)', type: 'money' },
  { key: 'withdrawn', header: 'Withdrawn (£)', type: 'money' },
  { key: 'allocation', header: 'Approved allocation (£)', type: 'money' },
];

const VARIANCE_COLUMNS: ColumnSpec[] = [
  { key: 'allocationLastReturn', header: 'Allocation at last return (£)', type: 'money' },
  { key: 'allocationVariance', header: 'Allocation change since last return (£)', type: 'money' },
];

interface Sum {
  source_kind: string;
  commitment_status: string;
  approval_state: string;
  total: string | number;
  n: string | number;
}

/**
 * Summary by source kind: the approved envelope split by commitment status (one aggregate
 * query), columns contributed by other features (spend), and the allocation's variance to the
 * last submitted return. Draft allocations are not in the return; they raise a warning.
 */
export class SummarySection implements SectionProvider {
  readonly key = 'summary' as const;

  constructor(private readonly summaryColumns: readonly SummaryColumnsProvider[]) {}

  async build(ctx: ReturnContext): Promise<SectionResult> {
    const { m, programme } = ctx;
    const kinds = await m.find(SourceKind, { order: { position: 'ASC', code: 'ASC' } });
    const sums: Sum[] = await m
      .getRepository(Allocation)
      .createQueryBuilder('a')
      .select('a.source_kind', 'source_kind')
      .addSelect('a.commitment_status', 'commitment_status')
      .addSelect('a.approval_state', 'approval_state')
      .addSelect(exactSum('a.amount_pence'), 'total')
      .addSelect('COUNT(*)', 'n')
      .where('a.programme_id = :p', { p: programme.id })
      .groupBy('a.source_kind')
      .addGroupBy('a.commitment_status')
      .addGroupBy('a.approval_state')
      .getRawMany();
    const approved = sums.filter((s) => s.approval_state === 'approved');
    const drafts = sums.filter((s) => s.approval_state !== 'approved');

    const rows: RowInput[] = [];
    const live = new Map<string, Money>();
    for (const k of kinds) {
      const row: RowInput = { sourceKind: k.code, label: k.label, spendType: k.capital ? 'capital' : 'revenue' };
      // Exact totals (approved money may pass 2^53 pence), numbers while they are safe integers.
      for (const st of STATUSES)
        row[st] = narrowPence(
          sumMoney(
            approved
              .filter((s) => s.source_kind === k.code && s.commitment_status === st)
              .map((s) => toBigInt(s.total)),
          ),
        );
      // Withdrawn money is shown in its own column but is no longer approved allocation.
      const allocation = narrowPence(
        sumMoney(STATUSES.filter((st) => st !== 'withdrawn').map((st) => row[st] as Money)),
      );
      row.allocation = allocation;
      live.set(k.code, allocation);
      rows.push(row);
    }

    const extraColumns: ColumnSpec[] = [];
    for (const p of this.summaryColumns) {
      extraColumns.push(...p.columns);
      const values = await p.values(ctx);
      for (const r of rows) Object.assign(r, values.get(String(r.sourceKind)) ?? {});
    }

    const variance = varianceToLast(live, lastReturnMoney(ctx.lastReturn, 'summary', 'sourceKind', 'allocation'));
    for (const r of rows) {
      const v = variance.get(String(r.sourceKind));
      r.allocationLastReturn = v?.last ?? null;
      r.allocationVariance = v?.variance ?? null;
    }

    const checks: ReturnCheck[] = [];
    const changed = [...variance.values()].filter((v) => v.variance);
    if (ctx.lastReturn && changed.length) {
      checks.push({
        code: 'ALLOCATION_CHANGED',
        severity: 'warning',
        section: 'summary',
        message: `approved allocations changed since the last return (${ctx.lastReturn.quarter} version ${ctx.lastReturn.version}): ${changed.map((v) => `${v.key} ${displayPounds(v.last ?? 0)} → ${displayPounds(v.live)}`).join(', ')}`,
      });
    }
    if (!ctx.lastReturn)
      checks.push({
        code: 'FIRST_RETURN',
        severity: 'note',
        section: 'summary',
        message: 'no return has been submitted before this one: there is no variance to a last return',
      });
    if (drafts.length) {
      // Drafts are anyone's input, each at most MAX_AMOUNT but unbounded in number: summed exactly.
      const total = drafts.reduce((s, d) => s + toBigInt(d.total), 0n);
      const n = drafts.reduce((s, d) => s + toInt(d.n), 0);
      checks.push({
        code: 'DRAFT_ALLOCATIONS',
        severity: 'warning',
        section: 'summary',
        message: `${n} draft allocation${n === 1 ? '' : 's'} totalling ${displayPounds(total)} await approval and are not in this return`,
      });
    }
    const withdrawn = sumMoney(rows.map((r) => r.withdrawn as Money));
    if (withdrawn)
      checks.push({
        code: 'WITHDRAWN_IN_ENVELOPE',
        severity: 'note',
        section: 'summary',
        message: `approved allocations marked withdrawn (${displayPounds(withdrawn)}) are shown in their own column and not counted in the approved allocation (what a withdrawn project spent stays allocated to it)`,
      });
    checks.push(...(await this.allocationChecks(ctx)));
    return {
      table: {
        key: 'summary',
        title: 'Summary by source',
        sheet: 'Summary',
        columns: [...BASE_COLUMNS, ...extraColumns, ...VARIANCE_COLUMNS],
        rows,
        totals: [
          { label: 'Capital total', where: { column: 'spendType', equals: 'capital' } },
          { label: 'Total, all sources' },
        ],
      },
      checks,
    };
  }

  /** Integrity of approved allocations: inside the programme's years, not negative; unprofiled and pooled amounts noted. */
  private async allocationChecks(ctx: ReturnContext): Promise<ReturnCheck[]> {
    const { m, programme } = ctx;
    const firstYear = Number(programme.startsOn.slice(0, 4)) - (Number(programme.startsOn.slice(5, 7)) < 4 ? 1 : 0);
    const lastYear = Number(programme.endsOn.slice(0, 4)) - (Number(programme.endsOn.slice(5, 7)) < 4 ? 1 : 0);
    const rows: {
      id: number;
      amount_pence: string | number;
      year_from: number | null;
      year_to: number | null;
      period_kind: string;
      pool_id: number | null;
    }[] = await m
      .getRepository(Allocation)
      .createQueryBuilder('a')
      .select([
        'a.id AS id',
        'a.amount_pence AS amount_pence',
        'a.year_from AS year_from',
        'a.year_to AS year_to',
        'a.period_kind AS period_kind',
        'a.pool_id AS pool_id',
      ])
      .where('a.programme_id = :p', { p: programme.id })
      .andWhere("a.approval_state = 'approved'")
      .andWhere(
        "(a.amount_pence < 0 OR a.year_from > :last OR a.year_to < :first OR a.period_kind = 'unprofiled' OR a.pool_id IS NOT NULL)",
        { first: firstYear, last: lastYear },
      )
      .orderBy('a.id')
      .getRawMany();
    const out: ReturnCheck[] = [];
    const negative = rows.filter((r) => Number(r.amount_pence) < 0);
    if (negative.length)
      out.push({
        code: 'NEGATIVE_ALLOCATION',
        severity: 'error',
        section: 'summary',
        message: `approved allocation${negative.length === 1 ? '' : 's'} ${negative.map((r) => `#${r.id} (${displayPounds(Number(r.amount_pence))})`).join(', ')} ${negative.length === 1 ? 'is' : 'are'} negative`,
      });
    const outside = rows.filter(
      (r) =>
        r.period_kind !== 'unprofiled' &&
        ((r.year_from !== null && r.year_from > lastYear) || (r.year_to !== null && r.year_to < firstYear)),
    );
    if (outside.length) {
      out.push({
        code: 'ALLOCATION_OUTSIDE_PROGRAMME',
        severity: 'error',
        section: 'summary',
        message: `approved allocation${outside.length === 1 ? '' : 's'} ${outside.map((r) => `#${r.id}`).join(', ')} fall${outside.length === 1 ? 's' : ''} outside the programme's years ${formatFiscalYear(firstYear)} to ${formatFiscalYear(lastYear)}`,
      });
    }
    const unprofiled = rows.filter((r) => r.period_kind === 'unprofiled');
    if (unprofiled.length)
      out.push({
        code: 'UNPROFILED_ALLOCATIONS',
        severity: 'note',
        section: 'summary',
        message: `${unprofiled.length} approved allocations totalling ${displayPounds(sumMoney(unprofiled.map((r) => Number(r.amount_pence))))} have no year split (as the deal states them)`,
      });
    const pooled = rows.filter((r) => r.pool_id !== null);
    if (pooled.length)
      out.push({
        code: 'POOLED_ALLOCATIONS',
        severity: 'note',
        section: 'summary',
        message: `${pooled.length} approved allocations totalling ${displayPounds(sumMoney(pooled.map((r) => Number(r.amount_pence))))} are committed to pools of projects and not split between them`,
      });
    return out;
  }
}
