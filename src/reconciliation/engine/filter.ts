import { formatFiscalYear, parseFiscalYear } from '../../common/fiscal';
import type { AllocationFilter } from '../../headlines/headline-rule';
import { yearLabel } from './breakdown';
import type { AllocationGroup } from './types';

/**
 * Which allocation groups an `allocations` rule covers, and whether the years it names can
 * be checked at all. Year splits are never invented: an unprofiled amount, or a range that
 * runs across the edge of the window, makes the line not comparable instead.
 */

export interface YearWindow {
  years: number[]; // start years, ascending, unique
  onwards: boolean;
}

export type Placement = 'inside' | 'outside' | 'unprofiled' | 'straddles';

export interface Selection {
  /** Groups that count towards the computed sum. */
  counted: AllocationGroup[];
  /** Groups in scope whose years cannot be placed in the window (reason for not_comparable). */
  unprofiled: AllocationGroup[];
  straddling: AllocationGroup[];
  window: YearWindow | null;
}

export class BadRuleYearError extends Error {
  constructor(readonly year: string) {
    super(`"${year}" is not a financial year like "2015-16"`);
  }
}

/** Years of a filter as a window; null when the filter names no years. */
export function yearWindow(filter: AllocationFilter): YearWindow | null {
  if (!filter.years || filter.years.length === 0) return null;
  const years = filter.years.map((y) => {
    try {
      return parseFiscalYear(y).start;
    } catch {
      throw new BadRuleYearError(y);
    }
  });
  return { years: [...new Set(years)].sort((a, b) => a - b), onwards: filter.yearsOnwards === true };
}

export function windowLabel(w: YearWindow): string {
  if (w.onwards) return `${formatFiscalYear(w.years[0])} onwards`;
  const names = w.years.map((y) => formatFiscalYear(y));
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function inWindow(w: YearWindow, year: number): boolean {
  return w.onwards ? year >= w.years[0] : w.years.includes(year);
}

/** Where a group's period sits relative to the window. */
export function placeInWindow(g: AllocationGroup, w: YearWindow): Placement {
  if (g.periodKind === 'unprofiled' || g.yearFrom === null) return 'unprofiled';
  const from = g.yearFrom;
  if (g.periodKind === 'year') return inWindow(w, from) ? 'inside' : 'outside';
  if (g.yearTo === null) {
    // "from onwards" is open-ended: inside only an open-ended window that starts no later.
    if (w.onwards) return from >= w.years[0] ? 'inside' : 'straddles';
    return w.years.some((y) => y >= from) ? 'straddles' : 'outside';
  }
  let inside = 0;
  for (let y = from; y <= g.yearTo; y++) if (inWindow(w, y)) inside++;
  if (inside === 0) return 'outside';
  return inside === g.yearTo - from + 1 ? 'inside' : 'straddles';
}

/** Every filter field except years (and withdrawn / revenue, which never count unless named). */
export function matchesOtherFilters(g: AllocationGroup, f: AllocationFilter): boolean {
  if (g.commitmentStatus === 'withdrawn') return false;
  const kindNamed = f.sourceKinds !== undefined && f.sourceKinds.includes(g.sourceKind);
  if (!g.capital && !kindNamed) return false;
  if (f.sourceKinds !== undefined && !kindNamed) return false;
  if (f.themes !== undefined && (g.themeCode === null || !f.themes.includes(g.themeCode))) return false;
  // Projects and pools both name recipients: given together, a group matches either list.
  const byProject = f.projects !== undefined;
  const byPool = f.pools !== undefined;
  if (byProject || byPool) {
    const p = byProject && g.projectCode !== null && f.projects!.includes(g.projectCode);
    const q = byPool && g.poolCode !== null && f.pools!.includes(g.poolCode);
    if (!p && !q) return false;
  }
  if (f.programmeLevel === false && g.projectCode === null && g.poolCode === null) return false;
  return true;
}

export function selectGroups(groups: readonly AllocationGroup[], f: AllocationFilter): Selection {
  const window = yearWindow(f);
  const sel: Selection = { counted: [], unprofiled: [], straddling: [], window };
  for (const g of groups) {
    if (!matchesOtherFilters(g, f)) continue;
    if (!window) {
      sel.counted.push(g);
      continue;
    }
    const place = placeInWindow(g, window);
    if (place === 'inside') sel.counted.push(g);
    else if (place === 'unprofiled') sel.unprofiled.push(g);
    else if (place === 'straddles') sel.straddling.push(g);
  }
  return sel;
}

/** Distinct period labels of some groups, in first-seen order, for explanations. */
export function periodLabels(groups: readonly AllocationGroup[]): string[] {
  return [...new Set(groups.map((g) => yearLabel(g)))];
}
