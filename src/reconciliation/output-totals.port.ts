import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { programmeOutputTotals, type MetricTotal } from '../outputs/output-totals';

export type DeliveredByMetric = Record<string, MetricTotal & { doubleClaims: number }>;

/** Where reconciliation gets programme output totals (jobs, homes) from. */
export abstract class OutputTotalsPort {
  /**
   * Delivered outputs per metric code (claimed, removed as double claims, counted total);
   * `beforeQuarter` keeps only quarters before it (the public dashboard: submitted quarters).
   */
  abstract delivered(m: EntityManager, programmeId: number, beforeQuarter?: string): Promise<DeliveredByMetric>;

  /** Programme totals per metric code, double claims removed; {} when nothing is recorded. */
  async totals(m: EntityManager, programmeId: number, beforeQuarter?: string): Promise<Record<string, number>> {
    return totalsOf(await this.delivered(m, programmeId, beforeQuarter));
  }
}

export const totalsOf = (d: DeliveredByMetric): Record<string, number> => Object.fromEntries(Object.entries(d).map(([metric, t]) => [metric, t.total]));

/** Delivered outputs to date, each shared claim counted once (see outputs/output-totals.ts). */
@Injectable()
export class DeliveredOutputTotals extends OutputTotalsPort {
  delivered(m: EntityManager, programmeId: number, beforeQuarter?: string): Promise<DeliveredByMetric> {
    return programmeOutputTotals(m, programmeId, beforeQuarter);
  }
}
