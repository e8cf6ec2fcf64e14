import type { HeadlineRule } from '../../headlines/headline-rule';
import type { AllocationGroup, HeadlineInput } from './types';

/** Builders for the engine's specs: terse, explicit pence, no hidden arithmetic. */

export const M = 100_000_000; // pence in £1m
export const TENTH = 10_000_000; // pence in £0.1m (precision of "£27.7m")

let nextId = 1000;

export function group(p: Partial<AllocationGroup> & { pence: number }): AllocationGroup {
  return {
    sourceKind: 'LGF',
    commitmentStatus: 'confirmed',
    periodKind: 'unprofiled',
    yearFrom: null,
    yearTo: null,
    themeCode: 'SITES',
    projectCode: 'ETRURIA',
    poolCode: null,
    capital: true,
    allocationIds: [nextId++],
    ...p,
  };
}

export const inYear = (y: number) => ({ periodKind: 'year' as const, yearFrom: y, yearTo: y });
export const inRange = (from: number, to: number | null) => ({
  periodKind: 'range' as const,
  yearFrom: from,
  yearTo: to,
});
export const pooled = (pool: string) => ({ projectCode: null, poolCode: pool });
export const programmeLevel = { projectCode: null, poolCode: null, themeCode: null };

let nextHeadline = 1;

export function headline(
  code: string,
  value: number,
  precision: number,
  rule: HeadlineRule,
  extra: Partial<HeadlineInput> = {},
): HeadlineInput {
  return {
    id: nextHeadline++,
    code,
    measure: code,
    label: `Label of ${code}`,
    qualifier: 'exact',
    unit: 'pounds',
    value,
    precision,
    rule,
    tableName: null,
    tableRow: null,
    tableColumn: null,
    notes: null,
    source: { document: 'Growth Deal document', section: 'Part B', quote: null, printed: null },
    ...extra,
  };
}
