import { EntityManager } from 'typeorm';
import { leanQuery } from '../../database/lean-read';

/** Numbered placeholders for the lean path: $n on PostgreSQL, ?n on SQLite. */
function placeholder(m: EntityManager): (n: number) => string {
  return m.connection.options.type === 'postgres' ? (n) => `$${n}` : (n) => `?${n}`;
}
import { toBool, toInt, toIntOrNull } from '../../database/sql-values';

/**
 * Aggregate queries behind the delivery sections. Each returns every row it needs in one
 * statement (grouped in SQL), so a page costs the same for 8 projects or 6,000.
 */

export interface QuarterSpend {
  quarter: string;
  baselinePence: number;
  forecastPence: number;
  /** Sum of recorded actuals; null when no line of the quarter has an actual. */
  actualPence: number | null;
  /** Prior-period adjustments recorded in this quarter (they count in spend to date). */
  adjustmentsPence: number;
  illustrative: boolean;
}

/** Spend profile summed by quarter (programme, or one project), plus adjustments by the quarter they were recorded in. Two queries. */
export async function spendByQuarter(
  m: EntityManager,
  programmeId: number,
  projectId?: number,
): Promise<QuarterSpend[]> {
  const p = placeholder(m);
  const yes = m.connection.options.type === 'postgres' ? 'true' : '1';
  const one = (col: string) => (projectId === undefined ? '' : ` AND ${col} = ${p(2)}`);
  const params = projectId === undefined ? [programmeId] : [programmeId, projectId];
  const rows = await leanQuery(
    m.connection,
    `SELECT s.quarter AS quarter, SUM(s.baseline_pence) AS baseline, SUM(s.forecast_pence) AS forecast,
            SUM(s.actual_pence) AS actual, COUNT(s.actual_pence) AS actuals,
            SUM(CASE WHEN s.illustrative = ${yes} THEN 1 ELSE 0 END) AS illustrative
       FROM spend_profile s WHERE s.programme_id = ${p(1)}${one('s.project_id')}
      GROUP BY s.quarter ORDER BY s.quarter ASC`,
    params,
  );
  const adj = await leanQuery(
    m.connection,
    `SELECT a.recorded_in_quarter AS quarter, SUM(a.amount_pence) AS amount
       FROM spend_adjustment a WHERE a.programme_id = ${p(1)}${one('a.project_id')}
      GROUP BY a.recorded_in_quarter`,
    params,
  );
  const byQuarter = new Map<string, QuarterSpend>();
  for (const r of rows) {
    byQuarter.set(String(r.quarter), {
      quarter: String(r.quarter),
      baselinePence: toInt(r.baseline),
      forecastPence: toInt(r.forecast),
      actualPence: toInt(r.actuals) > 0 ? toInt(r.actual) : null,
      adjustmentsPence: 0,
      illustrative: toInt(r.illustrative) > 0,
    });
  }
  for (const r of adj) {
    const q = String(r.quarter);
    const x = byQuarter.get(q) ?? {
      quarter: q,
      baselinePence: 0,
      forecastPence: 0,
      actualPence: null,
      adjustmentsPence: 0,
      illustrative: false,
    };
    x.adjustmentsPence = toInt(r.amount);
    byQuarter.set(q, x);
  }
  return [...byQuarter.values()].sort((a, b) => (a.quarter < b.quarter ? -1 : 1));
}

export interface MilestoneRow {
  id: number;
  projectId: number | null;
  projectCode: string | null;
  projectName: string | null;
  title: string;
  kind: string;
  baselineDate: string | null;
  forecastDate: string | null;
  actualDate: string | null;
  status: string;
  illustrative: boolean;
}

