import type { HeadlineRule } from '../../headlines/headline-rule';
import type { HeadlineUnit, Qualifier } from '../../headlines/headline-figure.entity';
import type { Money } from '../../common/money';

/**
 * Plain data the engine works on: one row per group of allocations as the SQL aggregate
 * returns it (the service groups by every dimension, so a row is the finest grain).
 * Amounts are integer pence. No Nest, no database here.
 */
export interface AllocationGroup {
  sourceKind: string;
  commitmentStatus: string; // confirmed | provisional | indicative | withdrawn
  periodKind: 'year' | 'range' | 'unprofiled';
  yearFrom: number | null; // 2015 for 2015-16
  yearTo: number | null;
  themeCode: string | null; // theme of the project (or of the pool); null for programme-level
  projectCode: string | null; // null for pooled and programme-level
  poolCode: string | null; // set for pooled allocations
  capital: boolean; // false for revenue kinds (outside capital totals)
  pence: Money; // a SQL sum: exact (a bigint only past 2^53)
  allocationIds: number[];
}

export interface ProjectRef {
  code: string;
  themeCode: string | null;
  status: string;
}

export interface HeadlineInput {
  id: number;
  code: string;
  measure: string;
  label: string;
  qualifier: Qualifier;
  unit: HeadlineUnit;
  value: number; // pence for pounds, count otherwise
  precision: number; // one unit of the last printed digit, same unit as value
  rule: HeadlineRule;
  tableName: string | null;
  tableRow: string | null;
  tableColumn: string | null;
  notes: string | null;
  source: { document: string | null; section: string | null; quote: string | null; printed: string | null };
}

/** Output totals per metric code (programme totals with double claims removed); empty before any output exists. */
export type OutputTotals = Record<string, number>;
