/**
 * Pure arithmetic of a spend re-profile: signed baseline moves between quarters of one
 * project × source kind. Plain data in, plain data out (integer pence, quarter codes), so the
 * rules can be checked exhaustively without a database.
 */
import { formatPounds as pounds } from '../../common/money';

/** Quarter code ("2016-17 Q3") to baseline pence. Quarters absent from the map are 0. */
export type Baselines = Record<string, number>;

export interface BaselineMove {
  quarter: string;
  deltaPence: number;
}

export interface ReprofileProblem {
  /** Index of the offending line, or null for the whole set (the net). */
  index: number | null;
  code: 'UNBALANCED' | 'PERIOD_LOCKED' | 'NEGATIVE_BASELINE';
  problem: string;
  netPence?: number;
}

export function netOf(moves: BaselineMove[]): number {
  return moves.reduce((s, m) => s + m.deltaPence, 0);
}

export function totalOf(b: Baselines): number {
  return Object.values(b).reduce((s, v) => s + v, 0);
}

/** Per financial year ("2016-17"): the sum of its quarters. */
export function yearTotals(b: Baselines): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [q, v] of Object.entries(b)) out[q.slice(0, 7)] = (out[q.slice(0, 7)] ?? 0) + v;
  return out;
}

function signed(pence: number): string {
  return `${pence > 0 ? '+' : ''}${pounds(pence)}`;
}

/**
 * Everything wrong with applying `moves` to `current`: quarters that are locked (their return
 * is submitted), baselines that would go below zero, and a net that is not zero (named).
 */
export function reprofileProblems(
  current: Baselines,
  moves: BaselineMove[],
  locked: ReadonlySet<string>,
): ReprofileProblem[] {
  const problems: ReprofileProblem[] = [];
  moves.forEach((mv, i) => {
    if (locked.has(mv.quarter)) {
      problems.push({
        index: i,
        code: 'PERIOD_LOCKED',
        problem: `${mv.quarter} is locked: its return has been submitted, so its baseline is history and cannot be re-profiled`,
      });
      return;
    }
    const next = (current[mv.quarter] ?? 0) + mv.deltaPence;
    if (next < 0) {
      problems.push({
        index: i,
        code: 'NEGATIVE_BASELINE',
        problem: `would take the ${mv.quarter} baseline from ${pounds(current[mv.quarter] ?? 0)} to ${pounds(next)}: a baseline cannot go below 0.00`,
      });
    }
  });
  const net = netOf(moves);
  if (net !== 0) {
    const parts = moves.map((m) => `${m.quarter} ${signed(m.deltaPence)}`).join(', ');
    problems.push({
      index: null,
      code: 'UNBALANCED',
      netPence: net,
      problem: `the lines do not balance: ${parts}; net ${signed(net)} (a re-profile keeps the same total: the net must be 0.00)`,
    });
  }
  return problems;
}

/** The baselines after the moves (a new object; quarters a move creates appear with their value). */
export function applyMoves(current: Baselines, moves: BaselineMove[]): Baselines {
  const out: Baselines = { ...current };
  for (const m of moves) out[m.quarter] = (out[m.quarter] ?? 0) + m.deltaPence;
  return out;
}

/** The moves that undo `moves`. */
export function inverseMoves(moves: BaselineMove[]): BaselineMove[] {
  return moves.map((m) => ({ quarter: m.quarter, deltaPence: -m.deltaPence }));
}

/** Reading for a description: what leaves which quarters and arrives in which, biggest first is not implied. */
export function splitMoves(moves: BaselineMove[]): { out: BaselineMove[]; into: BaselineMove[]; movedPence: number } {
  const out = moves.filter((m) => m.deltaPence < 0);
  const into = moves.filter((m) => m.deltaPence > 0);
  return { out, into, movedPence: into.reduce((s, m) => s + m.deltaPence, 0) };
}
