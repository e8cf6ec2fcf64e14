import { EntityManager } from 'typeorm';
import { addQuarters, formatQuarter, parseQuarter } from '../common/fiscal';
import { lastSubmittedReturn } from '../spend/outturn';
import { programmeOutputTotals, type MetricTotal } from './output-totals';

export type DeliveredByMetric = Record<string, MetricTotal & { doubleClaims: number; illustrative: boolean }>;

/** Delivered outputs as a fact: what they count, in words, and the totals. */
export interface Delivered {
  /** The last quarter counted (the last submitted one), or null when none is submitted. */
  through: string | null;
  /** The definition, to be shown beside the figure. */
  definition: string;
  byMetric: DeliveredByMetric;
}

/** Pure: the words shown beside a delivered figure. */
export function deliveredDefinition(through: string | null): string {
  return through === null
    ? 'Delivered counts outputs to the end of the last submitted quarter: no quarter has been submitted yet, so nothing is delivered.'
    : `Delivered counts outputs to the end of ${through}, the last submitted quarter; each shared claim is counted once.`;
}

/**
 * The one definition of outputs delivered (DESIGN.md, Clarifications 2026-12): claims of every
 * quarter up to the end of the last submitted quarter, each shared claim counted once. The
 * dashboard, the quarterly return and the reconciliation all call this.
 *
 * `asAt` (a return's quarter) counts only submissions up to it; `submitting` counts `asAt`
 * itself as submitted (the return being frozen states what will be the fact once it is).
 */
export async function deliveredOutputs(
  m: EntityManager,
  programmeId: number,
  opts: { asAt?: string; submitting?: boolean } = {},
): Promise<Delivered> {
  const through =
    opts.submitting && opts.asAt
      ? opts.asAt
      : ((await lastSubmittedReturn(m, programmeId, opts.asAt ?? '9999-99 Q9'))?.quarter ?? null);
  const byMetric =
    through === null
      ? {}
      : await programmeOutputTotals(m, programmeId, formatQuarter(addQuarters(parseQuarter(through), 1)));
  return { through, definition: deliveredDefinition(through), byMetric };
}
