/**
 * The RAG rules of DESIGN.md ("Default RAG rules") as pure functions. Each answers "why": the
 * rule applied, the numbers it used and a sentence. LEPs report BRAG: blue is complete.
 */
import { daysBetween } from '../common/fiscal';
import {
  atLeast,
  pct,
  type Rag,
  type RagOrNone,
  type RagResult,
  type RagThresholds,
  DEFAULT_THRESHOLDS,
  worst,
} from './rag-core';

export * from './rag-core';
export { financeRag, overspendRag, riskToSpendRag, slippageRag, movedToLaterYears } from './finance';
export type { FinanceInput, FinanceResult, OutturnLine, SlippageFigures } from './finance';

export interface MilestoneInput {
  baselineDate: string | null;
  forecastDate: string | null;
  actualDate: string | null;
  reportingQuarterEnd: string;
  /** open unless given; an actual date also means complete. */
  status?: 'open' | 'complete' | 'cancelled';
  /** @deprecated use status: 'cancelled' */
  cancelled?: boolean;
  /** A programme-level deal commitment (counted apart from project milestones). */
  commitment?: boolean;
}

/** How a milestone stands, for counting: the dashboard and the return count with this one function. */
export type MilestoneState =
  | 'cancelled'
  | 'complete_on_time'
  | 'complete_late'
  | 'overdue'
  | 'slipped'
  | 'on_time'
  | 'not_recorded'
  | 'not_judged';

/**
 * Days a date moved from one to another (positive: later); null when either is missing. The one
 * place slip is counted in days: a milestone's slip, a re-baseline's move, the charts' slip column.
 */
export function slipBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  return from && to ? daysBetween(from, to) : null;
}

/** A milestone's slip: its latest date (actual, else forecast) against its baseline, in days. */
export function milestoneSlipDays(
  x: Pick<MilestoneInput, 'baselineDate' | 'forecastDate' | 'actualDate'>,
): number | null {
  return slipBetween(x.baselineDate, x.actualDate ?? x.forecastDate);
}

/**
 * The state of one milestone at the end of the reporting quarter. Complete is complete however
 * late. A deal commitment still open exactly as loaded (no actual, forecast still the deal's own
 * date) whose date has passed has no recorded status: `not_recorded`, not overdue.
 */
export function milestoneState(x: MilestoneInput): { state: MilestoneState; slipDays: number | null } {
  const status = x.cancelled ? 'cancelled' : (x.status ?? 'open');
  const slipDays = milestoneSlipDays(x);
  if (status === 'cancelled') return { state: 'cancelled', slipDays };
  if (x.actualDate || status === 'complete')
    return { state: slipDays !== null && slipDays > 0 ? 'complete_late' : 'complete_on_time', slipDays };
  const passed = !x.forecastDate || x.forecastDate < x.reportingQuarterEnd;
  if (x.commitment && passed && (x.forecastDate === null || x.forecastDate === x.baselineDate))
    return { state: 'not_recorded', slipDays };
  if (x.forecastDate && x.forecastDate < x.reportingQuarterEnd) return { state: 'overdue', slipDays };
  if (slipDays === null) return { state: 'not_judged', slipDays };
  return { state: slipDays > 0 ? 'slipped' : 'on_time', slipDays };
}

/** A milestone that counts as late for listing: overdue, slipped, or completed late (kept as history). */
export interface Lateness {
  state: 'overdue' | 'slipped' | 'complete_late';
  slipDays: number | null;
  /**
   * Days late: the slip of its latest date; an overdue forecast not after its baseline counts from
   * the baseline to the end of the reporting quarter. Null without a baseline date.
   */
  daysLate: number | null;
}

/** How late a milestone is at the end of the reporting quarter; null when it is not late. */
export function milestoneLateness(x: MilestoneInput): Lateness | null {
  const { state, slipDays } = milestoneState(x);
  if (state !== 'overdue' && state !== 'slipped' && state !== 'complete_late') return null;
  const slip = slipDays ?? 0;
  const daysLate = !x.baselineDate ? null : slip > 0 ? slip : daysBetween(x.baselineDate, x.reportingQuarterEnd);
  return { state, slipDays, daysLate };
}

