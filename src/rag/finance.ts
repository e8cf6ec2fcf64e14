/**
 * Finance RAG in LEP terms (DESIGN.md "Default RAG rules"): three questions, each with its own
 * line and reason; the finance RAG is the worst of them.
 *
 * - overspend: forecast outturn against the project's total approved allocation, per source.
 *   Nothing else is ever called overspend (money moving between years is slippage or acceleration).
 * - risk to spend: the reporting year's latest forecast against that year's approved allocation
 *   (or its baseline profile where the allocation is unprofiled). Above 100 % is "ahead of
 *   profile": a note, not a colour.
 * - slippage: money moved from the reporting year to later years since the last submitted return.
 *
 * Pure: the figures (outturn, year forecast, the last return's figures) come in as inputs, from
 * the one definition of each that the spend feature owns.
 */
import { exactPence, formatPounds, sumMoney, type Money } from '../common/money';
import { atLeast, above, pct, type RagResult, type RagThresholds, DEFAULT_THRESHOLDS, worst } from './rag-core';

export interface OutturnLine {
  sourceKind: string;
  /** Total approved allocation of this source to the project (every year): exact, a SQL sum. */
  allocationPence: Money;
  /** Actual to date + forecast of every later quarter + prior-period adjustments. */
  outturnPence: number;
}

export interface SlippageFigures {
  /** The last submitted return's quarter. */
  lastQuarter: string;
  /** The reporting year's outturn forecast as the last submitted return had it. */
  lastYearPence: number;
  /** Forecast for the years after the reporting year, as the last submitted return had it. */
  lastLaterPence: number;
  nowYearPence: number;
  nowLaterPence: number;
}

export interface FinanceInput {
  year: string;
  lines: OutturnLine[];
  /** The reporting year's latest forecast (actuals of closed quarters, forecasts of the rest, adjustments). */
  yearForecastPence: number;
  /** The year's approved allocation, or its baseline profile where the allocation is unprofiled (exact). */
  yearBasisPence: Money;
  basis: 'allocation' | 'baseline';
  /** Null with a reason when there is no submitted return to compare with. */
  slippage: SlippageFigures | { reason: string };
}

export type FinanceResult = RagResult & {
  parts: { overspend: RagResult; riskToSpend: RagResult; slippage: RagResult };
};

const gbp = (p: Money) => `£${formatPounds(p)}`;

/** Overspend: forecast outturn above the total approved allocation of a source, per source. */
export function overspendRag(lines: OutturnLine[], t: RagThresholds = DEFAULT_THRESHOLDS): RagResult {
  const rule = `overspend: forecast outturn / total approved allocation, per source: above ${t.financeOverspendAbove}% red (overspend)`;
  const numbers: Record<string, string | null> = {};
  for (const l of lines) {
    numbers[`${l.sourceKind} outturn`] = formatPounds(l.outturnPence);
    numbers[`${l.sourceKind} allocation`] = formatPounds(l.allocationPence);
  }
  // Nothing forecast or spent yet (an allocation with no spend profile) is not judged: no fake green.
  const judged = lines.filter((l) => l.outturnPence !== 0);
  if (!judged.length) return { rag: 'none', rule, numbers, explanation: 'no spend forecast or recorded yet' };
  const over = judged.filter((l) => above(l.outturnPence, l.allocationPence, t.financeOverspendAbove));
  if (over.length)
    return {
      rag: 'red',
      rule,
      numbers,
      explanation: `${over
        .map((l) =>
          l.allocationPence === 0
            ? `${l.sourceKind} forecast outturn ${gbp(l.outturnPence)} against no approved allocation`
            : `${l.sourceKind} forecast outturn ${gbp(l.outturnPence)} is ${pct(l.outturnPence, l.allocationPence)} of the total approved allocation ${gbp(l.allocationPence)}`,
        )
        .join('; ')}: overspend`,
    };
  const outturn = judged.reduce((s, l) => s + l.outturnPence, 0);
  const alloc = sumMoney(judged.map((l) => l.allocationPence));
  return {
    rag: 'green',
    rule,
    numbers,
    explanation: `forecast outturn ${gbp(outturn)} is within the total approved allocation ${gbp(alloc)}${judged.length > 1 ? ' (each source within its own)' : ''}`,
  };
}

/** Risk to spend: the year's forecast against the year's allocation (or baseline profile). */
export function riskToSpendRag(
  input: { year: string; forecastPence: number; basisPence: Money; basis: 'allocation' | 'baseline' },
  t: RagThresholds = DEFAULT_THRESHOLDS,
): RagResult {
  const what = input.basis === 'allocation' ? 'approved allocation' : 'baseline profile';
  const rule = `risk to spend: forecast for ${input.year} / ${what} for ${input.year}: >= ${t.financeGreenMin}% green, ${t.financeAmberMin}-${t.financeGreenMin}% amber, < ${t.financeAmberMin}% red (underspend risk); above 100% is ahead of profile (a note, not a colour)`;
  const f = input.forecastPence;
  const b = input.basisPence;
  const numbers = {
    year: input.year,
    forecast: formatPounds(f),
    [input.basis]: formatPounds(b),
    share: pct(f, b),
  };
  if (exactPence(b) === 0n) {
    if (f === 0) return { rag: 'none', rule, numbers, explanation: `nothing is planned or forecast for ${input.year}` };
    return {
      rag: 'green',
      rule,
      numbers,
      explanation: `ahead of profile: ${gbp(f)} is forecast for ${input.year}, which has no ${what} (spend brought forward; the total is judged by the overspend line)`,
    };
  }
  const head = `forecast ${gbp(f)} is ${numbers.share} of the ${what} ${gbp(b)} for ${input.year}`;
  if (above(f, b, 100))
    return {
      rag: 'green',
      rule,
      numbers,
      explanation: `${head}: ahead of profile (a note, not a risk; the total is judged by the overspend line)`,
    };
  if (atLeast(f, b, t.financeGreenMin))
    return { rag: 'green', rule, numbers, explanation: `${head}: at least ${t.financeGreenMin}%` };
  if (atLeast(f, b, t.financeAmberMin))
    return {
      rag: 'amber',
      rule,
      numbers,
      explanation: `${head}: between ${t.financeAmberMin}% and ${t.financeGreenMin}% (underspend risk)`,
    };
  return { rag: 'red', rule, numbers, explanation: `${head}: below ${t.financeAmberMin}% (underspend risk)` };
}

