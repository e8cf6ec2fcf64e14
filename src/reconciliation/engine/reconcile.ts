import { exactPence, type Money } from '../../common/money';
import type { Qualifier } from '../../headlines/headline-figure.entity';
import type { AllocationFilter } from '../../headlines/headline-rule';
import {
  changesText,
  comparison,
  comparisonWords,
  conflictText,
  notComparableYears,
  pooledText,
  suggestionTexts,
  unattributedText,
} from './explain';
import {
  BadRuleYearError,
  matchesOtherFilters,
  placeInWindow,
  selectGroups,
  yearWindow,
  type Selection,
} from './filter';
import { add, amount, compareText, minus, qualified, sign } from './format';
import {
  LINE_STATUSES,
  type CheckName,
  type Conflict,
  type LineStatus,
  type ApprovedChange,
  type PoolRef,
  type ReconcileInput,
  type ReconciliationLine,
  type ReconciliationReport,
} from './report';
import type { AllocationGroup, HeadlineInput, OutputTotals, ProjectRef } from './types';

/**
 * Pure reconciliation: each headline's checks become lines with an exact variance, a
 * status and a reason. Nothing is forced to agree and no money is ever moved.
 */

/** Status by the rule of the figure's precision; 2·|variance| ≤ precision keeps halves exact. */
export function statusFor(qualifier: Qualifier, stated: Money, computed: Money, precision: number): LineStatus {
  const v = exactPence(computed) - exactPence(stated);
  if (qualifier === 'at_least') return v >= 0n ? 'met' : 'not_met';
  if (v === 0n) return 'reconciled';
  return 2n * (v < 0n ? -v : v) <= BigInt(precision) ? 'within_rounding' : 'unreconciled';
}

/** A line under construction, with the groups it counted (for suggestions). */
interface Work {
  line: ReconciliationLine;
  counted: AllocationGroup[];
}

function baseLine(h: HeadlineInput, check: CheckName): ReconciliationLine {
  return {
    headlineId: h.id,
    headlineCode: h.code,
    measure: h.measure,
    label: h.label,
    check,
    comparison: comparisonWords(check, h),
    unit: h.unit,
    qualifier: h.qualifier,
    stated: h.value,
    computed: null,
    variance: null,
    precision: h.precision,
    tolerance: h.precision / 2,
    status: 'not_comparable',
    unattributed: null,
    contributingAllocationIds: [],
    contributingHeadlines: [],
    explanation: '',
    provenance: {
      document: h.source?.document ?? null,
      section: h.source?.section ?? null,
      quote: h.source?.quote ?? null,
      printed: h.source?.printed ?? null,
    },
    table: h.tableName ? { name: h.tableName, row: h.tableRow, column: h.tableColumn } : null,
    notes: h.notes,
    suggestion: null,
  };
}

/** Fills computed, variance and status; returns the status. */
function compare(line: ReconciliationLine, h: HeadlineInput, computed: Money): LineStatus {
  line.computed = computed;
  line.variance = minus(computed, h.value);
  line.status = statusFor(h.qualifier, h.value, computed, h.precision);
  return line.status;
}

function ids(groups: readonly AllocationGroup[]): number[] {
  return [...new Set(groups.flatMap((g) => g.allocationIds))].sort((a, b) => a - b);
}

/**
 * The approved changes behind a whole-source variance: when the rule selects by source kind only,
 * the changes since the allocations last added up to the stated figure (the newest changes whose
 * net movement on those kinds is exactly the variance) explain it. Null when none do.
 */
function changesBehind(
  filter: AllocationFilter,
  variance: Money,
  changes: readonly ApprovedChange[],
): ApprovedChange[] | null {
  const { sourceKinds, ...rest } = filter;
  if (Object.values(rest).some((v) => v !== undefined && v !== false)) return null;
  const net = (c: ApprovedChange) =>
    Object.entries(c.deltaBySource)
      .filter(([k]) => !sourceKinds || sourceKinds.includes(k))
      .reduce((s, [, v]) => s + v, 0);
  const behind: ApprovedChange[] = [];
  const wanted = exactPence(variance);
  let moved = 0n;
  for (const c of [...changes].reverse()) {
    const d = net(c);
    if (d === 0) continue;
    moved += BigInt(d);
    behind.unshift(c);
    if (moved === wanted) return behind;
  }
  return null;
}