export interface MilestoneTally {
  /** Project milestones (cancelled ones left out). */
  projectMilestones: number;
  /** Open, forecast date passed with nothing done (the return's MILESTONE_OVERDUE). */
  overdue: number;
  /** Open, forecast after the baseline but not yet passed (the return's MILESTONE_SLIPPED). */
  slipped: number;
  /** overdue + slipped: the dashboard's "late". */
  late: number;
  /** Complete, after the baseline: blue, not late, but the lateness is kept. */
  completeLate: number;
  /** Deal commitments, counted apart from project milestones. */
  commitments: number;
  commitmentsNotRecorded: number;
  commitmentsOverdue: number;
}

/** One count of late milestones for the dashboard, the briefing and the return. */
export function tallyMilestones(items: { state: MilestoneState; commitment: boolean }[]): MilestoneTally {
  const t: MilestoneTally = {
    projectMilestones: 0,
    overdue: 0,
    slipped: 0,
    late: 0,
    completeLate: 0,
    commitments: 0,
    commitmentsNotRecorded: 0,
    commitmentsOverdue: 0,
  };
  for (const x of items) {
    if (x.state === 'cancelled') continue;
    if (x.commitment) {
      t.commitments++;
      if (x.state === 'not_recorded') t.commitmentsNotRecorded++;
      if (x.state === 'overdue') t.commitmentsOverdue++;
      continue;
    }
    t.projectMilestones++;
    if (x.state === 'overdue') t.overdue++;
    if (x.state === 'slipped') t.slipped++;
    if (x.state === 'complete_late') t.completeLate++;
  }
  t.late = t.overdue + t.slipped;
  return t;
}

/** The same sentence wherever late milestones are counted, saying what each number counts. */
export function lateSentence(t: MilestoneTally): string {
  const s = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    `${t.late} of ${t.projectMilestones} project milestones are late: ${t.overdue} overdue (forecast date passed, not done) and ${t.slipped} slipped past the baseline (forecast not yet reached)`,
  ];
  if (t.completeLate) parts.push(`${s(t.completeLate, 'more was', 'more were')} completed late (blue: complete)`);
  if (t.commitments)
    parts.push(
      `deal commitments are counted apart: ${t.commitmentsNotRecorded} of ${t.commitments} not recorded (grey)${t.commitmentsOverdue ? `, ${t.commitmentsOverdue} overdue` : ''}`,
    );
  return `${parts.join('; ')}.`;
}

/**
 * Milestones (BRAG): complete is blue, however late (the lateness stays in the numbers and the
 * words). Open: forecast vs baseline, on time green, 1..N days amber, more red; a forecast date
 * before the end of the reporting quarter with no actual is red "overdue". A deal commitment with
 * no recorded status is grey "not recorded".
 */
export function milestoneRag(input: MilestoneInput, t: RagThresholds = DEFAULT_THRESHOLDS): RagResult {
  const rule = `milestones (BRAG): complete blue however late; open: forecast vs baseline on time green, slipped 1-${t.milestoneAmberMaxDays} days amber, > ${t.milestoneAmberMaxDays} days red, a forecast date before ${input.reportingQuarterEnd} (end of the reporting quarter) with no actual red (overdue); a deal commitment with no recorded status grey (not recorded)`;
  const { state, slipDays: slip } = milestoneState(input);
  const numbers = {
    baselineDate: input.baselineDate,
    forecastDate: input.forecastDate,
    actualDate: input.actualDate,
    reportingQuarterEnd: input.reportingQuarterEnd,
    slipDays: slip,
  };
  const say = (rag: RagOrNone, explanation: string): RagResult => ({ rag, rule, numbers, explanation });
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  switch (state) {
    case 'cancelled':
      return say('none', 'cancelled: not judged');
    case 'complete_late':
      return say(
        'blue',
        `complete${input.actualDate ? ` on ${input.actualDate}` : ''}, ${days(slip!)} after the baseline ${input.baselineDate} (late, but complete)`,
      );
    case 'complete_on_time':
      return say(
        'blue',
        input.actualDate
          ? `complete on ${input.actualDate}${input.baselineDate ? `, on or before the baseline ${input.baselineDate}` : ''}`
          : 'complete (no actual date recorded)',
      );
    case 'not_recorded':
      return say(
        'grey',
        `not recorded: the deal's date ${input.baselineDate ?? '(none)'} has passed and no completion or new forecast is recorded`,
      );
    case 'overdue':
      return say(
        'red',
        `overdue: forecast date ${input.forecastDate} is before the end of the reporting quarter (${input.reportingQuarterEnd}) and no actual date is recorded`,
      );
    case 'not_judged':
      return say('none', input.baselineDate ? 'no forecast date' : 'no baseline date to compare with');
    default: {
      const which = `forecast ${input.forecastDate}`;
      if (slip! <= 0) return say('green', `${which} is on or before the baseline ${input.baselineDate}`);
      if (slip! <= t.milestoneAmberMaxDays)
        return say(
          'amber',
          `${which} is ${days(slip!)} after the baseline ${input.baselineDate} (1-${t.milestoneAmberMaxDays} days: amber)`,
        );
      return say(
        'red',
        `${which} is ${slip} days after the baseline ${input.baselineDate} (more than ${t.milestoneAmberMaxDays} days: red)`,
      );
    }
  }
}