/**
 * Money moved out of the reporting year into later years since the last submitted return: the
 * fall in the year's forecast that reappears later (a fall that does not reappear is a loss of
 * spend, which risk to spend judges; money brought forward is not slippage).
 */
export function movedToLaterYears(s: SlippageFigures): number {
  const fall = Math.max(0, s.lastYearPence - s.nowYearPence);
  const rise = Math.max(0, s.nowLaterPence - s.lastLaterPence);
  return Math.min(fall, rise);
}

export function slippageRag(
  input: { year: string; basisPence: Money; basis: 'allocation' | 'baseline'; slippage: FinanceInput['slippage'] },
  t: RagThresholds = DEFAULT_THRESHOLDS,
): RagResult {
  const what = input.basis === 'allocation' ? 'approved allocation' : 'baseline profile';
  const rule = `slippage: money moved from ${input.year} to later years since the last submitted return / ${what} for ${input.year}: > ${t.slippageAmberAbove}% amber, > ${t.slippageRedAbove}% red`;
  if ('reason' in input.slippage)
    return { rag: 'none', rule, numbers: { year: input.year }, explanation: input.slippage.reason };
  const s = input.slippage;
  const moved = movedToLaterYears(s);
  const b = input.basisPence;
  const numbers = {
    year: input.year,
    lastReturn: s.lastQuarter,
    yearAtLastReturn: formatPounds(s.lastYearPence),
    yearNow: formatPounds(s.nowYearPence),
    laterAtLastReturn: formatPounds(s.lastLaterPence),
    laterNow: formatPounds(s.nowLaterPence),
    moved: formatPounds(moved),
    [input.basis]: formatPounds(b),
    share: pct(moved, b),
  };
  const since = `since the ${s.lastQuarter} return`;
  if (moved === 0)
    return {
      rag: 'green',
      rule,
      numbers,
      explanation: `no money has moved from ${input.year} to later years ${since}`,
    };
  if (exactPence(b) === 0n)
    return {
      rag: 'none',
      rule,
      numbers,
      explanation: `${gbp(moved)} moved from ${input.year} to later years ${since}; ${input.year} has no ${what} to measure it against`,
    };
  const head = `${gbp(moved)} moved from ${input.year} to later years ${since}, ${numbers.share} of the ${what} ${gbp(b)}`;
  if (above(moved, b, t.slippageRedAbove))
    return { rag: 'red', rule, numbers, explanation: `${head}: more than ${t.slippageRedAbove}% (slippage)` };
  if (above(moved, b, t.slippageAmberAbove))
    return { rag: 'amber', rule, numbers, explanation: `${head}: more than ${t.slippageAmberAbove}% (slippage)` };
  return { rag: 'green', rule, numbers, explanation: `${head}: within ${t.slippageAmberAbove}%` };
}

/** The finance RAG: the worst of overspend, risk to spend and slippage, each kept with its reason. */
export function financeRag(input: FinanceInput, t: RagThresholds = DEFAULT_THRESHOLDS): FinanceResult {
  const overspend = overspendRag(input.lines, t);
  const riskToSpend = riskToSpendRag(
    { year: input.year, forecastPence: input.yearForecastPence, basisPence: input.yearBasisPence, basis: input.basis },
    t,
  );
  const slippage = slippageRag(
    { year: input.year, basisPence: input.yearBasisPence, basis: input.basis, slippage: input.slippage },
    t,
  );
  const parts = { overspend, riskToSpend, slippage };
  const named: [string, RagResult][] = [
    ['overspend', overspend],
    ['risk to spend', riskToSpend],
    ['slippage', slippage],
  ];
  const rag = worst(named.map(([, r]) => r.rag));
  const worstOnes = named.filter(([, r]) => r.rag === rag && rag !== 'none');
  // Green: one sentence, the year's position (the other questions are green or not judged, and say so in parts).
  const lead = rag === 'green' ? (riskToSpend.rag === 'green' ? riskToSpend : overspend) : null;
  const others = named.filter(([, r]) => r !== lead && r.rag === 'green').map(([name]) => name);
  return {
    rag,
    rule: 'finance: worst of overspend, risk to spend and slippage',
    numbers: { overspend: overspend.rag, riskToSpend: riskToSpend.rag, slippage: slippage.rag },
    explanation:
      rag === 'none'
        ? 'no finance question can be judged yet'
        : lead
          ? `${lead.explanation}${others.length ? ` (${others.join(' and ')}: green)` : ''}`
          : worstOnes.map(([name, r]) => `${name}: ${r.explanation}`).join('; '),
    parts,
  };
}
