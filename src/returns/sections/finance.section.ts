import { displayPounds, exactPence, formatPounds, Money, narrowPence, parsePoundsExact } from '../../common/money';
import { formatFiscalYear, formatQuarter, parseQuarter } from '../../common/fiscal';
import { Allocation } from '../../funding/allocation.entity';
import { codeMaps } from '../../programmes/programme-lookup';
import { agreedLines, illustrativeMark } from '../../changes/agreed.queries';
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
  SpendLineIn,
} from '../../spend/finance-return';
import { exactSum, toBigInt, toBool, toInt, toIntOrNull } from '../../database/sql-values';
import type { EntityManager } from 'typeorm';
import { closedBefore, OutturnAdjustment, outturnOf, OutturnSpendLine } from '../../spend/outturn';
import { SpendAdjustment, SpendProfileLine } from '../../spend/spend.entities';
import { awaitingSpendIn } from '../../quarterly-updates/spend-confirmation.service';

/** A spend profile line as the return reads it: the columns it shows, nothing else. */
interface SpendRow {
  projectId: number;
  sourceKind: string;
  quarter: string;
  baselinePence: number;
  forecastPence: number;
  actualPence: number | null;
  illustrative: boolean;
}

/** Spend lines per statement: a page of plain rows in memory, not the programme's every entity at once. */
export const SPEND_PAGE = 5000;

/**
 * A programme's spend profile lines in pages of plain rows, in id order (keyset: each page
 * starts after the last id of the one before). The largest programme has tens of thousands of
 * lines; read as entities they cost several times their size in passing garbage.
 */
export async function* spendRowPages(m: EntityManager, programmeId: number, size = SPEND_PAGE) {
  let after = 0;
  for (;;) {
    const raw = await m
      .createQueryBuilder(SpendProfileLine, 's')
      .select('s.id', 'id')
      .addSelect('s.project_id', 'projectId')
      .addSelect('s.source_kind', 'sourceKind')
      .addSelect('s.quarter', 'quarter')
      .addSelect('s.baseline_pence', 'baseline')
      .addSelect('s.forecast_pence', 'forecast')
      .addSelect('s.actual_pence', 'actual')
      .addSelect('s.illustrative', 'illustrative')
      .where('s.programme_id = :p AND s.id > :after', { p: programmeId, after })
      .orderBy('s.id', 'ASC')
      .limit(size)
      .getRawMany<Record<string, unknown>>();
    if (!raw.length) return;
    after = toInt(raw[raw.length - 1].id);
    yield raw.map((r): SpendRow => ({
      projectId: toInt(r.projectId),
      sourceKind: String(r.sourceKind),
      quarter: String(r.quarter),
      baselinePence: toInt(r.baseline, 'baseline_pence'),
      forecastPence: toInt(r.forecast, 'forecast_pence'),
      actualPence: toIntOrNull(r.actual, 'actual_pence'),
      illustrative: toBool(r.illustrative),
    }));
    if (raw.length < size) return;
  }
}

/** The figures are computed once per assembled return and shared by the summary and the finance sheet. */
const cache = new WeakMap<
  ReturnContext,
  Promise<FinanceFigures & { rows: RowInput[]; byYear: Map<string, Money>; illustrative: boolean }>
