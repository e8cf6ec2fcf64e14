import { displayMillions, displayPounds, exactPence, narrowPence, type Money } from '../../common/money';

/**
 * The deal as agreed beside the current approved allocation (DESIGN, Clarifications 2026-12):
 * pure, no Nest, no database. The agreed figure is the loaded baseline; every approved change
 * request that moved money keeps each allocation it wrote as it was before and after (the
 * approval's audit entries), so the agreed figure of a line is what it holds now less every
 * approved move, and each move names its change request.
 *
 * A line is one holder (a project, a pool, or the programme as a whole) and one source kind.
 * Money counts while its allocation is not withdrawn, as on every public page.
 */

export interface LineKey {
  projectId: number | null;
  poolId: number | null;
  sourceKind: string;
}

/** An allocation as an approval wrote it (before or after). */
export interface AllocationState extends LineKey {
  amountPence: Money;
  commitmentStatus: string;
  /** Its period, where the audit entry holds it (a reconciliation line may select by year). */
  periodKind?: 'year' | 'range' | 'unprofiled';
  yearFrom?: number | null;
  yearTo?: number | null;
}

/** One allocation written by an approved change request: null before = created by it. */
export interface AllocationWrite {
  changeRequest: number;
  /** The allocation written, where known (the audit entry's entity id). */
  allocationId?: number;
  before: AllocationState | null;
  after: AllocationState | null;
}

export interface ApprovedChange {
  number: number;
  title: string;
  illustrative: boolean;
}

/** The current approved, non-withdrawn money of one line, and whether its data is illustrative. */
export interface CurrentLine extends LineKey {
  pence: Money;
  illustrative: boolean;
}

export interface LineChange {
  number: number;
  title: string;
  illustrative: boolean;
  deltaPence: Money;
}

export interface AgreedLine extends LineKey {
  agreedPence: Money;
  nowPence: Money;
  deltaPence: Money;
  /** The approved change requests whose net effect on this line is not zero, by number. */
  changes: LineChange[];
  /** True when an approved change moved this line's money (even if the moves cancel out). */
  changed: boolean;
  /** The line's own data, or any change that moved it, is illustrative. */
  illustrative: boolean;
}

export const lineKey = (k: LineKey) => `${k.projectId ?? ''}|${k.poolId ?? ''}|${k.sourceKind}`;

const counted = (s: AllocationState | null): bigint =>
  s && s.commitmentStatus !== 'withdrawn' ? exactPence(s.amountPence) : 0n;

/** Agreed vs now for every line that has money now or had it when agreed, in key order. */
export function agreedVsNow(
  current: readonly CurrentLine[],
  writes: readonly AllocationWrite[],
  changes: readonly ApprovedChange[],
): AgreedLine[] {
  const byNumber = new Map(changes.map((c) => [c.number, c]));
  const lines = new Map<
    string,
    { key: LineKey; now: bigint; illustrative: boolean; deltas: Map<number, bigint>; touched: boolean }
  >();
  const line = (k: LineKey) => {
    const id = lineKey(k);
    let l = lines.get(id);
    if (!l) {
      l = {
        key: { projectId: k.projectId, poolId: k.poolId, sourceKind: k.sourceKind },
        now: 0n,
        illustrative: false,
        deltas: new Map(),
        touched: false,
      };
      lines.set(id, l);
    }
    return l;
  };
  for (const c of current) {
    const l = line(c);
    l.now += exactPence(c.pence);
    l.illustrative ||= c.illustrative;
  }
  for (const w of writes) {
    if (!byNumber.has(w.changeRequest)) continue;
    for (const [s, sign] of [
      [w.before, -1n],
      [w.after, 1n],
    ] as const) {
      if (!s) continue;
      const l = line(s);
      l.touched = true;
      l.deltas.set(w.changeRequest, (l.deltas.get(w.changeRequest) ?? 0n) + sign * counted(s));
    }
  }
  return [...lines.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, l]) => {
      const moves = [...l.deltas.entries()].filter(([, d]) => d !== 0n).sort(([a], [b]) => a - b);
      const delta = moves.reduce((s, [, d]) => s + d, 0n);
      const lineChanges = moves.map(([n, d]) => {
        const c = byNumber.get(n)!;
        return { number: n, title: c.title, illustrative: c.illustrative, deltaPence: narrowPence(d) };
      });
      return {
        ...l.key,
        agreedPence: narrowPence(l.now - delta),
        nowPence: narrowPence(l.now),
        deltaPence: narrowPence(delta),
        changes: lineChanges,
        changed: l.touched && moves.length > 0,
        illustrative: l.illustrative || lineChanges.some((c) => c.illustrative),
      };
    })
    .filter((l) => exactPence(l.agreedPence) !== 0n || exactPence(l.nowPence) !== 0n || l.changed);
}

/**
 * Several lines read as one (a project's sources in one table row, a headline's allocations):
 * agreed, now and the change summed exactly, each change request's deltas summed across the
 * lines (a request that moved money between them nets out, and is then not listed), and
 * illustrative where any line is. The key is the caller's (the first line's, or none).
 */
