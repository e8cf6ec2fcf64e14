import { formatPounds, type Money } from '../common/money';
import type { ChartData, TimelineData } from './charts';
import type { OverviewModel } from './overview.model';
import { presentAgreedLine } from '../changes/agreed.queries';
import { STATUS_WORDS } from './overview.model';

/**
 * JSON form of a page model: keys ending in "Pence" become pound strings without the
 * suffix ("capitalPence": 3442... -> "capital": "34420000.00"), as the rest of the API speaks.
 */
export function poundsJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(poundsJson);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k.endsWith('Pence') || k === 'pence') {
      const key = k === 'pence' ? 'amount' : k.slice(0, -5);
      out[key] =
        typeof x === 'number' || typeof x === 'bigint'
          ? formatPounds(x)
          : x && typeof x === 'object'
            ? Object.fromEntries(Object.entries(x).map(([a, b]) => [a, formatPounds(b as Money)]))
            : x;
    } else out[k] = poundsJson(x);
  }
  return out;
}

export function presentChart(c: ChartData | TimelineData) {
  if (!('values' in c)) return c;
  return {
    ...c,
    // A row's agreed figures in pound strings, as every other amount ("agreed": { "amount", "change", "words" }).
    categories: poundsJson(c.categories),
    values: c.values.map((row) => row.map((v) => (v === null ? null : c.unit === 'pence' ? formatPounds(v) : v))),
  };
}

/** GET /api/programmes/:code/overview: exactly what the overview page renders. */
export function presentOverview(o: OverviewModel) {
  const money = (unit: string, v: Money | null) =>
    v === null ? null : unit === 'pounds' ? formatPounds(v) : typeof v === 'bigint' ? String(v) : v;
  return {
    ...(poundsJson({
      programme: o.programme,
      illustrative: o.illustrative,
      bySource: o.bySource,
      capitalPence: o.capitalPence,
      revenuePence: o.revenuePence,
      byYear: o.byYear,
      dealTable: o.dealTable,
      projects: o.projects,
      pools: o.pools,
      programmeLevel: o.programmeLevel,
    }) as object),
    reconciliation: {
      summary: {
        ...o.reconciliation.summary,
        totalUnattributed: formatPounds(o.reconciliation.summary.totalUnattributed),
      },
      lines: o.reconciliation.lines.map((l) => ({
        headlineCode: l.headlineCode,
        label: l.label,
        check: l.check,
        comparison: l.comparison,
        unit: l.unit,
        qualifier: l.qualifier,
        stated: money(l.unit, l.stated),
        computed: money(l.unit, l.computed),
        variance: money(l.unit, l.variance),
        status: l.status,
        statusWords: STATUS_WORDS[l.status],
        explanation: l.explanation,
        provenance: l.provenance,
        table: l.table,
      })),
      conflicts: o.reconciliation.conflicts.map((c) => ({
        measure: c.measure,
        unit: c.unit,
        spread: money(c.unit, c.spread),
        explanation: c.explanation,
        headlines: c.headlines.map((h) => ({ ...h, stated: money(c.unit, h.stated) })),
      })),
    },
    agreed: o.agreed.map(presentAgreedLine),
    promises: o.promises,
    delivered: o.delivered,
    doubleClaims: o.doubleClaims,
    charts: o.charts.map(presentChart),
    sections: o.sections.map((s) => ({
      id: s.id,
      heading: s.heading,
      data: s.data,
      illustrative: s.illustrative ?? false,
    })),
  };
}
