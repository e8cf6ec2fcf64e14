import { EntityManager } from 'typeorm';
import { toInt } from '../database/sql-values';
import { OutputActual } from './output.entities';

export interface DoubleClaim {
  metric: string;
  claimKey: string;
  claims: { projectId: number; value: number }[];
  /** The largest single project's claim is counted; the rest is removed from programme totals. */
  countedValue: number;
  removedValue: number;
}

export interface MetricTotal {
  metric: string;
  /** Sum of every project's claims, double claims included. */
  claimed: number;
  removed: number;
  /** Programme total with each shared claim counted once. */
  total: number;
}

/** Pure: (metric, claim key, project) sums → programme totals with shared claims counted once. */
export function countOnce(rows: { metric: string; claimKey: string; projectId: number; value: number }[]): {
  totals: Map<string, MetricTotal>;
  doubleClaims: DoubleClaim[];
} {
  const groups = new Map<
    string,
    { metric: string; claimKey: string; claims: { projectId: number; value: number }[] }
  >();
  for (const r of rows) {
    const k = `${r.metric}\u0000${r.claimKey}`;
    if (!groups.has(k)) groups.set(k, { metric: r.metric, claimKey: r.claimKey, claims: [] });
    groups.get(k)!.claims.push({ projectId: r.projectId, value: r.value });
  }
  const totals = new Map<string, MetricTotal>();
  const doubleClaims: DoubleClaim[] = [];
  for (const g of groups.values()) {
    const sum = g.claims.reduce((s, c) => s + c.value, 0);
    const counted = g.claims.length > 1 ? Math.max(...g.claims.map((c) => c.value)) : sum;
    if (g.claims.length > 1)
      doubleClaims.push({
        metric: g.metric,
        claimKey: g.claimKey,
        claims: g.claims.sort((a, b) => a.projectId - b.projectId),
        countedValue: counted,
        removedValue: sum - counted,
      });
    const t = totals.get(g.metric) ?? { metric: g.metric, claimed: 0, removed: 0, total: 0 };
    t.claimed += sum;
    t.removed += sum - counted;
    t.total += counted;
    totals.set(g.metric, t);
  }
  doubleClaims.sort((a, b) => a.metric.localeCompare(b.metric) || a.claimKey.localeCompare(b.claimKey));
  return { totals, doubleClaims };
}

/** Claims summed per metric × claim key × project in one query; `beforeQuarter` keeps only earlier quarters (e.g. the submitted ones). */
export async function claimSums(m: EntityManager, programmeId: number, beforeQuarter?: string) {
  const qb = m
    .createQueryBuilder(OutputActual, 'o')
    .select('o.metric_code', 'metric')
    .addSelect('o.claim_key', 'claimKey')
    .addSelect('o.project_id', 'projectId')
    .addSelect('SUM(o.value)', 'value')
    .addSelect('MAX(CASE WHEN o.illustrative THEN 1 ELSE 0 END)', 'illustrative')
    .where('o.programme_id = :p', { p: programmeId })
    .groupBy('o.metric_code')
    .addGroupBy('o.claim_key')
    .addGroupBy('o.project_id')
    // Ordered: totals and double claims are listed in the rows' order, which a GROUP BY leaves to the plan.
    .orderBy('o.metric_code', 'ASC')
    .addOrderBy('o.claim_key', 'ASC')
    .addOrderBy('o.project_id', 'ASC');
  if (beforeQuarter !== undefined) qb.andWhere('o.quarter < :before', { before: beforeQuarter });
  const raw = await qb.getRawMany<{
    metric: string;
    claimKey: string;
    projectId: unknown;
    value: unknown;
    illustrative: unknown;
  }>();
  return raw.map((r) => ({
    metric: r.metric,
    claimKey: r.claimKey,
    projectId: toInt(r.projectId),
    value: toInt(r.value),
    illustrative: toInt(r.illustrative) === 1,
  }));
}

/**
 * Programme totals per metric code (stored units), each claim key claimed by several projects
 * counted once. Used by the reconciliation for the jobs and homes headlines.
 */
export async function programmeOutputTotals(
  m: EntityManager,
  programmeId: number,
  beforeQuarter?: string,
): Promise<Record<string, MetricTotal & { doubleClaims: number; illustrative: boolean }>> {
  const rows = await claimSums(m, programmeId, beforeQuarter);
  const { totals, doubleClaims } = countOnce(rows);
  const out: Record<string, MetricTotal & { doubleClaims: number; illustrative: boolean }> = {};
  for (const [k, t] of totals) {
    out[k] = {
      ...t,
      doubleClaims: doubleClaims.filter((d) => d.metric === k).length,
      illustrative: rows.some((r) => r.metric === k && r.illustrative),
    };
  }
  return out;
}
