/** Public surface of the pure reconciliation and breakdown engine (no Nest, no database). */
export type { AllocationGroup, HeadlineInput, OutputTotals, ProjectRef } from './types';
export {
  breakdown,
  bucketLabel,
  compareBuckets,
  DIMENSIONS,
  parseDimensions,
  POOLED_PREFIX,
  TOTAL_COLUMN,
  UNATTRIBUTED,
  UnknownDimensionError,
  UNPROFILED,
  yearLabel,
} from './breakdown';
export type { Breakdown, BreakdownRow, Dimension } from './breakdown';
export { findConflicts, reconcile, statusFor } from './reconcile';
export { CHECKS, LINE_STATUSES } from './report';
export type {
  CheckName,
  Conflict,
  ConflictHeadline,
  LineProvenance,
  LineStatus,
  LineTable,
  PoolRef,
  ReconcileInput,
  ReconciliationLine,
  ReconciliationReport,
  ReconciliationSummary,
  Suggestion,
} from './report';
export { money as describeMoney } from './format';
