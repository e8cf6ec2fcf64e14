/**
 * The one definition of actual to date, forecast outturn and "the last submitted return".
 * Every figure is "as at" a quarter Q: the return's quarter, or for live figures the
 * programme's reporting quarter (the earliest quarter whose return is not submitted).
 *
 * - Spend in the quarter: Q's actual plus adjustments recorded in Q.
 * - Actual (spend) to date: actuals of quarters up to and including Q, plus every adjustment
 *   (prior-period correction or repayment) recorded in a quarter up to and including Q.
 *   Actuals after Q are not yet reported, whatever the live data holds.
 * - Forecast outturn for the programme: the actual (0 when none) for each quarter before Q,
 *   the latest forecast for Q and every later quarter, plus the adjustments counted in spend
 *   to date. For a year: the same over that year's quarters, with the adjustments that
 *   correct a quarter of that year.
 * - The last submitted return as at Q: the latest version of the latest submitted quarter
 *   up to and including Q (for a new version of a submitted quarter, that quarter's own last
 *   version; for the reporting quarter, the quarter before it).
 *
 * The pure functions below are the reference; the SQL fragments are the same rules for the
 * aggregate queries (spend figures, national return), tested against the functions on
 * generated data (test/outturn.e2e-spec.ts). Integers (pence) only.
 */
import { EntityManager } from 'typeorm';
import { addPence } from '../common/money';
import type { ReturnVersion } from '../periods/return-version.entity';
import { snapshotTextSql } from '../periods/return-snapshot';

export interface OutturnSpendLine {
  quarter: string;
  forecastPence: number;
  actualPence: number | null;
}

export interface OutturnAdjustment {
  recordedInQuarter: string;
  correctsQuarter: string;
  amountPence: number;
}

export interface Outturn {
  actualInQuarter: number;
  adjustmentsInQuarter: number;
  spendInQuarter: number;
  actualToDate: number;
  adjustmentsToDate: number;
  spendToDate: number;
  forecastProgramme: number;
  forecastYear: number;
}

/** Whether a quarter's actual counts in spend to date as at `asAt`. */
export const reportedBy = (quarter: string, asAt: string) => quarter <= asAt;
/** Whether a quarter's outturn is its actual (closed before `asAt`) rather than its forecast. */
export const closedBefore = (quarter: string, asAt: string) => quarter < asAt;

/** One project × source kind's outturn as at `asAt`; `year` is the [first, last] quarter of the year wanted. */
export function outturnOf(
  asAt: string,
  year: [string, string],
  lines: OutturnSpendLine[],
  adjustments: OutturnAdjustment[],
): Outturn {
  const inYear = (q: string) => q >= year[0] && q <= year[1];
  const o: Outturn = {
    actualInQuarter: 0,
    adjustmentsInQuarter: 0,
    spendInQuarter: 0,
    actualToDate: 0,
    adjustmentsToDate: 0,
    spendToDate: 0,
    forecastProgramme: 0,
    forecastYear: 0,
  };
  // One line's sums stay numbers (a line has one profile row per quarter) but are checked:
  // past 2^53 pence they stop with an error rather than round.
  for (const s of lines) {
    const outturn = closedBefore(s.quarter, asAt) ? (s.actualPence ?? 0) : s.forecastPence;
    o.forecastProgramme = addPence(o.forecastProgramme, outturn);
    if (inYear(s.quarter)) o.forecastYear = addPence(o.forecastYear, outturn);
    if (reportedBy(s.quarter, asAt)) o.actualToDate = addPence(o.actualToDate, s.actualPence ?? 0);
    if (s.quarter === asAt) o.actualInQuarter = addPence(o.actualInQuarter, s.actualPence ?? 0);
  }
  for (const a of adjustments) {
    if (!reportedBy(a.recordedInQuarter, asAt)) continue;
    o.adjustmentsToDate = addPence(o.adjustmentsToDate, a.amountPence);
    o.forecastProgramme = addPence(o.forecastProgramme, a.amountPence);
    if (inYear(a.correctsQuarter)) o.forecastYear = addPence(o.forecastYear, a.amountPence);
    if (a.recordedInQuarter === asAt) o.adjustmentsInQuarter = addPence(o.adjustmentsInQuarter, a.amountPence);
  }
  o.spendToDate = addPence(o.actualToDate, o.adjustmentsToDate);
  o.spendInQuarter = addPence(o.actualInQuarter, o.adjustmentsInQuarter);
  return o;
}

