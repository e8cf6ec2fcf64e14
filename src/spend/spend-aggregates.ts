import { exactSum, toBigInt, toInt } from '../database/sql-values';
import { EntityManager } from 'typeorm';
import { addQuarters, formatQuarter } from '../common/fiscal';
import { narrowPence, parsePounds, type Money } from '../common/money';
import { Allocation } from '../funding/allocation.entity';
import { ReportingPosition } from '../periods/reporting-position';
import { Programme } from '../programmes/programme.entity';
import { SpendAdjustment, SpendProfileLine } from './spend.entities';
import { lastSubmittedReturn, outturnSql } from './outturn';
import { SpendAggregate } from './spend-figures';

export type { ReportingPosition };

export interface LastReturn {
  quarter: string;
  version: number | null;
  /** Why there is no variance, when there is none. */
  reason: string | null;
  forecasts: Map<string, number> | null;
}

/**
 * The last submitted return as at the reporting quarter (spend/outturn.ts defines it). Its
 * snapshot's `finance.lines[]` ({project, sourceKind, forecastProgramme}) gives the figures we compare with.
 */
export async function lastReturn(m: EntityManager, prog: Programme, pos: ReportingPosition): Promise<LastReturn> {
  const prev = formatQuarter(addQuarters(pos.quarter, -1));
  const rv = await lastSubmittedReturn(m, prog.id, pos.quarterCode, { snapshot: true });
  if (!rv)
    return { quarter: prev, version: null, reason: `no return has been submitted up to ${prev}`, forecasts: null };
  const quarter = rv.quarter;
  let lines: unknown;
  try {
    lines = (JSON.parse(rv.snapshot) as { finance?: { lines?: unknown } })?.finance?.lines;
  } catch {
    lines = undefined;
  }
  if (!Array.isArray(lines)) {
    return {
      quarter,
      version: rv.version,
      reason: `the ${quarter} return (version ${rv.version}) holds no finance lines to compare with`,
      forecasts: null,
    };
  }
  const forecasts = new Map<string, number>();
  for (const l of lines as { project?: string; sourceKind?: string; forecastProgramme?: string }[]) {
    try {
      if (l.project && l.sourceKind && l.forecastProgramme !== undefined)
        forecasts.set(`${l.project}|${l.sourceKind}`, parsePounds(l.forecastProgramme));
    } catch {
      /* a line we cannot read stays without a variance */
    }
  }
  return { quarter, version: rv.version, reason: null, forecasts };
}

export type LineAggregate = SpendAggregate & {
  projectId: number;
  allocationYearPence: Money;
  yearProfiled: boolean;
  /** Latest forecast for the quarters after the reporting year (slippage since the last return). */
  forecastLaterPence: number;
};