/** Project milestones (one project, or all) with their project, in one query. */
export async function milestoneRows(
  m: EntityManager,
  programmeId: number,
  projectId?: number,
): Promise<MilestoneRow[]> {
  const p = placeholder(m);
  const sql = `SELECT x.id AS id, x.project_id AS project_id, p.code AS project_code, p.name AS project_name, x.title AS title,
         x.kind AS kind, x.baseline_date AS baseline_date, x.forecast_date AS forecast_date, x.actual_date AS actual_date,
         x.status AS status, x.source_illustrative AS illustrative
    FROM milestone x INNER JOIN project p ON p.id = x.project_id
   WHERE x.programme_id = ${p(1)}${projectId === undefined ? '' : ` AND x.project_id = ${p(2)}`}
   ORDER BY p.code ASC, x.baseline_date ASC, x.id ASC`;
  const rows = await leanQuery(m.connection, sql, projectId === undefined ? [programmeId] : [programmeId, projectId]);
  return rows.map((r) => ({
    id: toInt(r.id),
    projectId: toIntOrNull(r.project_id),
    projectCode: (r.project_code as string) ?? null,
    projectName: (r.project_name as string) ?? null,
    title: String(r.title),
    kind: String(r.kind),
    baselineDate: (r.baseline_date as string) ?? null,
    forecastDate: (r.forecast_date as string) ?? null,
    actualDate: (r.actual_date as string) ?? null,
    status: String(r.status),
    illustrative: toBool(r.illustrative),
  }));
}

export interface MetricInfo {
  code: string;
  name: string;
  unit: string;
  scale: number;
  storedUnit: string;
}

export interface OutputTargetRow extends MetricInfo {
  target: number | null;
  forecast: number | null;
  illustrative: boolean;
}

/** One project's output targets with their metric, in one query. */
export async function outputTargets(m: EntityManager, projectId: number): Promise<OutputTargetRow[]> {
  const rows: Record<string, unknown>[] = await m
    .createQueryBuilder()
    .from('output_target', 't')
    .innerJoin('output_metric', 'om', 'om.code = t.metric_code')
    .select([
      'om.code AS code',
      'om.name AS name',
      'om.unit AS unit',
      'om.scale AS scale',
      'om.stored_unit AS stored_unit',
      'om.position AS position',
    ])
    .addSelect(['t.target_value AS target', 't.forecast_value AS forecast', 't.source_illustrative AS illustrative'])
    .where('t.project_id = :projectId', { projectId })
    .orderBy('om.position', 'ASC')
    .addOrderBy('om.code', 'ASC')
    .getRawMany();
  return rows.map((r) => ({
    code: String(r.code),
    name: String(r.name),
    unit: String(r.unit),
    scale: toInt(r.scale),
    storedUnit: String(r.stored_unit),
    target: r.target === null || r.target === undefined ? null : toInt(r.target),
    forecast: r.forecast === null || r.forecast === undefined ? null : toInt(r.forecast),
    illustrative: toBool(r.illustrative),
  }));
}

export interface DeliveredRow extends MetricInfo {
  projectCode: string;
  projectName: string;
  quarter: string;
  value: number;
  illustrative: boolean;
}

/**
 * Outputs delivered, summed per project × metric × quarter, for the quarters in [from, to)
 * (submitted quarters only on public pages). One query.
 */
export async function deliveredOutputs(
  m: EntityManager,
  programmeId: number,
  range: { from?: string; before: string },
  projectId?: number,
): Promise<DeliveredRow[]> {
  const qb = m
    .createQueryBuilder()
    .from('output_actual', 'o')
    .innerJoin('project', 'p', 'p.id = o.project_id')
    .innerJoin('output_metric', 'om', 'om.code = o.metric_code')
    .select([
      'p.code AS project_code',
      'p.name AS project_name',
      'o.quarter AS quarter',
      'om.code AS code',
      'om.name AS name',
      'om.unit AS unit',
      'om.scale AS scale',
      'om.stored_unit AS stored_unit',
    ])
    .addSelect('SUM(o.value)', 'value')
    .addSelect('SUM(CASE WHEN o.illustrative = :yes THEN 1 ELSE 0 END)', 'illustrative')
    .where('o.programme_id = :programmeId AND o.quarter < :before', { programmeId, before: range.before, yes: true })
    .groupBy('p.code')
    .addGroupBy('p.name')
    .addGroupBy('o.quarter')
    .addGroupBy('om.code')
    .addGroupBy('om.name')
    .addGroupBy('om.unit')
    .addGroupBy('om.scale')
    .addGroupBy('om.stored_unit')
    .orderBy('o.quarter', 'ASC')
    .addOrderBy('p.code', 'ASC')
    .addOrderBy('om.code', 'ASC');
  if (range.from !== undefined) qb.andWhere('o.quarter >= :from', { from: range.from });
  if (projectId !== undefined) qb.andWhere('o.project_id = :projectId', { projectId });
  const rows: Record<string, unknown>[] = await qb.getRawMany();
  return rows.map((r) => ({
    projectCode: String(r.project_code),
    projectName: String(r.project_name),
    quarter: String(r.quarter),
    code: String(r.code),
    name: String(r.name),
    unit: String(r.unit),
    scale: toInt(r.scale),
    storedUnit: String(r.stored_unit),
    value: toInt(r.value),
    illustrative: toInt(r.illustrative) > 0,
  }));
}