/**
 * The same rules as SQL expressions to SUM() over `spend_profile` (alias `s`) and
 * `spend_adjustment` (alias `a`) rows. `q` is the placeholder of the as-at quarter
 * (":cur", "$1"...), `ys`/`ye` those of the year's first and last quarter.
 */
export const outturnSql = {
  /** Per spend line: its contribution to forecast outturn. */
  forecast: (s: string, q: string) =>
    `CASE WHEN ${s}.quarter < ${q} THEN COALESCE(${s}.actual_pence, 0) ELSE ${s}.forecast_pence END`,
  forecastYear: (s: string, q: string, ys: string, ye: string) =>
    `CASE WHEN ${s}.quarter >= ${ys} AND ${s}.quarter <= ${ye} THEN ${outturnSql.forecast(s, q)} ELSE 0 END`,
  actualToDate: (s: string, q: string) =>
    `CASE WHEN ${s}.quarter <= ${q} THEN COALESCE(${s}.actual_pence, 0) ELSE 0 END`,
  actualInQuarter: (s: string, q: string) =>
    `CASE WHEN ${s}.quarter = ${q} THEN COALESCE(${s}.actual_pence, 0) ELSE 0 END`,
  /** Per adjustment: counted to date (and in forecast outturn) once recorded up to Q. */
  adjustmentToDate: (a: string, q: string) =>
    `CASE WHEN ${a}.recorded_in_quarter <= ${q} THEN ${a}.amount_pence ELSE 0 END`,
  adjustmentYear: (a: string, q: string, ys: string, ye: string) =>
    `CASE WHEN ${a}.recorded_in_quarter <= ${q} AND ${a}.corrects_quarter >= ${ys} AND ${a}.corrects_quarter <= ${ye} THEN ${a}.amount_pence ELSE 0 END`,
  adjustmentInQuarter: (a: string, q: string) =>
    `CASE WHEN ${a}.recorded_in_quarter = ${q} THEN ${a}.amount_pence ELSE 0 END`,
};

/** A submitted version's identity, as "the last submitted return" names it. */
export type SubmittedVersion = Pick<ReturnVersion, 'id' | 'quarter' | 'version' | 'snapshotSha256'>;

/**
 * The last submitted return as at `quarter` (see the file comment), or null when none is; with
 * `snapshot`, its frozen JSON too, joined from its pieces by the database in the same statement
 * (for that one version only: the derived table picks it before the join is made).
 */
export async function lastSubmittedReturn(
  m: EntityManager,
  programmeId: number,
  quarter: string,
): Promise<SubmittedVersion | null>;
export async function lastSubmittedReturn(
  m: EntityManager,
  programmeId: number,
  quarter: string,
  opts: { snapshot: true },
): Promise<(SubmittedVersion & { snapshot: string }) | null>;
export async function lastSubmittedReturn(
  m: EntityManager,
  programmeId: number,
  quarter: string,
  opts: { snapshot?: boolean } = {},
): Promise<(SubmittedVersion & { snapshot?: string }) | null> {
  const type = m.connection.options.type;
  const ph = (n: number) => (type === 'postgres' ? `$${n}` : '?');
  const rows = (await m.query(
    `SELECT v.id, v.quarter, v.version, v.snapshot_sha256${opts.snapshot ? `, ${snapshotTextSql(type, 'v.id')} AS snapshot` : ''}
     FROM (SELECT r.id, r.quarter, r.version, r.snapshot_sha256 FROM return_version r
           WHERE r.programme_id = ${ph(1)} AND r.quarter <= ${ph(2)}
           ORDER BY r.quarter DESC, r.version DESC LIMIT 1) v`,
    [programmeId, quarter],
  )) as { id: unknown; quarter: string; version: unknown; snapshot_sha256: string; snapshot?: string | null }[];
  const r = rows[0];
  if (!r) return null;
  const version: SubmittedVersion = {
    id: Number(r.id),
    quarter: String(r.quarter),
    version: Number(r.version),
    snapshotSha256: String(r.snapshot_sha256),
  };
  return opts.snapshot ? { ...version, snapshot: r.snapshot ?? '' } : version;
}
