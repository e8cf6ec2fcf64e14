import { add, amount, capitalise, minus, money, qualified, roundingText, sign } from './format';
import type { Money } from '../../common/money';
import type { HeadlineInput, AllocationGroup } from './types';
import type { CheckName, LineStatus, PoolRef } from './report';
import { windowLabel, periodLabels, type Selection } from './filter';

/**
 * Plain-English reasons for reconciliation lines. A committee member should be able to
 * read why a figure does or does not agree without knowing the data model.
 */

type Stated = Pick<HeadlineInput, 'unit' | 'qualifier' | 'value' | 'precision' | 'tableName' | 'source'>;

function statedText(h: Stated, viaTable: boolean): string {
  if (viaTable && h.tableName && h.source.printed)
    return `${amount(h.unit, h.value)} the table prints ("${h.source.printed}")`;
  return `${qualified(h.qualifier, h.unit, h.value)} stated`;
}

/**
 * One sentence comparing a computed figure with the stated one, led by `lead`
 * ("The project-level allocations add up to £34.6m"). Empty when reconciled.
 */
export function comparison(h: Stated, computed: Money, status: LineStatus, lead: string, viaTable = false): string {
  const v = minus(computed, h.value);
  const diff = amount(h.unit, sign(v) < 0 ? minus(0, v) : v);
  const dir = sign(v) > 0 ? 'more' : h.unit === 'pounds' ? 'less' : 'fewer';
  switch (status) {
    case 'reconciled':
      return '';
    case 'met':
      return `${lead}, which reaches the ${qualified(h.qualifier, h.unit, h.value)} stated.`;
    case 'not_met':
      return `${lead}, ${diff} short of the ${qualified(h.qualifier, h.unit, h.value)} stated.`;
    case 'within_rounding':
      return (
        `${lead}, ${diff} ${dir} than the ${statedText(h, viaTable)}; ` +
        `this agrees within the rounding of a figure printed to ${roundingText(h.unit, h.precision)}.`
      );
    case 'unreconciled':
      return `${lead}, ${diff} ${dir} than the ${statedText(h, viaTable)}.`;
    case 'not_comparable':
      return '';
  }
}

/** The approved change requests whose net movement is the variance, by number and title. */
export function changesText(changes: readonly { number: number; kind: string; title: string }[]): string {
  const named = changes.map((c) => `change request ${c.number} (${c.kind}: “${c.title}”)`);
  const list = named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `The difference is what approved ${list} moved.`;
}

/** What a non-zero unattributed figure means, with its sign. */
export function unattributedText(unattributed: Money): string {
  if (sign(unattributed) > 0) return `${money(unattributed)} is shown as unattributed; nothing has been moved.`;
  return `${money(minus(0, unattributed))} is shown as over-attributed (unattributed ${money(unattributed)}); nothing has been moved.`;
}

function sumPence(groups: readonly AllocationGroup[]): Money {
  return groups.reduce<Money>((s, g) => add(s, g.pence), 0);
}

/** Why a year-limited allocations line cannot be checked: unprofiled or straddling money. */
export function notComparableYears(sel: Selection): string {
  const w = sel.window ? windowLabel(sel.window) : 'these years';
  const inScope = add(add(sumPence(sel.counted), sumPence(sel.unprofiled)), sumPence(sel.straddling));
  const parts: string[] = [];
  if (sel.unprofiled.length) {
    const u = sumPence(sel.unprofiled);
    const share =
      minus(u, inScope) === 0 && sel.straddling.length === 0 && sel.counted.length === 0
        ? `all ${money(u)}`
        : `${money(u)} of ${money(inScope)}`;
    parts.push(`the source gives these allocations' amounts without a year split (${share} unprofiled)`);
  }
  if (sel.straddling.length) {
    const labels = periodLabels(sel.straddling);
    const verb = labels.length === 1 ? 'runs' : 'run';
    parts.push(
      `${money(sumPence(sel.straddling))} is given for ${labels.join(', ')}, which ${verb} partly inside and partly outside ${w}`,
    );
  }
  return `${capitalise(parts.join('; and '))}, so a figure for ${w} cannot be checked against them; no split is invented.`;
}

/** "project AMSH's £6.9m LGF allocation (id 12)". */
export function describeAllocation(g: AllocationGroup, id: number): string {
  const what = `${money(g.pence)} ${g.sourceKind} allocation (id ${id})`;
  if (g.projectCode !== null) return `project ${g.projectCode}'s ${what}`;
  if (g.poolCode !== null) return `pool ${g.poolCode}'s ${what}`;
  return `the programme-level ${what}`;
}

