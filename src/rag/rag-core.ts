import type { Money } from '../common/money';
/**
 * What every RAG rule shares: the colours (BRAG plus grey), thresholds and exact share arithmetic.
 * Shares are compared with integer cross-multiplication (BigInt), so 95 % means exactly 95 %.
 */

/** BRAG: blue is complete. */
export type Rag = 'blue' | 'green' | 'amber' | 'red';
/**
 * `grey`: nothing recorded where something should be (a deal commitment with no status);
 * `none`: nothing to judge (no baseline, no target, a withdrawn project): never a fake colour.
 */
export type RagOrNone = Rag | 'grey' | 'none';

export interface RagResult {
  rag: RagOrNone;
  rule: string;
  numbers: Record<string, string | number | null>;
  explanation: string;
}

export interface RagThresholds {
  /** Risk to spend: the year's forecast / its allocation at or above this percentage is green. */
  financeGreenMin: number;
  /** Risk to spend: at or above this (and below green) is amber; below is red. */
  financeAmberMin: number;
  /** Overspend: forecast outturn above this percentage of the total approved allocation is red. */
  financeOverspendAbove: number;
  /** Slippage: money moved to later years above this share of the year's allocation is amber. */
  slippageAmberAbove: number;
  /** Slippage: above this share is red. */
  slippageRedAbove: number;
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
  financeOverspendAbove: 100,
  slippageAmberAbove: 10,
  slippageRedAbove: 25,
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
  if (!(t.financeOverspendAbove >= 100))
    p.push({
      field: 'financeOverspendAbove',
      problem: 'must be at least 100 (spend within the allocation is never overspend)',
    });
  if (!(t.slippageAmberAbove <= t.slippageRedAbove))
    p.push({ field: 'slippageAmberAbove', problem: 'must not exceed slippageRedAbove' });
  if (!(t.outputAmberMin <= t.outputGreenMin))
    p.push({ field: 'outputAmberMin', problem: 'must not exceed outputGreenMin' });
  return p;
}

/** grey and none never make anything worse; blue (complete) is better than green. */
const RANK: Record<RagOrNone, number> = { none: 0, grey: 0, blue: 1, green: 2, amber: 3, red: 4 };

export function worst(rags: RagOrNone[]): RagOrNone {
  return rags.reduce<RagOrNone>((w, r) => (RANK[r] > RANK[w] ? r : w), 'none');
}

/** value/base as a percentage string with one decimal (display only). */
export function pct(value: Money, base: Money): string {
  if (BigInt(base) === 0n) return 'n/a';
  const tenths = (BigInt(value) * 1000n) / BigInt(base);
  const s = tenths.toString().padStart(2, '0');
  return `${s.slice(0, -1)}.${s.slice(-1)}%`;
}

/** value/base >= percent/100, exactly. */
export function atLeast(value: Money, base: Money, percent: number): boolean {
  return BigInt(value) * 100n >= BigInt(percent) * BigInt(base);
}

/** value/base > percent/100, exactly. */
export function above(value: Money, base: Money, percent: number): boolean {
  return BigInt(value) * 100n > BigInt(percent) * BigInt(base);
}
