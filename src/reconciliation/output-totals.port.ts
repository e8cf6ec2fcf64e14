import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Where reconciliation gets programme output totals (jobs, homes) from. The delivery feature
 * owns outputs and will provide its own implementation; until then none exist.
 */
export abstract class OutputTotalsPort {
  /** Programme totals per metric code, double claims removed; {} when nothing is recorded. */
  abstract totals(m: EntityManager, programmeId: number): Promise<Record<string, number>>;
}

/** The default: no outputs exist yet, so every outputs line is not comparable. */
@Injectable()
export class NoOutputTotals extends OutputTotalsPort {
  totals(): Promise<Record<string, number>> {
    return Promise.resolve({});
  }
}