>();

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
  // Every spend line is a row of the finance sheet: read as plain rows, a page at a time (no
  // entities), each kept as the one object the figures, the rows and the years all read.
  const spend: SpendLineIn[] = [];
  for await (const page of spendRowPages(m, programme.id))
    for (const r of page)
      spend.push({
        project: code(r.projectId),
        sourceKind: r.sourceKind,
        quarter: r.quarter,
        baselinePence: r.baselinePence,
        forecastPence: r.forecastPence,
        actualPence: r.actualPence,
        illustrative: r.illustrative,
      });
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
  // Which lines illustrative data moved: the one agreed-vs-now result (changes/engine/agreed.ts).
  const agreed = new Map(
    (await agreedLines(m, programme.id))
      .filter((l) => l.projectCode !== null)
      .map((l) => [`${l.projectCode}|${l.sourceKind}`, l]),
  );
  const mark = (project: string, sourceKind: string, figuresIllustrative: boolean) =>
    illustrativeMark(agreed.get(`${project}|${sourceKind}`), figuresIllustrative);
  const year = ctx.quarter.year;
  const fig = financeAsAt(
    cur,
    [formatQuarter({ year, q: 1 }), formatQuarter({ year, q: 4 })],
    spend,
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
          project: s.project,
          sourceKind: s.sourceKind,
          quarter: s.quarter,
          line: 'profile',
          correctsQuarter: null,
          baseline: s.baselinePence,
          forecast: s.forecastPence,
          actual: s.quarter <= cur ? s.actualPence : null,
          adjustment: null,
          outturn: closedBefore(s.quarter, cur) ? (s.actualPence ?? 0) : s.forecastPence,
          note:
            s.quarter > cur ? 'after this return: forecast only' : s.actualPence === null ? 'no actual recorded' : null,
          illustrative: mark(s.project, s.sourceKind, s.illustrative),
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
        outturn: a.amountPence,
        note: a.reference ? `${a.reason} (ref. ${a.reference})` : a.reason,
        illustrative: mark(code(a.projectId), a.sourceKind, a.illustrative),
      })),
    )
    .sort(
      (a, b) =>
        String(a.project).localeCompare(String(b.project)) ||
        String(a.sourceKind).localeCompare(String(b.sourceKind)) ||
        String(a.quarter).localeCompare(String(b.quarter)) ||
        String(a.line).localeCompare(String(b.line)),
    );
  // Items made one at a time as they are grouped (no second array of every line).
  const byYear = forecastByYear(
    cur,
    (function* (): Generator<YearItem> {
      for (const s of spend) yield { key: `${s.project}|${s.sourceKind}`, sourceKind: s.sourceKind, line: s };
      for (const a of adjustments)
        yield { key: `${code(a.projectId)}|${a.sourceKind}`, sourceKind: a.sourceKind, adj: a };
    })(),
  );
  return { ...fig, rows, byYear, illustrative: spend.some((s) => s.illustrative) };
}

type YearItem =
  | { key: string; sourceKind: string; line: OutturnSpendLine; adj?: undefined }
  | { key: string; sourceKind: string; adj: OutturnAdjustment; line?: undefined };

/**
 * Forecast outturn per source kind and financial year as at a quarter, through the one
 * definition (spend/outturn.ts) applied to each project × source line: "sourceKind|year" -> pence.
 */
function forecastByYear(asAt: string, items: Iterable<YearItem>): Map<string, Money> {
  const groups = new Map<string, { sourceKind: string; spend: OutturnSpendLine[]; adj: OutturnAdjustment[] }>();
  const years = new Set<number>();
  for (const x of items) {
    let g = groups.get(x.key);
    if (!g) groups.set(x.key, (g = { sourceKind: x.sourceKind, spend: [], adj: [] }));
    if (x.line) {
      g.spend.push(x.line);
      years.add(parseQuarter(x.line.quarter).year);
    } else if (x.adj) {
      g.adj.push(x.adj);
      years.add(parseQuarter(x.adj.correctsQuarter).year);
    }
  }
  const out = new Map<string, bigint>();
  for (const year of [...years].sort((a, b) => a - b))
    for (const g of groups.values()) {
      const o = outturnOf(asAt, [formatQuarter({ year, q: 1 }), formatQuarter({ year, q: 4 })], g.spend, g.adj);
      const k = `${g.sourceKind}|${year}`;
      out.set(k, (out.get(k) ?? 0n) + BigInt(o.forecastYear));
    }
  return new Map([...out].map(([k, v]) => [k, narrowPence(v)]));
}

/** The same figures for the last submitted return, from its frozen Finance rows (null: no such return). */
function lastForecastByYear(ctx: ReturnContext): Map<string, Money> | null {
  const last = ctx.lastReturn;
  const fin = last?.document.sections.find((x) => x.key === 'finance');
  // A snapshot whose Finance rows do not say which are profile lines cannot be read this way.
  if (!last || !fin || !fin.columns.some((c) => c.key === 'line')) return null;
  const pence = (v: unknown) => (typeof v === 'string' ? Number(narrowPence(parsePoundsExact(v))) : 0);
  const lines: YearItem[] = [];
  const adjustments: YearItem[] = [];
  for (const r of fin.rows) {
    const key = `${String(r.project)}|${String(r.sourceKind)}`;
    const sourceKind = String(r.sourceKind);
    if (r.line === 'profile')
      lines.push({
        key,
        sourceKind,
        line: {
          quarter: String(r.quarter),
          forecastPence: pence(r.forecast),
          actualPence: r.actual === null || r.actual === undefined ? null : pence(r.actual),
        },
      });
    else if (typeof r.correctsQuarter === 'string')
      adjustments.push({
        key,
        sourceKind,
        adj: {
          recordedInQuarter: String(r.quarter),
          correctsQuarter: r.correctsQuarter,
          amountPence: pence(r.adjustment),
        },
      });
  }
  return forecastByYear(last.quarter, [...lines, ...adjustments]);
}

