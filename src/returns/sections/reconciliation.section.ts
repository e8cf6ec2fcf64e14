import { formatQuarter } from '../../common/fiscal';
import type { Money } from '../../common/money';
import { lineAgreedWords, verdictWords } from '../../reconciliation/reconciliation-present';
import { ReconciliationService } from '../../reconciliation/reconciliation.service';
import { CellInput, ColumnSpec, RowInput } from '../../xlsx';
import { ReturnCheck, ReturnContext, SectionProvider, SectionResult } from '../return-document';

const COLUMNS: ColumnSpec[] = [
  { key: 'headline', header: 'Headline', type: 'text' },
  { key: 'check', header: 'Check', type: 'text' },
  { key: 'label', header: 'What the document states', type: 'text', maxWidth: 45 },
  { key: 'unit', header: 'Unit', type: 'text' },
  { key: 'status', header: 'Status', type: 'text' },
  { key: 'verdict', header: 'Verdict', type: 'text', maxWidth: 32 },
  { key: 'stated', header: 'Stated', type: 'money' },
  { key: 'computed', header: 'Computed', type: 'money' },
  { key: 'variance', header: 'Variance', type: 'money' },
  { key: 'unattributed', header: 'Unattributed', type: 'money' },
  { key: 'agreed', header: 'Agreed', type: 'money' },
  { key: 'change', header: 'Change since agreed', type: 'money', maxWidth: 14 },
  { key: 'agreedVsNow', header: 'Agreed vs now', type: 'text', maxWidth: 36 },
  { key: 'illustrative', header: 'Illustrative', type: 'text' },
  { key: 'explanation', header: 'Explanation', type: 'text', maxWidth: 80 },
  { key: 'source', header: 'Source', type: 'text', maxWidth: 60 },
];

/** Pounds are money cells; counts (jobs, homes, projects) whole numbers in the same column. */
const inUnit = (unit: string, v: Money | null): CellInput =>
  v === null ? null : unit === 'pounds' ? v : { type: 'integer', value: v };

/**
 * The reconciliation of headlines against approved allocations (and delivered outputs), with
 * conflicting statements. The published headlines' known discrepancies are not errors: an
 * unreconciled or unmet headline is a warning to explain, a conflict a note.
 */
export class ReconciliationSection implements SectionProvider {
  readonly key = 'reconciliation' as const;
  readonly changesWhenSubmitted = true;

  constructor(private readonly reconciliation: ReconciliationService) {}

  async build(ctx: ReturnContext): Promise<SectionResult> {
    // Outputs delivered to the end of the last submitted quarter as at this return (its own
    // quarter once it is frozen): the same figure the dashboard and `reconcile` show.
    const report = await this.reconciliation.report(ctx.m, ctx.programme.id, {
      asAt: formatQuarter(ctx.quarter),
      submitting: ctx.submitting,
    });
    const rows: RowInput[] = report.lines.map((l) => {
      // An allocations line sets its figure as agreed beside now (none where it has no figure).
      const agreed = l.agreed && l.agreed.agreed !== null && l.agreed.now !== null ? l.agreed : null;
      return {
        headline: l.headlineCode,
        check: l.check,
        // One headline can give two lines with opposite verdicts: each says which comparison it is.
        label: `${l.label} (${l.comparison})`,
        unit: l.unit,
        status: l.status,
        verdict: verdictWords(l),
        stated: inUnit(l.unit, l.stated),
        computed: inUnit(l.unit, l.computed),
        variance: inUnit(l.unit, l.variance),
        unattributed: inUnit(l.unit, l.unattributed),
        agreed: agreed?.agreed ?? null,
        change: agreed?.change ?? null,
        agreedVsNow: lineAgreedWords(l.agreed, !!l.illustrative),
        illustrative: l.illustrative ? 'yes' : 'no',
        explanation: l.explanation,
        source:
          [l.provenance.document, l.provenance.section, l.provenance.quote ? `"${l.provenance.quote}"` : null]
            .filter(Boolean)
            .join(' · ') || null,
      };
    });
    for (const c of report.conflicts) {
      rows.push({
        headline: c.headlines.map((h) => h.code).join(' vs '),
        check: 'conflict',
        label: c.measure,
        unit: c.unit,
        status: 'conflict',
        verdict: 'The documents disagree with each other',
        stated: null,
        computed: null,
        variance: inUnit(c.unit, c.spread),
        unattributed: null,
        explanation: c.explanation,
        source: null,
      });
    }
    const checks: ReturnCheck[] = [];
    const bad = report.lines.filter((l) => l.status === 'unreconciled' || l.status === 'not_met');
    if (bad.length) {
      checks.push({
        code: 'HEADLINE_UNRECONCILED',
        severity: 'warning',
        section: 'reconciliation',
        message: `${bad.length} published headline${bad.length === 1 ? ' does' : 's do'} not reconcile with the approved figures: ${bad.map((l) => `${l.headlineCode} (${l.status})`).join(', ')}`,
      });
    }
    if (report.conflicts.length)
      checks.push({
        code: 'HEADLINE_CONFLICTS',
        severity: 'note',
        section: 'reconciliation',
        message: `${report.conflicts.length} figure${report.conflicts.length === 1 ? ' is' : 's are'} stated differently by two documents; both are kept: ${report.conflicts.map((c) => c.measure).join(', ')}`,
      });
    return {
      table: { key: 'reconciliation', title: 'Reconciliation', sheet: 'Reconciliation', columns: COLUMNS, rows },
      checks,
    };
  }
}