export interface OutputInput {
  metric: string;
  /** Latest forecast of the final total. */
  forecast: number | null;
  target: number | null;
  /** Delivered to the end of the last submitted quarter (progress before the due date). */
  delivered?: number | null;
  /** The target's due date (the deal's "by 2021": 2021-03-31); absent: judged on forecast. */
  dueDate?: string | null;
  /** The date judged at (end of the reporting quarter). */
  asOf?: string;
  display?: (v: number) => string | number;
}

/**
 * Outputs: before the due date the target is `not_yet_due`, the RAG compares the latest forecast
 * of the final total with the target and delivered-so-far is progress, never "not met". From the
 * due date on, delivered against the target: met or not met.
 */
export function outputRag(input: OutputInput, t: RagThresholds = DEFAULT_THRESHOLDS): RagResult {
  const show = input.display ?? ((v: number) => v);
  const due = !!input.dueDate && !!input.asOf && input.asOf >= input.dueDate;
  const rule = due
    ? `outputs (due ${input.dueDate}): delivered / target: >= ${t.outputGreenMin}% green, ${t.outputAmberMin}-${t.outputGreenMin}% amber, < ${t.outputAmberMin}% red; met when delivered reaches the target`
    : `outputs${input.dueDate ? ` (not yet due: due ${input.dueDate})` : ''}: forecast final total / target: >= ${t.outputGreenMin}% green, ${t.outputAmberMin}-${t.outputGreenMin}% amber, < ${t.outputAmberMin}% red; delivered so far is progress`;
  const delivered = input.delivered ?? null;
  const judged = due ? delivered : input.forecast;
  const status = !input.dueDate
    ? null
    : !due
      ? 'not_yet_due'
      : (delivered ?? 0) >= (input.target ?? 0)
        ? 'met'
        : 'not_met';
  const numbers = {
    metric: input.metric,
    forecast: input.forecast === null ? null : show(input.forecast),
    target: input.target === null ? null : show(input.target),
    delivered: delivered === null ? null : show(delivered),
    dueDate: input.dueDate ?? null,
    status,
    share: judged !== null && input.target ? pct(judged, input.target) : null,
  };
  if (!input.target) return { rag: 'none', rule, numbers, explanation: `${input.metric}: no target` };
  const progress =
    delivered === null
      ? ''
      : `; delivered so far ${String(show(delivered))} (progress, to the end of the last submitted quarter)`;
  if (due) {
    const d = delivered ?? 0;
    const head = `${input.metric}: due ${input.dueDate}, delivered ${String(show(d))} is ${pct(d, input.target)} of the target ${String(numbers.target)}`;
    const say = (rag: Rag, why: string): RagResult => ({
      rag,
      rule,
      numbers,
      explanation: `${head}: ${status === 'met' ? 'met' : 'not met'}${why}`,
    });
    if (atLeast(d, input.target, t.outputGreenMin)) return say('green', '');
    if (atLeast(d, input.target, t.outputAmberMin))
      return say('amber', ` (between ${t.outputAmberMin}% and ${t.outputGreenMin}%)`);
    return say('red', ` (below ${t.outputAmberMin}%)`);
  }
  const when = input.dueDate ? ` (not yet due: due ${input.dueDate})` : '';
  if (input.forecast === null)
    return {
      rag: 'none',
      rule,
      numbers,
      explanation: `${input.metric}${when}: no forecast of the final total yet${progress}`,
    };
  const say = (rag: Rag, why: string): RagResult => ({
    rag,
    rule,
    numbers,
    explanation: `${input.metric}${when}: forecast ${String(numbers.forecast)} is ${numbers.share} of the target ${String(numbers.target)}: ${why}${progress}`,
  });
  if (atLeast(input.forecast, input.target, t.outputGreenMin)) return say('green', `at least ${t.outputGreenMin}%`);
  if (atLeast(input.forecast, input.target, t.outputAmberMin))
    return say('amber', `between ${t.outputAmberMin}% and ${t.outputGreenMin}%`);
  return say('red', `below ${t.outputAmberMin}%`);
}

