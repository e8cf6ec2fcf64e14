import type { AgreedDeal } from '../../changes/agreed.queries';
import { exactPence, narrowPence, type Money } from '../../common/money';
import type { AllocationFilter } from '../../headlines/headline-rule';
import { matchesOtherFilters, placeInWindow, yearWindow } from './filter';
import { money } from './format';
import type { LineAgreed, LineChangeRequest, LineMove, ReconciliationLine, ReconciliationReport } from './report';
import type { AllocationGroup, HeadlineInput } from './types';

/**
 * The deal as agreed beside now, line by line (DESIGN, Clarifications 2026-12): pure. Each
 * allocations line learns what approved change requests moved into or out of the money it
 * counts, allocation by allocation (an approval's audit entries keep each allocation as it was
 * before and after, with its period, so a line that selects by year or theme is worked exactly),
 * and its agreed figure is what it counts now less those moves. A line any illustrative request
 * touched, or that counts a holder's illustrative money, says so in its data and in words.
 */

/** An allocation as an approval wrote it, named by code (changes/agreed.queries.ts's AllocationStateView). */
export interface MovedState {
  projectCode: string | null;
  poolCode: string | null;
  themeCode: string | null;
  sourceKind: string;
  amountPence: Money;
  commitmentStatus: string;
  periodKind?: AllocationGroup['periodKind'];
  yearFrom?: number | null;
  yearTo?: number | null;
}

export interface MovedWrite {
  changeRequest: number;
  before: MovedState | null;
  after: MovedState | null;
}

export interface MovedInput {
  /** Approved allocation writes of approved change requests, in the order they were written. */
  writes: readonly MovedWrite[];
  changes: readonly { number: number; title: string; illustrative: boolean }[];
  /** Holder lines (project or pool, and source kind) whose money is illustrative now: own data or an illustrative request. */
  illustrativeHolders: readonly { projectCode: string | null; poolCode: string | null; sourceKind: string }[];
}

const holderKey = (x: { projectCode: string | null; poolCode: string | null; sourceKind: string }) =>
  `${x.projectCode ?? ''}|${x.poolCode ?? ''}|${x.sourceKind}`;

/** Whether a line with this filter counts this allocation state (the engine's own selection rules). */
function counts(s: MovedState | null, f: AllocationFilter, capital: ReadonlyMap<string, boolean>): boolean {
  if (!s) return false;
  const g: AllocationGroup = {
    sourceKind: s.sourceKind,
    commitmentStatus: s.commitmentStatus,
    periodKind: s.periodKind ?? 'unprofiled',
    yearFrom: s.yearFrom ?? null,
    yearTo: s.yearTo ?? null,
    themeCode: s.themeCode,
    projectCode: s.projectCode,
    poolCode: s.poolCode,
    // A kind with no money now: capital unless a group says otherwise (the source_kind column's default).
    capital: capital.get(s.sourceKind) ?? true,
    pence: s.amountPence,
    allocationIds: [],
  };
  if (!matchesOtherFilters(g, f)) return false;
  const w = yearWindow(f);
  return !w || placeInWindow(g, w) === 'inside';
}

/** "+£0.2m", "−£0.2m": the explanations' own money words, signed. */
const signed = (p: Money) => (exactPence(p) > 0n ? `+${money(p)}` : money(p));

/**
 * Words for an illustrative line: what moved it, and that it is illustrative. A line only real
 * requests moved keeps its explanation (which already names a request behind a variance); its
 * agreed figure is in the data and the command line's report.
 */
function words(l: LineAgreed, illustrative: boolean): string {
  const out: string[] = [];
  if (illustrative && l.changeRequests.length) {
    const each = l.changeRequests.map((c) => {
      const what = exactPence(c.change) === 0n ? 'moved money within it' : signed(c.change);
      const moves = c.moves.map((m) => `${m.project ?? m.pool ?? 'programme'} ${m.sourceKind} ${signed(m.change)}`);
      return `change request ${c.number}${c.illustrative ? ' (illustrative)' : ''} ${what} (${moves.join('; ')})`;
    });
    const list = each.length === 1 ? each[0] : `${each.slice(0, -1).join(', ')} and ${each[each.length - 1]}`;
    out.push(
      l.agreed !== null && l.now !== null
        ? `The deal as agreed gives ${money(l.agreed)} here, now ${money(l.now)}: ${list}.`
        : `Approved changes moved money this line selects: ${list}.`,
    );
  }
  if (illustrative) out.push('These figures include illustrative data, not the real deal.');
  return out.join(' ');
}

