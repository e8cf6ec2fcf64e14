import { displayPounds, exactPence, formatPounds, Money, narrowPence, parsePoundsExact } from '../../common/money';
import { formatQuarter } from '../../common/fiscal';
import { Allocation } from '../../funding/allocation.entity';
import { codeMaps } from '../../programmes/programme-lookup';
import type {
  ReturnCheck,
  ReturnContext,
  SectionProvider,
  SectionResult,
  SummaryColumnsProvider,
} from '../return-document';
import { lastReturnMoney, varianceToLast } from '../variance';
import { ColumnSpec, RowInput } from '../../xlsx';
import {
  financeAsAt,
  FinanceFigures,
  FinanceLine,
  financeProblems,
  SPEND_VARIANCE_PERCENT,
} from '../../spend/finance-return';
import { exactSum, toBigInt, toInt } from '../../database/sql-values';
import { SpendAdjustment, SpendProfileLine } from '../../spend/spend.entities';

/** The figures are computed once per assembled return and shared by the summary and the finance sheet. */
const cache = new WeakMap<ReturnContext, Promise<FinanceFigures & { rows: RowInput[]; illustrative: boolean }>>();

function figures(ctx: ReturnContext) {
  let p = cache.get(ctx);
  if (!p) {
    p = load(ctx);
    cache.set(ctx, p);
  }
  return p;
}

async function load(ctx: ReturnContext) {
  const { m, programme } = ctx;
  const cur = formatQuarter(ctx.quarter);
  const codes = (await codeMaps(m, programme.id)).project;
  const code = (id: number) => codes.get(id) ?? String(id);
  // Every spend line is a row of the finance sheet, so they are read as rows (one query), not per project.
  const spend = await m.find(SpendProfileLine, { where: { programmeId: programme.id } });
  const adjustments = (
    await m.find(SpendAdjustment, { where: { programmeId: programme.id }, order: { id: 'ASC' } })
  ).filter((a) => a.recordedInQuarter <= cur);
  const alloc = await m
    .createQueryBuilder(Allocation, 'l')
    .select('l.project_id', 'projectId')
    .addSelect('l.source_kind', 'sourceKind')
    .addSelect(exactSum('l.amount_pence'), 'total')
    .where(
      `l.programme_id = :p AND l.project_id IS NOT NULL AND l.approval_state = 'approved' AND l.commitment_status <> 'withdrawn'`,
      { p: programme.id },
    )
    .groupBy('l.project_id')
    .addGroupBy('l.source_kind')
    .getRawMany<{ projectId: unknown; sourceKind: string; total: unknown }>();
  const allocations = new Map(
    alloc.map((a) => [`${code(toInt(a.projectId))}|${a.sourceKind}`, narrowPence(toBigInt(a.total))]),
  );
  const year = ctx.quarter.year;
  const fig = financeAsAt(
    cur,
    [formatQuarter({ year, q: 1 }), formatQuarter({ year, q: 4 })],
    spend.map((s) => ({
      project: code(s.projectId),
      sourceKind: s.sourceKind,
      quarter: s.quarter,
      baselinePence: s.baselinePence,
      forecastPence: s.forecastPence,
      actualPence: s.actualPence,
      illustrative: s.illustrative,
    })),
    adjustments.map((a) => ({
      project: code(a.projectId),
      sourceKind: a.sourceKind,
      recordedInQuarter: a.recordedInQuarter,
      correctsQuarter: a.correctsQuarter,
      amountPence: a.amountPence,
      reason: a.reason,
    })),
    allocations,
  );
  const rows: RowInput[] = spend
    .map(
      (s) =>
        ({
          project: code(s.projectId),
          sourceKind: s.sourceKind,
          quarter: s.quarter,
          line: 'profile',
          correctsQuarter: null,
          baseline: s.baselinePence,
          forecast: s.forecastPence,
          actual: s.quarter <= cur ? s.actualPence : null,
          adjustment: null,
          note:
            s.quarter > cur ? 'after this return: forecast only' : s.actualPence === null ? 'no actual recorded' : null,
        }) as RowInput,
    )
    .concat(
      adjustments.map((a) => ({
        project: code(a.projectId),
        sourceKind: a.sourceKind,
        quarter: a.recordedInQuarter,
        line: a.kind === 'repayment' ? 'repayment' : 'prior-period adjustment',
        correctsQuarter: a.correctsQuarter,
        baseline: null,
        forecast: null,
        actual: null,
        adjustment: a.amountPence,
        note: a.reference ? `${a.reason} (ref. ${a.reference})` : a.reason,
      })),
    )
    .sort(
      (a, b) =>
        String(a.project).localeCompare(String(b.project)) ||
        String(a.sourceKind).localeCompare(String(b.sourceKind)) ||
        String(a.quarter).localeCompare(String(b.quarter)) ||
        String(a.line).localeCompare(String(b.line)),
    );
  return { ...fig, rows, illustrative: spend.some((s) => s.illustrative) };
}