const YEAR_COLUMNS: ColumnSpec[] = [
  { key: 'sourceKind', header: 'Source', type: 'text' },
  { key: 'year', header: 'Financial year', type: 'text' },
  { key: 'forecast', header: 'Forecast outturn for the year (£)', type: 'money' },
  { key: 'lastReturn', header: 'Forecast at last return (£)', type: 'money' },
  { key: 'variance', header: 'Variance to last return (£)', type: 'money' },
];

/**
 * Forecast by year: per source kind and financial year, the forecast outturn now, at the last
 * submitted return and the variance, so money moved between years shows even when the
 * programme total does not change.
 */
export class ForecastYearsSection implements SectionProvider {
  readonly key = 'forecastYears' as const;

  async build(ctx: ReturnContext): Promise<SectionResult> {
    const f = await figures(ctx);
    const last = lastForecastByYear(ctx);
    const v = varianceToLast(f.byYear, last);
    const rows: RowInput[] = [...v.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((x) => {
        const [sourceKind, year] = x.key.split('|');
        return {
          sourceKind,
          year: formatFiscalYear(Number(year)),
          forecast: x.live,
          lastReturn: x.last,
          variance: x.variance,
        };
      });
    const kinds = [...new Set(rows.map((r) => String(r.sourceKind)))];
    const moved = [...v.values()].filter((x) => x.variance !== null && exactPence(x.variance) !== 0n);
    const checks: ReturnCheck[] = [];
    if (ctx.lastReturn && moved.length)
      checks.push({
        code: 'FORECAST_YEARS_MOVED',
        severity: 'note',
        section: 'forecastYears',
        message: `the forecast by year moved since the last return (${ctx.lastReturn.quarter} version ${ctx.lastReturn.version}): ${moved.map((x) => `${x.key.split('|')[0]} ${formatFiscalYear(Number(x.key.split('|')[1]))} ${displayPounds(x.variance!)}`).join(', ')}`,
      });
    return {
      table: {
        key: 'forecastYears',
        title: 'Forecast by year',
        sheet: 'Forecast by year',
        columns: YEAR_COLUMNS,
        rows,
        totals: [
          ...kinds.map((k) => ({ label: `Total, ${k}`, where: { column: 'sourceKind', equals: k } })),
          { label: 'Total, all sources' },
        ],
      },
      checks,
    };
  }
}

export const OUTTURN_HEADER = 'Forecast outturn (£)';

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
  // The summary's "latest forecast for the programme" is this column's total, not the latest
  // forecast column's (which keeps each closed quarter's last forecast beside its actual).
  { key: 'outturn', header: OUTTURN_HEADER, type: 'money' },
  { key: 'note', header: 'Note', type: 'text', maxWidth: 70 },
  // What on the row is illustrative (not from the source documents); empty when nothing is.
  { key: 'illustrative', header: 'Illustrative', type: 'text', maxWidth: 40 },
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
    // An accepted update's actuals are not counted until finance confirms them: say so before submitting.
    const awaiting = await awaitingSpendIn(ctx.m, ctx.programme.id, cur);
    if (awaiting.length)
      checks.push({
        code: 'SPEND_AWAITING_CONFIRMATION',
        severity: 'warning',
        section: 'finance',
        message: `actual spend from ${awaiting.length} accepted quarterly update${awaiting.length === 1 ? '' : 's'} for ${cur} awaits finance confirmation and is not counted in this return: ${awaiting.join(', ')} (finance confirms it on the staff pages’ Confirm spend page)`,
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
  { key: 'forecastYearLastReturn', header: 'Year forecast at last return (£)', type: 'money' },
  { key: 'forecastYearVariance', header: 'Year forecast variance to last return (£)', type: 'money' },
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
    // The reporting year's forecast beside the last return's forecast of the same year (see Forecast by year).
    const lastYears = lastForecastByYear(ctx);
    const out = new Map<string, RowInput>();
    for (const [k, v] of f.bySource) {
      const d = variance.get(k);
      const lastYear = lastYears ? (lastYears.get(`${k}|${ctx.quarter.year}`) ?? 0) : null;
      out.set(k, {
        ...v,
        forecastYearLastReturn: lastYear,
        forecastYearVariance: lastYear === null ? null : narrowPence(exactPence(v.forecastYear) - exactPence(lastYear)),
        forecastLastReturn: d?.last ?? null,
        forecastVariance: d?.variance ?? null,
      });
    }
    return out;
  },
};