export function combineAgreed(lines: readonly AgreedLine[], key: LineKey): AgreedLine {
  let agreed = 0n;
  let now = 0n;
  const deltas = new Map<number, { c: LineChange; d: bigint }>();
  for (const l of lines) {
    agreed += exactPence(l.agreedPence);
    now += exactPence(l.nowPence);
    for (const c of l.changes) {
      const seen = deltas.get(c.number);
      deltas.set(c.number, { c, d: (seen?.d ?? 0n) + exactPence(c.deltaPence) });
    }
  }
  const changes = [...deltas.values()]
    .filter((x) => x.d !== 0n)
    .sort((a, b) => a.c.number - b.c.number)
    .map(({ c, d }) => ({ ...c, deltaPence: narrowPence(d) }));
  return {
    projectId: key.projectId,
    poolId: key.poolId,
    sourceKind: key.sourceKind,
    agreedPence: narrowPence(agreed),
    nowPence: narrowPence(now),
    deltaPence: narrowPence(now - agreed),
    changes,
    changed: changes.length > 0,
    illustrative: lines.some((l) => l.illustrative),
  };
}

/** "+£0.2m", "−£0.2m": a signed change in £m; exact pounds where £0.1m cannot show it ("−£20,000.00"). */
export function signedMillions(pence: Money): string {
  const p = exactPence(pence);
  const abs = p < 0n ? -p : p;
  const sign = p > 0n ? '+' : p < 0n ? '−' : '';
  return `${sign}${abs % 10_000_000n === 0n ? displayMillions(abs) : displayPounds(abs)}`;
}

/**
 * Agreed and now in £m, with as many places as it takes to tell them apart (£1.0m vs £0.98m
 * would read as the same figure at one place: "£1.00m" and "£0.98m"); exact pounds past six.
 */
export function agreedFigures(l: AgreedLine): { agreed: string; now: string; change: string } {
  const a = exactPence(l.agreedPence);
  const n = exactPence(l.nowPence);
  for (let places = 1; places <= 6; places++) {
    const agreed = displayMillions(a, places);
    const now = displayMillions(n, places);
    if (a === n || agreed !== now) return { agreed, now, change: signedMillions(l.deltaPence) };
  }
  return { agreed: displayPounds(a), now: displayPounds(n), change: signedMillions(l.deltaPence) };
}

/** "change request 1", "change requests 1 and 3", "change requests 1, 3 and 4". */
export function changeRequestWords(numbers: readonly number[]): string {
  if (numbers.length === 1) return `change request ${numbers[0]}`;
  const head = numbers.slice(0, -1).join(', ');
  return `change requests ${head} and ${numbers[numbers.length - 1]}`;
}

/**
 * The words every surface uses: "agreed £4.0m · now £4.2m (+£0.2m, change request 1)", or
 * "agreed £4.0m · unchanged" when no approved change moved the line. Illustrative lines end
 * with " (illustrative)".
 */
export function agreedWords(l: AgreedLine): string {
  const mark = l.illustrative ? ' (illustrative)' : '';
  const f = agreedFigures(l);
  if (!l.changed) return `agreed ${f.agreed} · unchanged${mark}`;
  const why = l.changes.length ? `, ${changeRequestWords(l.changes.map((c) => c.number))}` : '';
  return `agreed ${f.agreed} · now ${f.now} (${f.change}${why})${mark}`;
}

/** What on one row of figures is illustrative: requests that moved its allocation, its own data, its figures. */
export interface IllustrativeParts {
  /** Approved change requests marked illustrative that moved the row's allocation, ascending. */
  changeRequests: number[];
  /** The allocation's own data is illustrative (and no illustrative request moved it). */
  allocation: boolean;
  /** The row's spend figures or adjustments are illustrative demo data. */
  figures: boolean;
}

export function illustrativeParts(line: AgreedLine | undefined, figuresIllustrative: boolean): IllustrativeParts {
  const changeRequests = (line?.changes ?? []).filter((c) => c.illustrative).map((c) => c.number);
  return {
    changeRequests,
    allocation: !changeRequests.length && !!line?.illustrative,
    figures: figuresIllustrative,
  };
}

/** Several rows' parts as one (a programme's rows, say): every request once, in order. */
export function mergeIllustrativeParts(a: IllustrativeParts, b: IllustrativeParts): IllustrativeParts {
  const changeRequests = [...new Set([...a.changeRequests, ...b.changeRequests])].sort((x, y) => x - y);
  return {
    changeRequests,
    allocation: !changeRequests.length && (a.allocation || b.allocation),
    figures: a.figures || b.figures,
  };
}

/**
 * The words of an export's Illustrative column ("allocation moved by change request 1; spend
 * figures", "allocation", "spend figures"); null when nothing illustrative touched the row.
 */
export function illustrativeWords(p: IllustrativeParts): string | null {
  const parts: string[] = [];
  const crs = p.changeRequests;
  if (crs.length) parts.push(`allocation moved by change request${crs.length > 1 ? 's' : ''} ${crs.join(', ')}`);
  else if (p.allocation) parts.push('allocation');
  if (p.figures) parts.push('spend figures');
  return parts.length ? parts.join('; ') : null;
}

/** A row's illustrative mark from its agreed-vs-now line and whether its figures are illustrative. */
export function illustrativeMark(line: AgreedLine | undefined, figuresIllustrative: boolean): string | null {
  return illustrativeWords(illustrativeParts(line, figuresIllustrative));
}
