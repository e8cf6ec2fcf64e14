import type { Money } from '../../common/money';
import type { HeadlineUnit, Qualifier } from '../../headlines/headline-figure.entity';
import type { AgreedLineView } from '../../changes/agreed.queries';
import type { AllocationGroup, HeadlineInput, OutputTotals, ProjectRef } from './types';

/** What the reconciliation engine returns. Amounts are pence for pounds, counts otherwise. */

export const CHECKS = ['allocations', 'count', 'outputs', 'sumOf'] as const;
export type CheckName = (typeof CHECKS)[number];

export const LINE_STATUSES = [
  'reconciled',
  'within_rounding',
  'unreconciled',
  'met',
  'not_met',
  'not_comparable',
] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

export interface LineProvenance {
  document: string | null;
  section: string | null;
  quote: string | null;
  printed: string | null;
}

export interface LineTable {
  name: string;
  row: string | null;
  column: string | null;
}

/** Words-only hint that one allocation may explain two opposite variances; nothing is moved. */
export interface Suggestion {
  allocationId: number;
  withHeadlineCode: string;
}

export interface ReconciliationLine {
  headlineId: number;
  headlineCode: string;
  measure: string;
  label: string;
  check: CheckName;
  /**
   * Which comparison the line is, in words ("against the allocations", "the table's own
   * arithmetic"): one headline can give two lines with opposite verdicts, and a reader must
   * see which is which.
   */
  comparison: string;
  unit: HeadlineUnit;
  qualifier: Qualifier;
  stated: number;
  computed: Money | null;
  /** computed − stated; null when not comparable. */
  variance: Money | null;
  /** One unit of the last printed digit (the comparison is 2·|variance| ≤ precision, exact). */
  precision: number;
  /** precision / 2, for display: exact in binary (0.5 for a count printed to 1). */
  tolerance: number;
  status: LineStatus;
  /** stated − computed for allocations lines that differ (negative = over-attributed); else null. */
  unattributed: Money | null;
  contributingAllocationIds: number[];
  contributingHeadlines: string[];
  explanation: string;
  provenance: LineProvenance;
  table: LineTable | null;
  notes: string | null;
  suggestion: Suggestion | null;
  /** Set when the computed figure comes from illustrative (demo) data. */
  illustrative?: boolean;
  /**
   * Allocations lines, where the service knows the approved changes (engine/moved.ts): the figure
   * as the deal agreed it beside now, and each approved change request that moved money it counts.
   */
  agreed?: LineAgreed;
}

/** One holder's money a request moved into (positive) or out of (negative) a line. */
export interface LineMove {
  project: string | null;
  pool: string | null;
  sourceKind: string;
  change: Money;
}

export interface LineChangeRequest {
  number: number;
  title: string;
  illustrative: boolean;
  /** Its net effect on the line: zero where it moved money within it. */
  change: Money;
  moves: LineMove[];
}

/** An allocations line beside the deal as agreed: null figures where the line cannot be compared. */
export interface LineAgreed {
  agreed: Money | null;
  now: Money | null;
  change: Money;
  changeRequests: LineChangeRequest[];
}

export interface ConflictHeadline {
  code: string;
  label: string;
  stated: number;
  qualifier: Qualifier;
  document: string | null;
  section: string | null;
  quote: string | null;
}

export interface Conflict {
  measure: string;
  unit: HeadlineUnit;
  headlines: ConflictHeadline[];
  /** max − min of the stated values. */
  spread: number;
  explanation: string;
}

export interface ReconciliationSummary {
  lines: number;
  byStatus: Record<LineStatus, number>;
  /** Sum of every line's signed unattributed pence. */
  totalUnattributed: Money;
  conflicts: number;
}

export interface ReconciliationReport {
  lines: ReconciliationLine[];
  conflicts: Conflict[];
  summary: ReconciliationSummary;
  /**
   * The deal as agreed beside now, holder by holder (project, pool or programme) and source,
   * where the service knows the approved changes: the money lines the allocations lines add up.
   */
  agreed?: AgreedLineView[];
}

/** An approved change request's net effect on approved allocations, per source kind (pence). */
export interface ApprovedChange {
  number: number;
  kind: string;
  title: string;
  deltaBySource: Readonly<Record<string, number>>;
}

export interface ReconcileInput {
  headlines: readonly HeadlineInput[];
  groups: readonly AllocationGroup[];
  projects: readonly ProjectRef[];
  outputs: OutputTotals;
  /** Approved changes that moved money, oldest first: they may explain a variance. */
  changes?: readonly ApprovedChange[];
  /** Pools and their member projects: pooled money cannot be checked against a per-project figure. */
  pools?: readonly PoolRef[];
  /**
   * The last submitted quarter the output totals count to (outputs/delivered.ts); null when no
   * quarter has been submitted, so nothing is delivered yet. Left out when not known.
   */
  outputsThrough?: string | null;
}

export interface PoolRef {
  code: string;
  projects: readonly string[];
}
