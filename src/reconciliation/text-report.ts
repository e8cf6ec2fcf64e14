import { displayPounds, type Money } from '../common/money';
import type { HeadlineUnit } from '../headlines/headline-figure.entity';
import type { ReconciliationLine } from './engine';
import type { BreakdownResult, NationalBreakdownResult, ReconciliationResult } from './reconciliation.service';

/**
 * Plain-text reports for the terminal: fixed-width columns a finance officer can read,
 * exact amounts (never rounded), and for each line the reason and the words it comes from.
 */

function amount(unit: HeadlineUnit, v: Money | null, signed = false): string {
  if (v === null) return '-';
  const sign = signed && v > 0 ? '+' : '';
  return unit === 'pounds' ? `${sign}${displayPounds(v)}` : `${sign}${v.toLocaleString('en-GB')}`;
}

/** The first sentence of an explanation, kept short for the table. */
export function shortReason(l: ReconciliationLine): string {
  if (l.status === 'reconciled')
    return l.check === 'sumOf' ? `adds up: ${l.contributingHeadlines.join(' + ')}` : 'agrees exactly';
  const first = l.explanation.split(/(?<=\.)\s/)[0] ?? '';
  return first.length > 140 ? `${first.slice(0, 137)}...` : first;
}

function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
}

export function reconciliationTable(r: ReconciliationResult): string {
  const { lines, conflicts, summary } = r.report;
  const out = [
    `Reconciliation of ${r.programme.code}: ${r.programme.name}`,
    'Approved allocations (withdrawn excluded) against every headline figure. Variance = computed - stated.',
    r.delivered.definition,
    '',
  ];
  const rows = lines.map((l) => [
    l.status,
    l.headlineCode,
    l.check,
    amount(l.unit, l.stated),
    amount(l.unit, l.computed),
    amount(l.unit, l.variance, true),
    l.illustrative ? `${l.label} (illustrative)` : l.label,
  ]);
  const body = table(['STATUS', 'HEADLINE', 'CHECK', 'STATED', 'COMPUTED', 'VARIANCE', 'LABEL'], rows, [
    false,
    false,
    false,
    true,
    true,
    true,
    false,
  ]);
  out.push(body[0], body[1]);
  lines.forEach((l, i) => {
    out.push(body[i + 2]);
    // A headline can give two lines (its allocations, its table's arithmetic): each says which.
    out.push(`    ${l.comparison}: ${shortReason(l)}`);
    const a = l.agreed;
    if (a?.changeRequests.length) {
      const figures =
        a.agreed === null
          ? ''
          : `agreed ${amount(l.unit, a.agreed)}, now ${amount(l.unit, a.now)}, change ${amount(l.unit, a.change, true)}: `;
      const each = a.changeRequests.map(
        (c) =>
          `change request ${c.number}${c.illustrative ? ' (illustrative)' : ''} moved ${c.moves.map((m) => `${m.project ?? m.pool ?? 'programme'} ${m.sourceKind} ${amount(l.unit, m.change, true)}`).join(', ')}`,
      );
      out.push(`    agreed vs now: ${figures}${each.join('; ')}`);
    }
    if (l.illustrative) out.push('    illustrative: these figures include illustrative data, not the real deal');
    if (l.unattributed !== null)
      out.push(
        `    unattributed: ${amount(l.unit, l.unattributed, true)}${l.unattributed < 0 ? ' (over-attributed)' : ''}`,
      );
    if (l.suggestion) {
      const at = l.explanation.search(/The \S+ (surplus|shortfall) here matches/);
      out.push(
        `    suggestion: ${at >= 0 ? l.explanation.slice(at) : `allocation ${l.suggestion.allocationId} and ${l.suggestion.withHeadlineCode}`}`,
      );
    }
    const p = l.provenance;
    // Table rows are quoted with their tab separators; shown as " | " so the terminal keeps them.
    if (p.quote) out.push(`    source: ${p.document ?? '?'} > ${p.section ?? '?'}: "${p.quote.replace(/\t/g, ' | ')}"`);
  });
  out.push('', `Conflicting statements of the same quantity (${conflicts.length}):`);
  if (conflicts.length === 0) out.push('  none');
  for (const c of conflicts) {
    out.push(`  ${c.measure} (spread ${amount(c.unit, c.spread)}): ${c.explanation}`);
    for (const h of c.headlines)
      out.push(`    ${h.code.padEnd(24)} ${amount(c.unit, h.stated).padStart(16)}  ${h.document ?? ''}`);
  }
  const moved = (r.report.agreed ?? []).filter((l) => l.changed);
  out.push('', `The deal as agreed and now: lines approved change requests moved (${moved.length}):`);
  if (moved.length === 0) out.push('  none: every money line is as agreed');
  else {
    const t = table(
      ['PROJECT/POOL', 'SOURCE', 'AGREED', 'NOW', 'CHANGE', 'CHANGE REQUESTS'],
      moved.map((l) => [
        l.projectCode ?? l.poolCode ?? 'programme',
        l.sourceKind,
        displayPounds(l.agreedPence),
        displayPounds(l.nowPence),
        amount('pounds', l.deltaPence, true),
        l.changes.map((c) => `${c.number}${c.illustrative ? ' (illustrative)' : ''}`).join(', '),
      ]),
      [false, false, true, true, true, false],
    );
    out.push(...t.map((x) => `  ${x}`));
  }
  const illustrative = lines.filter((l) => l.illustrative).length;
  const counts = Object.entries(summary.byStatus)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const marked = illustrative ? ` ${illustrative} line${illustrative === 1 ? '' : 's'} include illustrative data.` : '';
  out.push('', `Summary: ${summary.lines} lines: ${counts}; ${summary.conflicts} conflicts.${marked}`);
  return out.join('\n');
}

export function breakdownTable(r: BreakdownResult | NationalBreakdownResult): string {
  const b = r.breakdown;
  const cols = b.columnDimension ? b.columns : [];
  const header = [...b.rowDimensions.map((d) => d.toUpperCase()), ...cols, 'TOTAL'];
  const rows = b.rows.map((row) => [
    ...row.labels,
    ...cols.map((c) => displayPounds(row.cells[c])),
    displayPounds(row.total),
  ]);
  rows.push([
    ...b.rowDimensions.map((_, i) => (i === 0 ? 'Total' : '')),
    ...cols.map((c) => displayPounds(b.columnTotals[c])),
    displayPounds(b.grandTotal),
  ]);
  const right = header.map((_, i) => i >= b.rowDimensions.length);
  const t = table(header, rows, right);
  t.splice(t.length - 1, 0, t[1]);
  const filters = `approval ${r.filters.approval}${r.filters.includeWithdrawn ? ', withdrawn included' : ', withdrawn excluded'}`;
  const of = 'programme' in r ? r.programme.code : 'every programme';
  return [`Breakdown of ${of} by ${b.by.join(', ')} (${filters})`, '', ...t].join('\n');
}
