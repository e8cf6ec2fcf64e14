/**
 * The quarterly update's words and shapes: status and task labels, the forms' inputs and
 * sections, the editable rule, and how the audit trail shows an update.
 */
import { DomainError, FieldProblem, RuleViolationError, ValidationError } from '../common/errors';
import { formatPounds } from '../common/money';
import { OutputClaimProposal, QuarterlyUpdate, SpendState, UpdateDraft, UpdateStatus } from './quarterly-update.entity';
import { CumulativeReading } from './typing-checks';

export const STATUS_LABELS: Record<UpdateStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  submitted: 'Submitted',
  returned: 'Returned',
  accepted: 'Accepted',
};

/** Where an accepted update's actual spend stands, in words (the update page, the audit trail). */
export const SPEND_STATE_WORDS: Record<SpendState, string> = {
  awaiting: 'awaiting finance confirmation',
  confirmed: 'confirmed by finance',
};

/** The spend part of an update form: per source kind, the quarter's actual and every forecast. */
export interface SpendSection {
  sourceKind: string;
  /** Spend to date before the reporting quarter (outturn.ts's one definition). */
  previousToDatePence: number;
  /** The accepted actual for the quarter (null when none) and the update's proposal. */
  acceptedActualPence: number | null;
  actualPence: number | null;
  forecasts: {
    quarter: string;
    acceptedPence: number;
    pence: number;
    changed: boolean;
  }[];
}

export interface SpendInput {
  /** sourceKind → pence for the reporting quarter. */
  actuals: Record<string, number>;
  /** `${sourceKind}|${quarter}` → pence. */
  forecasts: Record<string, number>;
  /** Source kinds whose actual the person chose to read as a total to date. */
  readAsCumulative: string[];
  /** Source kinds whose actual the person confirmed is the quarter's own figure. */
  readAsQuarter: string[];
  version?: number;
}

/** An actual that reads as well as a cumulative total: the form asks which reading is meant. */
export interface CumulativeQuestion extends CumulativeReading {
  sourceKind: string;
  previousToDatePence: number;
  quarterForecastPence: number;
}

export const EDITABLE: UpdateStatus[] = ['not_started', 'in_progress', 'returned'];

/** A part of the update that must be finished before it is submitted (outputs, risks). */
export type TaskStatus = 'not_started' | 'in_progress' | 'done';
export const TASK_LABELS: Record<TaskStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
};

/** One output metric the project has a target for, with the update's claims and forecast over it. */
export interface OutputSection {
  metric: string;
  name: string;
  unit: string;
  scale: number;
  target: number | null;
  acceptedForecast: number | null;
  forecast: number | null;
  forecastChanged: boolean;
  planVersion: number | null;
  /** Claims already recorded (every quarter), summed: stored units. */
  deliveredToDate: number;
  claims: (OutputClaimProposal & { sharedWith: string[] })[];
}

/** What the outputs form sends, values in the API's form for the metric's unit (see output-units.ts). */
export interface OutputsInput {
  claims: {
    /** The form's name for the claim's row (`o-JOBS_CREATED-2`), so problems name its boxes. */
    field: string;
    label: string;
    metric: string;
    quarter: string;
    value: unknown;
    claimKey: string;
    evidence: string | null;
  }[];
  /** Metric → forecast in the API form, or null when left blank. */
  forecasts: Record<string, { value: unknown; field: string; label: string } | null>;
  complete: boolean;
}

export function outputsTaskStatus(draft: UpdateDraft, metricCount: number): TaskStatus {
  if (draft.outputs) return draft.outputs.complete ? 'done' : 'in_progress';
  return metricCount === 0 ? 'done' : 'not_started';
}

export function risksTaskStatus(draft: UpdateDraft): TaskStatus {
  if (draft.risks) return draft.risks.reviewed ? 'done' : 'in_progress';
  return 'not_started';
}

/** A domain error about one field as problems (anything else is thrown on). */
export function fieldProblems(e: unknown): FieldProblem[] {
  if (e instanceof ValidationError) return e.problems;
  if (e instanceof DomainError && e.status >= 400 && e.status < 500) {
    const field = typeof e.details?.field === 'string' ? e.details.field : 'form';
    const message = e.message.startsWith(`${field}: `) ? e.message.slice(field.length + 2) : e.message;
    return [{ field, problem: message.charAt(0).toUpperCase() + message.slice(1) }];
  }
  throw e;
}

export function assertEditable(status: UpdateStatus, quarter: string) {
  if (!EDITABLE.includes(status))
    throw new RuleViolationError(
      'UPDATE_NOT_EDITABLE',
      status === 'submitted'
        ? `The ${quarter} update has been submitted and is waiting for review: it cannot be changed unless it is returned`
        : `The ${quarter} update has been accepted: it cannot be changed`,
      'form',
    );
}

/** An update as the audit trail keeps it: its state, who moved it and when, and its draft. */
export function presentUpdate(u: QuarterlyUpdate) {
  return {
    status: u.status,
    ...presentDraft(u.draft),
    submittedBy: u.submittedBy,
    submittedAt: u.submittedAt,
    decidedBy: u.decidedBy,
    decidedAt: u.decidedAt,
    returnComment: u.returnComment,
    ...(u.spendState
      ? {
          actualSpend: SPEND_STATE_WORDS[u.spendState],
          spendConfirmedBy: u.spendConfirmedBy,
          spendConfirmedAt: u.spendConfirmedAt,
        }
      : {}),
    version: u.version,
  };
}

/** A draft as the audit trail shows it: pounds, not pence. */
export function presentDraft(d: UpdateDraft) {
  return {
    actuals: Object.fromEntries(Object.entries(d.actuals ?? {}).map(([k, v]) => [k, formatPounds(v)])),
    forecasts: Object.fromEntries(Object.entries(d.forecasts ?? {}).map(([k, v]) => [k, formatPounds(v)])),
    ...(d.narrative !== undefined ? { narrative: d.narrative } : {}),
    ...(d.milestones ? { milestones: d.milestones } : {}),
    ...(d.outputs ? { outputs: d.outputs } : {}),
    ...(d.risks ? { risksReviewed: d.risks.reviewed } : {}),
  };
}
