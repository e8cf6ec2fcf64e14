/**
 * The RAG rules of DESIGN.md as pure functions. Each answers "why": the rule applied, the
 * numbers it used and a sentence. Shares are compared with integer cross-multiplication
 * (BigInt), so 95 % means exactly 95 %, never a float's idea of it.
 */
import { daysBetween } from '../common/fiscal';
import { formatPounds } from '../common/money';

export type Rag = 'green' | 'amber' | 'red';
/** `none` when there is nothing to judge (no baseline, no target): never a fake colour. */
export type RagOrNone = Rag | 'none';

export interface RagResult {
  rag: RagOrNone;
  rule: string;
  numbers: Record<string, string | number | null>;
  explanation: string;
}

export interface RagThresholds {
  /** Finance: forecast/allocation at or above this percentage is green. */
  financeGreenMin: number;
  /** Finance: at or above this (and below green) is amber; below is red. */
  financeAmberMin: number;
  /** Finance: above this percentage is red (overspend). */
  financeOverspendAbove: number;
  /** Milestones: a slip of 1..this many days is amber; more is red. */
  milestoneAmberMaxDays: number;
  /** Outputs: forecast/target at or above this percentage is green. */
  outputGreenMin: number;
  /** Outputs: at or above this (and below green) is amber; below is red. */
  outputAmberMin: number;
}

export const DEFAULT_THRESHOLDS: RagThresholds = {
  financeGreenMin: 95,
  financeAmberMin: 85,
  financeOverspendAbove: 105,
  milestoneAmberMaxDays: 90,
  outputGreenMin: 90,
  outputAmberMin: 75,
};