/**
 * Pooled money a per-project rule cannot see: groups of the rule's kinds and years given to a
 * pool that one of its projects belongs to (a pool the rule names itself is counted, not this).
 */
function pooledFor(
  groups: readonly AllocationGroup[],
  f: AllocationFilter,
  pools: readonly PoolRef[],
): AllocationGroup[] {
  if (!f.projects?.length || !pools.length) return [];
  const members = new Map(pools.map((p) => [p.code, p.projects]));
  const window = yearWindow(f);
  const anyRecipient: AllocationFilter = { ...f, projects: undefined, pools: undefined };
  return groups.filter(
    (g) =>
      g.poolCode !== null &&
      !f.pools?.includes(g.poolCode) &&
      (members.get(g.poolCode) ?? []).some((c) => f.projects!.includes(c)) &&
      matchesOtherFilters(g, anyRecipient) &&
      (!window || placeInWindow(g, window) !== 'outside'),
  );
}

function allocationsLine(
  h: HeadlineInput,
  filter: AllocationFilter,
  groups: readonly AllocationGroup[],
  changes: readonly ApprovedChange[] = [],
  pools: readonly PoolRef[] = [],
): Work {
  const line = baseLine(h, 'allocations');
  let sel: Selection;
  try {
    sel = selectGroups(groups, filter);
  } catch (e) {
    if (!(e instanceof BadRuleYearError)) throw e;
    line.explanation = `The rule for this figure names a year that cannot be read (${e.message}), so it cannot be checked.`;
    return { line, counted: [] };
  }
  if (sel.unprofiled.length || sel.straddling.length) {
    line.contributingAllocationIds = ids([...sel.counted, ...sel.unprofiled, ...sel.straddling]);
    line.explanation = notComparableYears(sel);
    return { line, counted: [] };
  }
  const computed = sel.counted.reduce<Money>((s, g) => add(s, g.pence), 0);
  // A per-project figure beside money its project shares in a pool: not comparable (unless a
  // minimum is already reached without the pool), never "no allocation matches".
  const pooled = pooledFor(groups, filter, pools);
  if (pooled.length && !(h.qualifier === 'at_least' && exactPence(computed) >= BigInt(h.value))) {
    line.contributingAllocationIds = ids([...sel.counted, ...pooled]);
    line.explanation = pooledText(filter.projects!, sel.counted, pooled, pools);
    return { line, counted: [] };
  }
  const status = compare(line, h, computed);
  line.contributingAllocationIds = ids(sel.counted);
  const allProject = sel.counted.length > 0 && sel.counted.every((g) => g.projectCode !== null);
  const lead =
    sel.counted.length === 0
      ? `No allocation matches this figure, so the allocations add up to ${amount(h.unit, computed)}`
      : `The ${allProject ? 'project-level allocations' : 'allocations it covers'} add up to ${amount(h.unit, computed)}`;
  const words = [comparison(h, computed, status, lead)];
  if (h.qualifier !== 'at_least' && sign(minus(computed, h.value)) !== 0) {
    line.unattributed = minus(h.value, computed);
    const behind = changesBehind(filter, minus(computed, h.value), changes);
    words.push(behind ? changesText(behind) : unattributedText(line.unattributed));
  }
  line.explanation = words.filter((w) => w !== '').join(' ');
  return { line, counted: sel.counted };
}

function sumOfLine(h: HeadlineInput, codes: readonly string[], byCode: ReadonlyMap<string, HeadlineInput>): Work {
  const line = baseLine(h, 'sumOf');
  line.contributingHeadlines = [...codes];
  const missing = codes.filter((c) => !byCode.has(c));
  const parts = codes.map((c) => byCode.get(c)).filter((p): p is HeadlineInput => p !== undefined);
  const otherUnit = parts.find((p) => p.unit !== h.unit);
  if (codes.length === 0 || missing.length || otherUnit) {
    line.explanation =
      codes.length === 0
        ? 'The rule sums no other figures, so there is nothing to check.'
        : missing.length
          ? `This figure is the sum of ${codes.join(' + ')}, but ${missing.map((c) => `"${c}"`).join(', ')} ${missing.length === 1 ? 'is not a headline figure' : 'are not headline figures'} of this programme, so the sum cannot be checked.`
          : `This figure is in ${h.unit} but ${otherUnit!.code} is in ${otherUnit!.unit}, so they cannot be added.`;
    return { line, counted: [] };
  }
  const computed = parts.reduce<Money>((s, p) => add(s, p.value), 0);
  const status = compare(line, h, computed);
  const arithmetic = `${parts.map((p) => amount(h.unit, p.value)).join(' + ')} = ${amount(h.unit, computed)}`;
  line.explanation = comparison(h, computed, status, arithmetic, true);
  return { line, counted: [] };
}

