import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { programmeOutputTotals, type MetricTotal } from '../outputs/output-totals';
import type { HeadlineInput, ReconciliationReport } from './engine';

export type DeliveredByMetric = Record<string, MetricTotal & { doubleClaims: number; illustrative: boolean }>;

/** Where reconciliation gets programme output totals (jobs, homes) from. */
export abstract class OutputTotalsPort {
  /**
   * Delivered outputs per metric code (claimed, removed as double claims, counted total);
   * `beforeQuarter` keeps only quarters before it (the public dashboard: submitted quarters).
   */
  abstract delivered(m: EntityManager, programmeId: number, beforeQuarter?: string): Promise<DeliveredByMetric>;
}

export const totalsOf = (d: DeliveredByMetric): Record<string, number> =>
  Object.fromEntries(Object.entries(d).map(([metric, t]) => [metric, t.total]));

/** Delivered outputs to date, each shared claim counted once (see outputs/output-totals.ts). */
@Injectable()
export class DeliveredOutputTotals extends OutputTotalsPort {
  delivered(m: EntityManager, programmeId: number, beforeQuarter?: string): Promise<DeliveredByMetric> {
    return programmeOutputTotals(m, programmeId, beforeQuarter);
  }
}

/**
 * Outputs lines counted from illustrative (demo) outputs say so, in the data and in words:
 * a demo figure must never pass for real delivery.
 */
export function markIllustrativeOutputs(
  report: ReconciliationReport,
  delivered: DeliveredByMetric,
  headlines: readonly HeadlineInput[],
): ReconciliationReport {
  const rules = new Map(headlines.map((h) => [h.code, h.rule.outputs?.metrics ?? []]));
  const lines = report.lines.map((l) => {
    if (l.check !== 'outputs' || l.status === 'not_comparable') return l;
    if (!(rules.get(l.headlineCode) ?? []).some((metric) => delivered[metric]?.illustrative)) return l;
    return {
      ...l,
      illustrative: true,
      explanation: `${l.explanation} These outputs are illustrative demo data, not real delivery.`.trim(),
    };
  });
  return { ...report, lines };
}