export function suggestionTexts(
  surplusLine: { headlineCode: string; label: string },
  shortfallLines: readonly { headlineCode: string; label: string }[],
  g: AllocationGroup,
  id: number,
): { surplus: string; shortfall: string } {
  const amt = money(g.pence);
  const desc = describeAllocation(g, id);
  const tail = 'This is a suggestion only; no money has been moved.';
  const on = shortfallLines.map((l) => `${l.label} (${l.headlineCode})`).join(' and on ');
  return {
    surplus: `The ${amt} surplus here matches the ${amt} shortfall on ${on}: ${desc} may belong there. ${tail}`,
    shortfall: `The ${amt} shortfall here matches the ${amt} surplus on ${surplusLine.label} (${surplusLine.headlineCode}): ${desc}, counted there, may belong here. ${tail}`,
  };
}

export interface ConflictSide {
  code: string;
  label: string;
  stated: number;
  qualifier: HeadlineInput['qualifier'];
  document: string | null;
}

/** "The committee report says £82.2m; the deal document says £82.3m: they differ by £0.1m. Both are kept." */
export function conflictText(unit: HeadlineInput['unit'], sides: readonly ConflictSide[], spread: number): string {
  const docs = sides.map((s) => s.document ?? `headline ${s.code}`);
  const said = sides.map((s, i) => {
    const who = docs.filter((d) => d === docs[i]).length > 1 ? `${docs[i]} (${s.label})` : docs[i];
    return `${who} says ${qualified(s.qualifier, unit, s.stated)}`;
  });
  const kept = sides.length === 2 ? 'Both are kept.' : `All ${sides.length} are kept.`;
  const differ = sides.length === 2 ? 'they differ by' : 'the highest and lowest differ by';
  return `${capitalise(said.join('; '))}: ${differ} ${amount(unit, spread)}. ${kept}`;
}

/**
 * Which comparison a line is, in words. A headline may give two lines with opposite verdicts
 * (a table total against the allocations, unreconciled; the same total as the table's own
 * arithmetic, reconciled): each says which it is.
 */
export function comparisonWords(check: CheckName, h: Pick<HeadlineInput, 'tableName'>): string {
  switch (check) {
    case 'allocations':
      return 'against the allocations';
    case 'sumOf':
      return h.tableName ? 'the table’s own arithmetic' : 'against the stated figures it adds up';
    case 'count':
      return 'against the number of projects';
    case 'outputs':
      return 'against the outputs delivered';
  }
}

/** "A", "A and B", "A, B and C". */
/**
 * The core funding sources as a sentence names them ("£4.8m of private sector match funding"):
 * explanations are read by committee members, not only by the finance officers who know the
 * codes. A source added later is named by its code.
 */
const SOURCE_WORDS: Readonly<Record<string, string>> = {
  LGF: 'Local Growth Fund award',
  LGF_PRECOMMITTED: 'previously committed growth funding',
  LGF_PROVISIONAL: 'provisional Local Growth Fund allocation',
  LOCAL_MATCH: 'local partners’ match funding',
  PRIVATE_MATCH: 'private sector match funding',
  REVENUE_GRANT: 'revenue grant',
};
const sourceWords = (code: string) => SOURCE_WORDS[code] ?? code;

function listed(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/**
 * Why a per-project figure cannot be checked: money of its kind is given to a pool the project
 * shares, without a split by project. Never "no allocation matches": the money exists, it is
 * just not the project's alone.
 */
export function pooledText(
  projects: readonly string[],
  own: readonly AllocationGroup[],
  pooled: readonly AllocationGroup[],
  pools: readonly PoolRef[],
): string {
  const members = new Map(pools.map((p) => [p.code, [...p.projects].sort()]));
  const codes = [...new Set(pooled.map((g) => g.poolCode!))].sort();
  const given = codes.map((code) => {
    const gs = pooled.filter((g) => g.poolCode === code);
    const kinds = [...new Set(gs.map((g) => g.sourceKind))].sort();
    return `${money(sumPence(gs))} of ${listed(kinds.map(sourceWords))} to the pool ${code} (shared by ${listed(members.get(code) ?? [])})`;
  });
  const who = listed(projects);
  const verb = given.length === 1 ? 'is' : 'are';
  const head = own.length
    ? `${who}'s own allocations add up to ${money(sumPence(own))}, but ${listed(given)} ${verb} also given without a split by project`
    : `${capitalise(listed(given))} ${verb} given without a split by project`;
  return `${head}, so a figure for ${who} alone cannot be checked against ${given.length === 1 ? 'it' : 'them'}; no split is invented.`;
}