/** A programme's stored thresholds over the defaults (unknown keys ignored). */
export function thresholdsOf(stored: Record<string, number> | null | undefined): RagThresholds {
  const out = { ...DEFAULT_THRESHOLDS };
  for (const k of Object.keys(DEFAULT_THRESHOLDS) as (keyof RagThresholds)[]) {
    const v = stored?.[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out[k] = v;
  }
  return out;
}

/** Problems with a proposed set of thresholds (empty when it is consistent). */
export function thresholdProblems(t: RagThresholds): { field: string; problem: string }[] {
  const p: { field: string; problem: string }[] = [];
  if (!(t.financeAmberMin <= t.financeGreenMin))
    p.push({ field: 'financeAmberMin', problem: 'must not exceed financeGreenMin' });
  if (!(t.financeGreenMin <= t.financeOverspendAbove))
    p.push({ field: 'financeOverspendAbove', problem: 'must be at least financeGreenMin' });
  if (!(t.outputAmberMin <= t.outputGreenMin))
    p.push({ field: 'outputAmberMin', problem: 'must not exceed outputGreenMin' });
  return p;
}

const RANK: Record<RagOrNone, number> = { none: 0, green: 1, amber: 2, red: 3 };

export function worst(rags: RagOrNone[]): RagOrNone {
  return rags.reduce<RagOrNone>((w, r) => (RANK[r] > RANK[w] ? r : w), 'none');
}

/** value/base as a percentage string with one decimal (display only). */
function pct(value: number, base: number): string {
  if (base === 0) return 'n/a';
  const tenths = (BigInt(value) * 1000n) / BigInt(base);
  const s = tenths.toString().padStart(2, '0');
  return `${s.slice(0, -1)}.${s.slice(-1)}%`;
}

/** value/base >= percent/100, exactly. */
function atLeast(value: number, base: number, percent: number): boolean {
  return BigInt(value) * 100n >= BigInt(percent) * BigInt(base);
}

function above(value: number, base: number, percent: number): boolean {
  return BigInt(value) * 100n > BigInt(percent) * BigInt(base);
}

/**
 * Finance: the latest forecast spend for the reporting year as a share of that year's
 * allocation (or of its baseline profile where the allocation is unprofiled).
 */
export function financeRag(
  input: { year: string; forecastPence: number; basisPence: number; basis: 'allocation' | 'baseline' },
  t: RagThresholds = DEFAULT_THRESHOLDS,
): RagResult {
  const rule = `finance: forecast for ${input.year} / ${input.basis === 'allocation' ? 'allocation' : 'baseline profile'} for ${input.year}: >= ${t.financeGreenMin}% green, ${t.financeAmberMin}-${t.financeGreenMin}% amber, < ${t.financeAmberMin}% red, > ${t.financeOverspendAbove}% red (overspend)`;
  const numbers = {
    year: input.year,
    forecast: formatPounds(input.forecastPence),
    [input.basis]: formatPounds(input.basisPence),
    share: pct(input.forecastPence, input.basisPence),
  };
  const f = input.forecastPence;
  const b = input.basisPence;
  if (b === 0) {
    if (f === 0) return { rag: 'none', rule, numbers, explanation: `nothing is planned or forecast for ${input.year}` };
    return {
      rag: 'red',
      rule,
      numbers,
      explanation: `£${numbers.forecast} is forecast for ${input.year} against no ${input.basis}: overspend`,
    };
  }
  const say = (rag: Rag, why: string): RagResult => ({
    rag,
    rule,
    numbers,
    explanation: `forecast £${numbers.forecast} is ${numbers.share} of the ${input.basis} £${formatPounds(b)} for ${input.year}: ${why}`,
  });
  if (above(f, b, t.financeOverspendAbove)) return say('red', `above ${t.financeOverspendAbove}% (overspend)`);
  if (atLeast(f, b, t.financeGreenMin)) return say('green', `at least ${t.financeGreenMin}%`);
  if (atLeast(f, b, t.financeAmberMin)) return say('amber', `between ${t.financeAmberMin}% and ${t.financeGreenMin}%`);
  return say('red', `below ${t.financeAmberMin}% (underspend)`);
}

/**
 * Milestones: forecast (or actual) date against the baseline date. A forecast date before the
 * end of the reporting quarter with no actual is red: it has passed and nothing happened.
 */
export function milestoneRag(
  input: {
    baselineDate: string | null;
    forecastDate: string | null;
    actualDate: string | null;
    reportingQuarterEnd: string;
    cancelled?: boolean;
  },
  t: RagThresholds = DEFAULT_THRESHOLDS,
): RagResult {
  const rule = `milestones: forecast vs baseline: on time green, slipped 1-${t.milestoneAmberMaxDays} days amber, > ${t.milestoneAmberMaxDays} days or a forecast date before ${input.reportingQuarterEnd} (end of the reporting quarter) with no actual red`;
  const compared = input.actualDate ?? input.forecastDate;
  const slip = input.baselineDate && compared ? daysBetween(input.baselineDate, compared) : null;
  const numbers = {
    baselineDate: input.baselineDate,
    forecastDate: input.forecastDate,
    actualDate: input.actualDate,
    reportingQuarterEnd: input.reportingQuarterEnd,
    slipDays: slip,
  };
  if (input.cancelled) return { rag: 'none', rule, numbers, explanation: 'cancelled: not judged' };
  if (!input.actualDate && input.forecastDate && input.forecastDate < input.reportingQuarterEnd) {
    return {
      rag: 'red',
      rule,
      numbers,
      explanation: `forecast date ${input.forecastDate} is before the end of the reporting quarter (${input.reportingQuarterEnd}) and no actual date is recorded`,
    };
  }
  if (!input.baselineDate) return { rag: 'none', rule, numbers, explanation: 'no baseline date to compare with' };
  if (slip === null) return { rag: 'none', rule, numbers, explanation: 'no forecast or actual date' };
  const which = input.actualDate ? `actual ${input.actualDate}` : `forecast ${input.forecastDate}`;
  if (slip <= 0)
    return { rag: 'green', rule, numbers, explanation: `${which} is on or before the baseline ${input.baselineDate}` };
  if (slip <= t.milestoneAmberMaxDays)
    return {
      rag: 'amber',
      rule,
      numbers,
      explanation: `${which} is ${slip} day${slip === 1 ? '' : 's'} after the baseline ${input.baselineDate} (1-${t.milestoneAmberMaxDays} days: amber)`,
    };
  return {
    rag: 'red',
    rule,
    numbers,
    explanation: `${which} is ${slip} days after the baseline ${input.baselineDate} (more than ${t.milestoneAmberMaxDays} days: red)`,
  };
}

/** Outputs: the latest forecast of the final total against the target. Values in stored units; `display` formats them. */
export function outputRag(
  input: { metric: string; forecast: number | null; target: number | null; display?: (v: number) => string | number },
  t: RagThresholds = DEFAULT_THRESHOLDS,
): RagResult {
  const show = input.display ?? ((v: number) => v);
  const rule = `outputs: forecast final total / target: >= ${t.outputGreenMin}% green, ${t.outputAmberMin}-${t.outputGreenMin}% amber, < ${t.outputAmberMin}% red`;
  const numbers = {
    metric: input.metric,
    forecast: input.forecast === null ? null : show(input.forecast),
    target: input.target === null ? null : show(input.target),
    share: input.forecast !== null && input.target ? pct(input.forecast, input.target) : null,
  };
  if (!input.target) return { rag: 'none', rule, numbers, explanation: `${input.metric}: no target` };
  if (input.forecast === null)
    return { rag: 'none', rule, numbers, explanation: `${input.metric}: no forecast of the final total yet` };
  const say = (rag: Rag, why: string): RagResult => ({
    rag,
    rule,
    numbers,
    explanation: `${input.metric}: forecast ${String(numbers.forecast)} is ${numbers.share} of the target ${String(numbers.target)}: ${why}`,
  });
  if (atLeast(input.forecast, input.target, t.outputGreenMin)) return say('green', `at least ${t.outputGreenMin}%`);
  if (atLeast(input.forecast, input.target, t.outputAmberMin))
    return say('amber', `between ${t.outputAmberMin}% and ${t.outputGreenMin}%`);
  return say('red', `below ${t.outputAmberMin}%`);
}

/** The worst of several results of one kind, keeping the worst one's reason. */
export function combine(kind: string, results: RagResult[]): RagResult {
  const judged = results.filter((r) => r.rag !== 'none');
  if (!judged.length)
    return {
      rag: 'none',
      rule: `${kind}: worst of its items`,
      numbers: { items: results.length },
      explanation: results.length ? `no ${kind} item can be judged yet` : `no ${kind} items`,
    };
  const w = worst(judged.map((r) => r.rag));
  const first = judged.find((r) => r.rag === w)!;
  const counts = { green: 0, amber: 0, red: 0 };
  for (const r of judged) counts[r.rag as Rag]++;
  return {
    rag: w,
    rule: `${kind}: worst of its items`,
    numbers: { ...counts, items: results.length },
    explanation: `${counts.red} red, ${counts.amber} amber, ${counts.green} green; worst: ${first.explanation}`,
  };
}

/** Overall project RAG: the worst of finance, milestones and outputs, unless overridden with a reason. */
export function overallRag(
  parts: { finance: RagResult; milestones: RagResult; outputs: RagResult },
  override: { rag: Rag | null; reason: string | null },
): RagResult & { computed: RagOrNone; overridden: boolean } {
  const computed = worst([parts.finance.rag, parts.milestones.rag, parts.outputs.rag]);
  const numbers = {
    finance: parts.finance.rag,
    milestones: parts.milestones.rag,
    outputs: parts.outputs.rag,
    computed,
  };
  if (override.rag) {
    return {
      rag: override.rag,
      computed,
      overridden: true,
      rule: 'overall: overridden by a user with a reason',
      numbers,
      explanation: `overridden to ${override.rag} (computed ${computed}): ${override.reason ?? ''}`,
    };
  }
  return {
    rag: computed,
    computed,
    overridden: false,
    rule: 'overall: worst of finance, milestones and outputs',
    numbers,
    explanation: `finance ${parts.finance.rag}, milestones ${parts.milestones.rag}, outputs ${parts.outputs.rag}: worst is ${computed}`,
  };
}
