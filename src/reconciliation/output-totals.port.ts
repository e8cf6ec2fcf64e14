import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { programmeOutputTotals } from '../outputs/output-totals';

/** Where reconciliation gets programme output totals (jobs, homes) from. */
export abstract class OutputTotalsPort {
  /** Programme totals per metric code, double claims removed; {} when nothing is recorded. */
  abstract totals(m: EntityManager, programmeId: number): Promise<Record<string, number>>;
}

/** Delivered outputs to date, each shared claim counted once (see outputs/output-totals.ts). */
@Injectable()
export class DeliveredOutputTotals extends OutputTotalsPort {
  async totals(m: EntityManager, programmeId: number): Promise<Record<string, number>> {
    const byMetric = await programmeOutputTotals(m, programmeId);
    return Object.fromEntries(Object.entries(byMetric).map(([metric, t]) => [metric, t.total]));
  }
}