const FINANCE_COLUMNS: ColumnSpec[] = [
  { key: 'project', header: 'Project', type: 'text' },
  { key: 'sourceKind', header: 'Source', type: 'text' },
  { key: 'quarter', header: 'Quarter', type: 'text' },
  { key: 'line', header: 'Line', type: 'text' },
  { key: 'correctsQuarter', header: 'Corrects quarter', type: 'text' },
  { key: 'baseline', header: 'Baseline forecast (£)', type: 'money' },
  { key: 'forecast', header: 'Latest forecast (£)', type: 'money' },
  { key: 'actual', header: 'Actual (£)', type: 'money' },
  { key: 'adjustment', header: 'Prior-period adjustment (£)', type: 'money' },
  { key: 'note', header: 'Note', type: 'text', maxWidth: 70 },
];

const list = (ls: FinanceLine[], f: (l: FinanceLine) => string) => ls.map(f).join('; ');

/** The finance sheet (project × source × quarter) and the checks on it. */
export class FinanceSection implements SectionProvider {
  readonly key = 'finance' as const;

  async build(ctx: ReturnContext): Promise<SectionResult> {
    const f = await figures(ctx);
    const cur = formatQuarter(ctx.quarter);
    const lastLines = lastFinanceLines(ctx);
    const checks: ReturnCheck[] = [];
    const by = (code: string) =>
      financeProblems(f.lines)
        .filter((p) => p.code === code)
        .map((p) => p.line);
    const unreconciled = by('BASELINE_NOT_ALLOCATION');
    if (unreconciled.length)
      checks.push({
        code: 'BASELINE_NOT_ALLOCATION',
        severity: 'error',
        section: 'finance',
        message: `the baseline profile does not add up to the approved allocation (to the penny) for ${list(unreconciled, (l) => `${l.project} ${l.sourceKind}: baseline ${displayPounds(l.baselineTotal)}, allocation ${displayPounds(l.allocation)}, difference ${displayPounds(exactPence(l.baselineTotal) - exactPence(l.allocation))}`)}`,
      });
    const missing = by('MISSING_ACTUAL');
    if (missing.length)
      checks.push({
        code: 'MISSING_ACTUAL',
        severity: 'error',
        section: 'finance',
        message: `no actual is recorded for ${cur} where spend was forecast: ${list(missing, (l) => `${l.project} ${l.sourceKind} (forecast ${displayPounds(l.forecastInQuarter)})`)}`,
      });
    const below = by('FORECAST_BELOW_SPEND');
    if (below.length)
      checks.push({
        code: 'FORECAST_BELOW_SPEND',
        severity: 'error',
        section: 'finance',
        message: `the forecast for the programme is below the spend to date: ${list(below, (l) => `${l.project} ${l.sourceKind} (forecast ${displayPounds(l.forecastProgramme)}, spent ${displayPounds(l.spendToDate)})`)}`,
      });
    const under = by('SPEND_BELOW_BASELINE');
    if (under.length)
      checks.push({
        code: 'SPEND_BELOW_BASELINE',
        severity: 'warning',
        section: 'finance',
        message: `spend in ${cur} is more than ${SPEND_VARIANCE_PERCENT}% below the baseline forecast: ${list(under, (l) => `${l.project} ${l.sourceKind} (actual ${displayPounds(l.actualInQuarter ?? 0)}, baseline ${displayPounds(l.baselineInQuarter)})`)}`,
      });
    const adj = f.lines.filter((l) => l.adjustmentsInQuarter !== 0);
    if (adj.length)
      checks.push({
        code: 'PRIOR_PERIOD_ADJUSTMENTS',
        severity: 'note',
        section: 'finance',
        message: `prior-period adjustments recorded in ${cur} correct submitted quarters (shown as their own lines, not edits of the locked actuals): ${list(adj, (l) => `${l.project} ${l.sourceKind} ${displayPounds(l.adjustmentsInQuarter)}`)}`,
      });
    if (f.illustrative)
      checks.push({
        code: 'ILLUSTRATIVE_DATA',
        severity: 'note',
        section: 'finance',
        message: 'spend figures include ILLUSTRATIVE demo data that is not from the source documents',
      });
    return {
      table: {
        key: 'finance',
        title: 'Finance by project, source and quarter',
        sheet: 'Finance',
        columns: FINANCE_COLUMNS,
        rows: f.rows,
        totals: [
          { label: `Total, ${cur}`, where: { column: 'quarter', equals: cur } },
          { label: 'Total, all quarters' },
        ],
      },
      checks,
      // Per project × source, for "variance to last return" (read back by the spend feature).
      data: {
        lines: f.lines.map((l) => {
          const last = lastLines?.get(`${l.project}|${l.sourceKind}`);
          return {
            project: l.project,
            sourceKind: l.sourceKind,
            allocation: formatPounds(l.allocation),
            baselineTotal: formatPounds(l.baselineTotal),
            spendInQuarter: formatPounds(l.spendInQuarter),
            spendToDate: formatPounds(l.spendToDate),
            forecastYear: formatPounds(l.forecastYear),
            forecastProgramme: formatPounds(l.forecastProgramme),
            varianceToLastReturn: lastLines
              ? formatPounds(exactPence(l.forecastProgramme) - exactPence(last ?? 0))
              : null,
          };
        }),
      },
    };
  }
}

