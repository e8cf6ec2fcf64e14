import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deliveredOutputs, type Delivered, type DeliveredByMetric } from '../outputs/delivered';
import type { HeadlineInput, ReconciliationReport } from './engine';

export type { Delivered, DeliveredByMetric };

/** Where reconciliation gets programme output totals (jobs, homes) from. */
export abstract class OutputTotalsPort {
  /**
   * Delivered outputs per metric code (claimed, removed as double claims, counted total) to the
   * end of the last submitted quarter (as at a return's quarter when `asAt` is given).
   */
  abstract delivered(
    m: EntityManager,
    programmeId: number,
    opts?: { asAt?: string; submitting?: boolean },
  ): Promise<Delivered>;
}

export const totalsOf = (d: DeliveredByMetric): Record<string, number> =>
  Object.fromEntries(Object.entries(d).map(([metric, t]) => [metric, t.total]));

/** Delivered outputs, each shared claim counted once: the one definition of outputs/delivered.ts. */
@Injectable()
export class DeliveredOutputTotals extends OutputTotalsPort {
  delivered(m: EntityManager, programmeId: number, opts?: { asAt?: string; submitting?: boolean }): Promise<Delivered> {
    return deliveredOutputs(m, programmeId, opts);
  }
}

/** Comparable outputs lines carry the definition of "delivered" beside their figure. */
export function defineDelivered(report: ReconciliationReport, delivered: Delivered): ReconciliationReport {
  const lines = report.lines.map((l) =>
    l.check !== 'outputs' || l.status === 'not_comparable'
      ? l
      : { ...l, explanation: `${l.explanation} ${delivered.definition}`.trim() },
  );
  return { ...report, lines };
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