export interface DecidedChange {
  number: number;
  kind: string;
  title: string;
  reason: string;
  state: 'approved' | 'rejected';
  payload: unknown;
  decidedAt: string;
  /** The programme quarter the decision belongs to (programme time); null only before it was recorded. */
  decidedQuarter: string | null;
  decisionReason: string | null;
  projectIds: number[];
  /** Replayed from illustrative demo data. */
  illustrative: boolean;
}

/**
 * Approved and rejected change requests (never drafts, submitted-but-undecided or withdrawn
 * ones), optionally only those touching one project or decided in a time window. One query.
 */
export async function decidedChanges(
  m: EntityManager,
  programmeId: number,
  opts: { projectId?: number; decidedAfter?: string; decidedUpTo?: string } = {},
): Promise<DecidedChange[]> {
  const qb = m
    .createQueryBuilder()
    .from('change_request', 'c')
    .select([
      'c.number AS number',
      'c.kind AS kind',
      'c.title AS title',
      'c.reason AS reason',
      'c.state AS state',
      'c.payload AS payload',
      'c.decided_at AS decided_at',
      'c.decided_quarter AS decided_quarter',
      'c.decision_reason AS decision_reason',
      'c.project_ids AS project_ids',
      'c.illustrative AS illustrative',
    ])
    .where("c.programme_id = :programmeId AND c.state IN ('approved', 'rejected') AND c.decided_at IS NOT NULL", {
      programmeId,
    })
    .orderBy('c.decided_at', 'DESC')
    .addOrderBy('c.number', 'DESC');
  if (opts.projectId !== undefined) qb.andWhere('c.project_ids LIKE :pid', { pid: `%|${opts.projectId}|%` });
  if (opts.decidedAfter !== undefined) qb.andWhere('c.decided_at > :after', { after: opts.decidedAfter });
  if (opts.decidedUpTo !== undefined) qb.andWhere('c.decided_at <= :upTo', { upTo: opts.decidedUpTo });
  const rows: Record<string, unknown>[] = await qb.getRawMany();
  return rows.map((r) => {
    let payload: unknown = null;
    try {
      payload = JSON.parse(String(r.payload));
    } catch {
      payload = null;
    }
    return {
      number: toInt(r.number),
      kind: String(r.kind),
      title: String(r.title),
      reason: String(r.reason),
      state: r.state as 'approved' | 'rejected',
      payload,
      decidedAt: String(r.decided_at),
      decidedQuarter: r.decided_quarter === null || r.decided_quarter === undefined ? null : String(r.decided_quarter),
      decisionReason: (r.decision_reason as string) ?? null,
      illustrative: toBool(r.illustrative),
      projectIds: String(r.project_ids ?? '')
        .split('|')
        .filter((s) => s !== '')
        .map(Number),
    };
  });
}

/** Whether any spend line, milestone or output target behind a RAG is illustrative demo data. One query. */
export async function anyIllustrativeDelivery(
  m: EntityManager,
  db: 'sqlite' | 'postgres',
  programmeId: number,
  projectId?: number,
): Promise<boolean> {
  const yes = db === 'postgres' ? 'true' : '1';
  const by = (col: string) =>
    projectId === undefined ? `programme_id = ${Number(programmeId)}` : `${col} = ${Number(projectId)}`;
  const [r]: Record<string, unknown>[] = await m.query(
    // Whether any row is, not how many: each probe stops at the first.
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM spend_profile WHERE ${by('project_id')} AND illustrative = ${yes})
                   OR EXISTS (SELECT 1 FROM milestone WHERE ${by('project_id')} AND source_illustrative = ${yes})
                   OR EXISTS (SELECT 1 FROM output_target WHERE ${by('project_id')} AND source_illustrative = ${yes})
                 THEN 1 ELSE 0 END AS n`,
  );
  return toInt(r?.n) > 0;
}