/** The last return's `finance.lines[]` forecasts for the programme, in pence (null: no such return). */
function lastFinanceLines(ctx: ReturnContext): Map<string, Money> | null {
  const doc = ctx.lastReturn?.document as unknown as
    { finance?: { lines?: { project: string; sourceKind: string; forecastProgramme: string }[] } } | undefined;
  const lines = doc?.finance?.lines;
  if (!Array.isArray(lines)) return null;
  return new Map(
    lines.map((l) => [`${l.project}|${l.sourceKind}`, narrowPence(parsePoundsExact(l.forecastProgramme))]),
  );
}

const SUMMARY_COLUMNS: ColumnSpec[] = [
  { key: 'spendInQuarter', header: 'Spend in quarter (£)', type: 'money' },
  { key: 'spendToDate', header: 'Cumulative spend (£)', type: 'money' },
  { key: 'forecastYear', header: 'Latest forecast for the year (£)', type: 'money' },
  { key: 'forecastProgramme', header: 'Latest forecast for the programme (£)', type: 'money' },
  { key: 'forecastLastReturn', header: 'Programme forecast at last return (£)', type: 'money' },
  { key: 'forecastVariance', header: 'Forecast variance to last return (£)', type: 'money' },
];

/** Spend columns of the summary by source, with the programme forecast's variance to the last return. */
export const spendSummaryColumns: SummaryColumnsProvider = {
  key: 'spend',
  columns: SUMMARY_COLUMNS,
  async values(ctx) {
    const f = await figures(ctx);
    const live = new Map([...f.bySource].map(([k, v]) => [k, v.forecastProgramme]));
    const variance = varianceToLast(
      live,
      lastReturnMoney(ctx.lastReturn, 'summary', 'sourceKind', 'forecastProgramme'),
    );
    const out = new Map<string, RowInput>();
    for (const [k, v] of f.bySource) {
      const d = variance.get(k);
      out.set(k, { ...v, forecastLastReturn: d?.last ?? null, forecastVariance: d?.variance ?? null });
    }
    return out;
  },
};