/** Agreed vs now for one allocations line, and whether illustrative data touched it. */
function lineAgreed(
  l: ReconciliationLine,
  f: AllocationFilter,
  input: MovedInput,
  capital: ReadonlyMap<string, boolean>,
): { agreed: LineAgreed; touchedByIllustrative: boolean } {
  const byNumber = new Map(input.changes.map((c) => [c.number, c]));
  const perRequest = new Map<number, Map<string, { move: LineMove; d: bigint }>>();
  for (const w of input.writes) {
    if (!byNumber.has(w.changeRequest)) continue;
    for (const [s, sign] of [
      [w.before, -1n],
      [w.after, 1n],
    ] as const) {
      if (!s || !counts(s, f, capital)) continue;
      const moves = perRequest.get(w.changeRequest) ?? perRequest.set(w.changeRequest, new Map()).get(w.changeRequest)!;
      const k = holderKey(s);
      const seen = moves.get(k);
      const d = (seen?.d ?? 0n) + sign * exactPence(s.amountPence);
      moves.set(k, {
        move: { project: s.projectCode, pool: s.poolCode, sourceKind: s.sourceKind, change: 0 },
        d,
      });
    }
  }
  const changeRequests: LineChangeRequest[] = [...perRequest.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([n, moves]) => {
      const real = [...moves.entries()]
        .filter(([, x]) => x.d !== 0n)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, x]) => ({ ...x.move, change: narrowPence(x.d) }));
      if (!real.length) return [];
      const c = byNumber.get(n)!;
      const net = real.reduce((s, m) => s + exactPence(m.change), 0n);
      return [{ number: n, title: c.title, illustrative: c.illustrative, change: narrowPence(net), moves: real }];
    });
  const change = changeRequests.reduce((s, c) => s + exactPence(c.change), 0n);
  const now = l.computed;
  return {
    agreed: {
      agreed: now === null ? null : narrowPence(exactPence(now) - change),
      now,
      change: narrowPence(change),
      changeRequests,
    },
    touchedByIllustrative: changeRequests.some((c) => c.illustrative),
  };
}

/**
 * Every allocations line with its agreed figure beside now and the requests that moved it; the
 * lines illustrative data touched marked, with words. `groups` are the report's own (for the
 * holders of its contributing allocations, and which kinds are capital).
 */
export function markAgreed(
  report: ReconciliationReport,
  headlines: readonly HeadlineInput[],
  groups: readonly AllocationGroup[],
  input: MovedInput,
): ReconciliationReport {
  const filters = new Map(headlines.map((h) => [h.code, h.rule.allocations]));
  const capital = new Map(groups.map((g) => [g.sourceKind, g.capital]));
  const holderOf = new Map<number, string>();
  for (const g of groups) for (const id of g.allocationIds) holderOf.set(id, holderKey(g));
  const illustrativeHolders = new Set(input.illustrativeHolders.map(holderKey));
  const lines = report.lines.map((l) => {
    const f = filters.get(l.headlineCode);
    if (l.check !== 'allocations' || !f) return l;
    const { agreed, touchedByIllustrative } = lineAgreed(l, f, input, capital);
    const illustrative =
      l.illustrative === true ||
      touchedByIllustrative ||
      l.contributingAllocationIds.some((id) => illustrativeHolders.has(holderOf.get(id) ?? ''));
    const more = words(agreed, illustrative);
    return {
      ...l,
      agreed,
      ...(illustrative ? { illustrative: true } : {}),
      explanation: more ? `${l.explanation} ${more}`.trim() : l.explanation,
    };
  });
  return { ...report, lines };
}

/**
 * The deal as agreed beside now on every allocations line (illustrative moves marked, in words),
 * and the holder lines themselves (changes/agreed.queries.ts).
 */
export function withAgreed(
  report: ReconciliationReport,
  headlines: readonly HeadlineInput[],
  groups: readonly AllocationGroup[],
  deal: AgreedDeal,
): ReconciliationReport {
  const marked = markAgreed(report, headlines, groups, {
    writes: deal.writes,
    changes: deal.changes,
    illustrativeHolders: deal.lines.filter((l) => l.illustrative),
  });
  return { ...marked, agreed: deal.lines };
}
