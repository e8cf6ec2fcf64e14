/**
 * Pure: how a line's baseline profile follows its approved allocation (DESIGN, Clarifications
 * 2026-12: baseline = approved allocation per project and source after every approval).
 * Integers (pence) only; quarter codes sort in time order.
 */

export interface BaselineRow {
  quarter: string;
  baselinePence: number;
}

/** The changed quarters' new baselines, or (refused) what submitted quarters already hold. */
export type FollowPlan = { changes: Map<string, number> } | { lockedPence: number };

/**
 * Moves a line's baseline total to `target`. A cut comes off the latest open (not submitted)
 * quarters first. An increase goes to the latest open quarter already holding baseline, or,
 * when none does, to `fallback` (the first open quarter after the reporting quarter, or the
 * reporting quarter itself at the programme's end). Submitted quarters never move: when they
 * alone hold more than the target, the plan is refused with the figures.
 */
export function planFollow(
  rows: BaselineRow[],
  target: number,
  isOpen: (quarter: string) => boolean,
  fallback: string,
): FollowPlan {
  const total = rows.reduce((s, r) => s + r.baselinePence, 0);
  const changes = new Map<string, number>();
  if (total === target) return { changes };
  const open = rows.filter((r) => isOpen(r.quarter)).sort((a, b) => b.quarter.localeCompare(a.quarter));
  if (target > total) {
    const into = open.find((r) => r.baselinePence > 0);
    const quarter = into?.quarter ?? fallback;
    const current = rows.find((r) => r.quarter === quarter)?.baselinePence ?? 0;
    changes.set(quarter, current + target - total);
    return { changes };
  }
  let cut = total - target;
  for (const r of open) {
    if (!cut) break;
    const take = Math.min(cut, r.baselinePence);
    if (take > 0) {
      changes.set(r.quarter, r.baselinePence - take);
      cut -= take;
    }
  }
  if (cut > 0) {
    return { lockedPence: total - open.reduce((s, r) => s + r.baselinePence, 0) };
  }
  return { changes };
}

/**
 * A full profile replacing the current one: every quarter given takes its amount, every other
 * quarter 0. Returns the quarters that change, and those of them that are submitted (refused).
 */
export function planReplace(
  rows: BaselineRow[],
  wanted: Map<string, number>,
  isOpen: (quarter: string) => boolean,
): { changes: Map<string, number>; locked: string[] } {
  const changes = new Map<string, number>();
  const current = new Map(rows.map((r) => [r.quarter, r.baselinePence]));
  for (const q of new Set([...current.keys(), ...wanted.keys()])) {
    const next = wanted.get(q) ?? 0;
    if ((current.get(q) ?? 0) !== next) changes.set(q, next);
  }
  const locked = [...changes.keys()].filter((q) => !isOpen(q)).sort();
  return { changes, locked };
}