function countLine(h: HeadlineInput, themes: readonly string[] | undefined, projects: readonly ProjectRef[]): Work {
  const line = baseLine(h, 'count');
  const n = projects.filter(
    (p) => p.status !== 'withdrawn' && (!themes || (p.themeCode !== null && themes.includes(p.themeCode))),
  ).length;
  const status = compare(line, h, n);
  const where = themes ? ` in ${themes.join(', ')}` : '';
  const lead = `The programme has ${amount('projects', n)}${where} that ${n === 1 ? 'is' : 'are'} not withdrawn`;
  line.explanation = comparison(h, n, status, lead);
  return { line, counted: [] };
}

/**
 * Outputs delivered (to the end of the last submitted quarter, `through`) against a promise.
 * Recorded claims of a quarter not yet submitted are not delivered: the words say so, and
 * never "none recorded" when claims exist but no quarter is submitted.
 */
function outputsLine(
  h: HeadlineInput,
  metrics: readonly string[],
  outputs: OutputTotals,
  through: string | null | undefined,
): Work {
  const line = baseLine(h, 'outputs');
  const present = metrics.filter((m) => Object.prototype.hasOwnProperty.call(outputs, m));
  const what = h.unit === 'pounds' ? 'outputs' : h.unit;
  if (present.length === 0) {
    const none =
      through === null
        ? `No ${what} have been delivered: no quarter has been submitted yet`
        : through === undefined
          ? `No ${what} have been delivered in a submitted quarter yet`
          : `No ${what} were delivered to the end of ${through}, the last submitted quarter`;
    line.explanation = `${none} (${metrics.join(', ') || 'no metric named'}), so the ${qualified(h.qualifier, h.unit, h.value)} stated cannot be compared yet.`;
    return { line, counted: [] };
  }
  const computed = present.reduce<Money>((s, m) => add(s, outputs[m]), 0);
  const status = compare(line, h, computed);
  const absent = metrics.filter((m) => !present.includes(m));
  const lead =
    `Outputs delivered total ${amount(h.unit, computed)} (${present.join(', ')}` +
    `${absent.length ? `; none delivered for ${absent.join(', ')}` : ''})`;
  line.explanation = comparison(h, computed, status, lead);
  return { line, counted: [] };
}

function checkInput(h: HeadlineInput): void {
  if (!Number.isSafeInteger(h.value))
    throw new RangeError(`headline ${h.code}: value ${h.value} is not a whole number`);
  if (!Number.isSafeInteger(h.precision) || h.precision < 0) {
    throw new RangeError(`headline ${h.code}: precision ${h.precision} is not a whole non-negative number`);
  }
}

/**
 * Pairs unreconciled allocations lines whose variances cancel and equal one allocation.
 * Every line with the matching shortfall gets the hint (two documents may state the same
 * short figure); the surplus line names them all, a partner in its own table first.
 */
function suggest(work: readonly Work[]): void {
  const open = work.filter(
    (w) => w.line.check === 'allocations' && w.line.status === 'unreconciled' && w.line.variance !== 0,
  );
  for (const p of open) {
    const v = exactPence(p.line.variance!);
    if (v <= 0n || p.line.suggestion) continue;
    const sameTable = (n: Work) => (p.line.table !== null && n.line.table?.name === p.line.table.name ? 0 : 1);
    const partners = open
      .filter((n) => !n.line.suggestion && exactPence(n.line.variance!) === -v)
      .sort((a, b) => sameTable(a) - sameTable(b));
    const fits = (g: AllocationGroup, n: Work) => !n.line.contributingAllocationIds.includes(g.allocationIds[0]);
    for (const first of partners) {
      const candidates = p.counted
        .filter((g) => g.allocationIds.length === 1 && exactPence(g.pence) === v && fits(g, first))
        .sort((a, b) => a.allocationIds[0] - b.allocationIds[0]);
      if (candidates.length === 0) continue;
      const g = candidates[0];
      const id = g.allocationIds[0];
      const matched = partners.filter((n) => fits(g, n));
      const t = suggestionTexts(
        p.line,
        matched.map((n) => n.line),
        g,
        id,
      );
      p.line.explanation = [p.line.explanation, t.surplus].filter((s) => s !== '').join(' ');
      p.line.suggestion = { allocationId: id, withHeadlineCode: matched[0].line.headlineCode };
      for (const n of matched) {
        n.line.explanation = [n.line.explanation, t.shortfall].filter((s) => s !== '').join(' ');
        n.line.suggestion = { allocationId: id, withHeadlineCode: p.line.headlineCode };
      }
      break;
    }
  }
}