/** Everything the spend figures and the finance RAG need, in three grouped queries (never one per project). */
export async function spendAggregates(
  m: EntityManager,
  prog: Programme,
  pos: ReportingPosition,
  codes: Map<number, string>,
  projectId?: number,
): Promise<LineAggregate[]> {
  const params = {
    p: prog.id,
    ys: pos.yearFrom,
    ye: pos.yearTo,
    cur: pos.quarterCode,
    y: pos.quarter.year,
    j: projectId,
  };
  const inYear = (c: string) => `${c} >= :ys AND ${c} <= :ye`;
  const sq = m
    .createQueryBuilder(SpendProfileLine, 's')
    .select('s.project_id', 'projectId')
    .addSelect('s.source_kind', 'sourceKind')
    .addSelect('SUM(s.baseline_pence)', 'baselineTotal')
    .addSelect(`SUM(CASE WHEN ${inYear('s.quarter')} THEN s.baseline_pence ELSE 0 END)`, 'baselineYear')
    .addSelect(`SUM(${outturnSql.forecast('s', ':cur')})`, 'forecastProgramme')
    .addSelect(`SUM(${outturnSql.forecastYear('s', ':cur', ':ys', ':ye')})`, 'forecastYear')
    .addSelect('SUM(s.forecast_pence)', 'latestForecastTotal')
    .addSelect('SUM(CASE WHEN s.quarter > :ye THEN s.forecast_pence ELSE 0 END)', 'forecastLater')
    .addSelect(`SUM(${outturnSql.actualToDate('s', ':cur')})`, 'actualToDate')
    .addSelect(`SUM(${outturnSql.actualInQuarter('s', ':cur')})`, 'actualInQuarter')
    .where('s.programme_id = :p')
    .groupBy('s.project_id')
    .addGroupBy('s.source_kind');
  const aq = m
    .createQueryBuilder(SpendAdjustment, 'a')
    .select('a.project_id', 'projectId')
    .addSelect('a.source_kind', 'sourceKind')
    .addSelect(`SUM(${outturnSql.adjustmentToDate('a', ':cur')})`, 'adjustments')
    .addSelect(`SUM(${outturnSql.adjustmentYear('a', ':cur', ':ys', ':ye')})`, 'adjustmentsYear')
    .addSelect(`SUM(${outturnSql.adjustmentInQuarter('a', ':cur')})`, 'adjustmentsInQuarter')
    .where('a.programme_id = :p')
    .groupBy('a.project_id')
    .addGroupBy('a.source_kind');
  const lq = m
    .createQueryBuilder(Allocation, 'l')
    .select('l.project_id', 'projectId')
    .addSelect('l.source_kind', 'sourceKind')
    .addSelect(exactSum('l.amount_pence'), 'allocation')
    .addSelect(
      exactSum(`CASE WHEN l.period_kind = 'year' AND l.year_from = :y THEN l.amount_pence ELSE 0 END`),
      'allocationYear',
    )
    .addSelect(`SUM(CASE WHEN l.period_kind = 'year' THEN 1 ELSE 0 END)`, 'yearProfiled')
    .where(
      `l.programme_id = :p AND l.project_id IS NOT NULL AND l.approval_state = 'approved' AND l.commitment_status <> 'withdrawn'`,
    )
    .groupBy('l.project_id')
    .addGroupBy('l.source_kind');
  if (projectId !== undefined) {
    sq.andWhere('s.project_id = :j');
    aq.andWhere('a.project_id = :j');
    lq.andWhere('l.project_id = :j');
  }
  // Sequential: inside a transaction the manager holds one connection.
  const spend = await sq.setParameters(params).getRawMany();
  const adj = await aq.setParameters(params).getRawMany();
  const alloc = await lq.setParameters(params).getRawMany();
  const byKey = new Map<string, LineAggregate>();
  const line = (projectIdRaw: unknown, sourceKind: string): LineAggregate => {
    const pid = toInt(projectIdRaw);
    const key = `${pid}|${sourceKind}`;
    let l = byKey.get(key);
    if (!l) {
      l = {
        projectId: pid,
        project: codes.get(pid) ?? String(pid),
        sourceKind,
        allocationPence: 0,
        allocationYearPence: 0,
        yearProfiled: false,
        baselineTotalPence: 0,
        baselineYearPence: 0,
        forecastYearPence: 0,
        forecastProgrammePence: 0,
        forecastLaterPence: 0,
        latestForecastTotalPence: 0,
        actualToDatePence: 0,
        actualInQuarterPence: 0,
        adjustmentsPence: 0,
        adjustmentsYearPence: 0,
        adjustmentsInQuarterPence: 0,
      };
      byKey.set(key, l);
    }
    return l;
  };
  for (const r of alloc) {
    const l = line(r.projectId, r.sourceKind);
    l.allocationPence = narrowPence(toBigInt(r.allocation));
    l.allocationYearPence = narrowPence(toBigInt(r.allocationYear));
    l.yearProfiled = toInt(r.yearProfiled) > 0;
  }
  for (const r of spend) {
    const l = line(r.projectId, r.sourceKind);
    l.baselineTotalPence = toInt(r.baselineTotal);
    l.baselineYearPence = toInt(r.baselineYear);
    l.forecastProgrammePence = toInt(r.forecastProgramme);
    l.forecastYearPence = toInt(r.forecastYear);
    l.forecastLaterPence = toInt(r.forecastLater);
    l.latestForecastTotalPence = toInt(r.latestForecastTotal);
    l.actualToDatePence = toInt(r.actualToDate);
    l.actualInQuarterPence = toInt(r.actualInQuarter);
  }
  for (const r of adj) {
    const l = line(r.projectId, r.sourceKind);
    l.adjustmentsPence = toInt(r.adjustments);
    l.adjustmentsYearPence = toInt(r.adjustmentsYear);
    l.adjustmentsInQuarterPence = toInt(r.adjustmentsInQuarter);
  }
  // GROUP BY gives no order on PostgreSQL; explanations list lines in this order, so fix it.
  return [...byKey.values()].sort(
    (a, b) => a.projectId - b.projectId || (a.sourceKind < b.sourceKind ? -1 : a.sourceKind > b.sourceKind ? 1 : 0),
  );
}