/** The worst of several results of one kind, keeping the worst one's reason. All complete: blue. */
export function combine(kind: string, results: RagResult[]): RagResult {
  const judged = results.filter((r) => r.rag !== 'none' && r.rag !== 'grey');
  const grey = results.filter((r) => r.rag === 'grey').length;
  if (!judged.length)
    return {
      rag: grey ? 'grey' : 'none',
      rule: `${kind}: worst of its items`,
      numbers: { items: results.length, ...(grey ? { grey } : {}) },
      explanation: grey
        ? `${grey} of ${results.length} not recorded`
        : results.length
          ? `no ${kind} item can be judged yet`
          : `no ${kind} items`,
    };
  const w = worst(judged.map((r) => r.rag));
  const first = judged.find((r) => r.rag === w)!;
  const counts: Record<string, number> = { blue: 0, green: 0, amber: 0, red: 0 };
  for (const r of judged) counts[r.rag]++;
  return {
    rag: w,
    rule: `${kind}: worst of its items (blue: complete)`,
    numbers: { ...counts, items: results.length },
    explanation: `${counts.red} red, ${counts.amber} amber, ${counts.green} green, ${counts.blue} blue (complete); worst: ${first.explanation}`,
  };
}

/**
 * Overall project RAG: the worst of finance, milestones and outputs that apply; a completed
 * project is blue; a withdrawn project has none. A user override with a reason wins and is shown
 * beside the computed one.
 */
export function overallRag(
  parts: { finance: RagResult; milestones: RagResult; outputs: RagResult },
  override: { rag: Rag | null; reason: string | null },
  projectStatus?: string,
): RagResult & { computed: RagOrNone; overridden: boolean } {
  const numbers = {
    finance: parts.finance.rag,
    milestones: parts.milestones.rag,
    outputs: parts.outputs.rag,
    projectStatus: projectStatus ?? null,
  };
  if (projectStatus === 'withdrawn')
    return {
      rag: 'none',
      computed: 'none',
      overridden: false,
      rule: 'overall: a withdrawn project has no RAG',
      numbers,
      explanation: 'withdrawn: no RAG (its spend stays counted as spent)',
    };
  const computed =
    projectStatus === 'complete' ? 'blue' : worst([parts.finance.rag, parts.milestones.rag, parts.outputs.rag]);
  if (override.rag) {
    return {
      rag: override.rag,
      computed,
      overridden: true,
      rule: 'overall: overridden by a user with a reason',
      numbers: { ...numbers, computed },
      explanation: `overridden to ${override.rag} (computed ${computed}): ${override.reason ?? ''}`,
    };
  }
  if (projectStatus === 'complete')
    return {
      rag: 'blue',
      computed,
      overridden: false,
      rule: 'overall: a completed project is blue',
      numbers: { ...numbers, computed },
      explanation: 'complete: blue',
    };
  return {
    rag: computed,
    computed,
    overridden: false,
    rule: 'overall: worst of finance, milestones and outputs (blue: complete)',
    numbers: { ...numbers, computed },
    explanation: `finance ${parts.finance.rag}, milestones ${parts.milestones.rag}, outputs ${parts.outputs.rag}: worst is ${computed}`,
  };
}