/**
 * Whether every statement of one measure can be true at once: minimums ("at least") only
 * bound it from below, so two of them never conflict, nor a minimum that a stated figure
 * reaches (within that figure's rounding, half a unit included). Stated figures that differ
 * from each other do conflict.
 */
export function canAllHold(hs: readonly Pick<HeadlineInput, 'qualifier' | 'value' | 'precision'>[]): boolean {
  const fixed = hs.filter((h) => h.qualifier !== 'at_least');
  if (fixed.length === 0) return true;
  if (fixed.some((f) => f.value !== fixed[0].value)) return false;
  const top = 2n * BigInt(fixed[0].value) + BigInt(Math.max(...fixed.map((f) => f.precision)));
  return hs.every((h) => h.qualifier !== 'at_least' || 2n * BigInt(h.value) <= top);
}

/** Headlines stating the same measure with values that cannot all be true, set side by side. */
export function findConflicts(headlines: readonly HeadlineInput[]): Conflict[] {
  const byMeasure = new Map<string, HeadlineInput[]>();
  for (const h of headlines) byMeasure.set(h.measure, [...(byMeasure.get(h.measure) ?? []), h]);
  const out: Conflict[] = [];
  for (const measure of [...byMeasure.keys()].sort(compareText)) {
    const hs = byMeasure
      .get(measure)!
      .slice()
      .sort((a, b) => a.value - b.value || compareText(a.code, b.code));
    if (hs.length < 2 || hs[0].value === hs[hs.length - 1].value || canAllHold(hs)) continue;
    const spread = hs[hs.length - 1].value - hs[0].value;
    const sides = hs.map((h) => ({
      code: h.code,
      label: h.label,
      stated: h.value,
      qualifier: h.qualifier,
      document: h.source?.document ?? null,
      section: h.source?.section ?? null,
      quote: h.source?.quote ?? null,
    }));
    out.push({
      measure,
      unit: hs[0].unit,
      headlines: sides,
      spread,
      explanation: conflictText(hs[0].unit, sides, spread),
    });
  }
  return out;
}

export function reconcile(input: ReconcileInput): ReconciliationReport {
  for (const g of input.groups) exactPence(g.pence); // a whole number of pence
  input.headlines.forEach(checkInput);
  const byCode = new Map(input.headlines.map((h) => [h.code, h]));

  const work: Work[] = [];
  for (const h of input.headlines) {
    const rule = h.rule ?? {};
    if (rule.allocations) work.push(allocationsLine(h, rule.allocations, input.groups, input.changes, input.pools));
    if (rule.sumOf) work.push(sumOfLine(h, rule.sumOf, byCode));
    if (rule.count) work.push(countLine(h, rule.count.themes, input.projects));
    if (rule.outputs) work.push(outputsLine(h, rule.outputs.metrics ?? [], input.outputs ?? {}, input.outputsThrough));
  }
  work.sort(
    (a, b) =>
      compareText(a.line.headlineCode, b.line.headlineCode) ||
      compareText(a.line.check, b.line.check) ||
      a.line.headlineId - b.line.headlineId,
  );
  suggest(work);

  const lines = work.map((w) => w.line);
  const conflicts = findConflicts(input.headlines);
  const byStatus = Object.fromEntries(LINE_STATUSES.map((s) => [s, 0])) as Record<LineStatus, number>;
  let totalUnattributed: Money = 0;
  for (const l of lines) {
    byStatus[l.status] += 1;
    if (l.unattributed !== null) totalUnattributed = add(totalUnattributed, l.unattributed);
  }
  return {
    lines,
    conflicts,
    summary: { lines: lines.length, byStatus, totalUnattributed, conflicts: conflicts.length },
  };
}
